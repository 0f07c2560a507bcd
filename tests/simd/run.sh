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
: > "$out/actual.txt"
for seed in 1 2 3; do
  for which in 0 1 2 3; do
    "$kiln" run --invoke kernel "$out/simd_kernels.wasm" "$seed" "$which" >> "$out/actual.txt"
  done
done
if ! diff -u "$out/expected.txt" "$out/actual.txt"; then
  echo "simd-test: wasm SIMD results differ from native"
  exit 1
fi
echo "simd-test: $(wc -l < "$out/expected.txt") kernel checksums match native"
