#!/usr/bin/env bash
# Builds the SIMD kernels for wasm32 (clang -msimd128, no libc) and natively
# (SIMDe's implementation of the same intrinsics), runs both, and compares.
# usage: tests/simd/run.sh path/to/kiln BUILD_DIR
set -euo pipefail
kiln=$1
out=$2/simd-test
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
"$here/../../scripts/wasm-clang" --target=wasm32 -msimd128 -O2 -nostdlib -Wl,--no-entry -Wl,--export=kernel \
  -Wno-pass-failed -o "$out/simd_kernels.wasm" "$here/simd_kernels.c"
clang -O2 -Wno-pass-failed -o "$out/simd_native" "$here/simd_kernels.c" "$here/native_main.c" -lm
"$out/simd_native" > "$out/expected.txt"
# On each tier: the interpreter's SIMD code and the LLVM tier's vectors.
for tier in interp llvm; do
  : > "$out/actual-$tier.txt"
  for seed in 1 2 3; do
    for which in 0 1 2 3; do
      "$kiln" run --no-cache --tier "$tier" --invoke kernel "$out/simd_kernels.wasm" "$seed" "$which" >> "$out/actual-$tier.txt"
    done
  done
  if ! diff -u "$out/expected.txt" "$out/actual-$tier.txt"; then
    echo "simd-test: wasm SIMD results on the $tier tier differ from native"
    exit 1
  fi
done
echo "simd-test: $(wc -l < "$out/expected.txt") kernel checksums match native on both tiers"
