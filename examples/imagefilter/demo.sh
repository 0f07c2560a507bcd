#!/usr/bin/env bash
# `make demo`, part two: builds imagefilter.c natively and for wasm32-wasi,
# makes a 1920x1080 test image, filters it under `kiln run` (the image folder
# is the guest's only preopened directory), then natively, and prints both
# timings side by side.
# usage: examples/imagefilter/demo.sh KILN BUILD_DIR
set -euo pipefail
kiln=$1
out=$2/imagefilter
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out/wasm-images" "$out/native-images"

src=$here/imagefilter.c
if [ ! -f "$out/imagefilter.wasm" ] || [ "$src" -nt "$out/imagefilter.wasm" ]; then
  "$here/../../scripts/wasm-clang" --target=wasm32-wasi -O2 -o "$out/imagefilter.wasm" "$src"
fi
if [ ! -f "$out/imagefilter-native" ] || [ "$src" -nt "$out/imagefilter-native" ]; then
  clang -O2 -o "$out/imagefilter-native" "$src"
fi
[ -f "$out/input.ppm" ] || "$out/imagefilter-native" --generate "$out/input.ppm" 1920 1080 >/dev/null
cp "$out/input.ppm" "$out/wasm-images/input.ppm"
cp "$out/input.ppm" "$out/native-images/input.ppm"

echo
echo "\$ kiln run --dir $out/wasm-images::/images $out/imagefilter.wasm /images/input.ppm /images"
"$kiln" run --dir "$out/wasm-images::/images" "$out/imagefilter.wasm" /images/input.ppm /images | tee "$out/kiln.txt"
echo
echo "\$ $out/imagefilter-native $out/native-images/input.ppm $out/native-images   # the same C file, built natively"
"$out/imagefilter-native" "$out/native-images/input.ppm" "$out/native-images" | tee "$out/native.txt"

for f in grayscale invert sepia; do
  cmp -s "$out/wasm-images/$f.ppm" "$out/native-images/$f.ppm" || { echo "demo: $f.ppm differs from the native result"; exit 1; }
done
echo
echo "The three images kiln wrote are byte-identical to the native ones."
echo
printf '%-10s %12s %12s %8s\n' step kiln native ratio
for step in read grayscale invert sepia filters; do
  k=$(awk -v s=$step '$1 == s { print $2 }' "$out/kiln.txt")
  n=$(awk -v s=$step '$1 == s { print $2 }' "$out/native.txt")
  awk -v s=$step -v k="$k" -v n="$n" 'BEGIN { printf "%-10s %9.1f ms %9.1f ms %7.1fx\n", s, k, n, (n > 0 ? k / n : 0) }'
done
echo "(both built with clang -O2; kiln interprets the wasm, the native build may use SSE2 vector instructions)"
