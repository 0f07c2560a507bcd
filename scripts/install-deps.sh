#!/usr/bin/env bash
# Installs the Debian packages Kiln needs to build and test, if any are missing.
# Used by `make demo` and `make test` so both work on a fresh Debian machine.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache   # toolchain
  pkg-config                                 # the C API tests link with pkg-config --libs kiln
  libgtest-dev libbenchmark-dev               # tests and benchmarks
  libcli11-dev                                # command line
  clang lld libsimde-dev                      # wasm test programs; SIMD reference
  wasi-libc libclang-rt-14-dev-wasm32         # wasm32-wasi programs (bench/, WASI tests)
  nodejs                                      # node:wasi, the reference for the WASI tests
  dpkg-dev xz-utils                           # apt-get source: third-party C programs for the WASI tests
  llvm-19-dev libzstd-dev zlib1g-dev          # the optimizing tier's compiler, kiln-llvm (LLVM linked statically)
  binaryen                                    # wasm-opt -ttf: valid random modules for the differential test
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing missing packages: ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq || true
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
