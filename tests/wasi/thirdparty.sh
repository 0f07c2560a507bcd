#!/usr/bin/env bash
# Real C programs that nobody on the team wrote, fetched as Debian source
# packages (zlib's minigzip, example and zpipe; bzip2; cmark), built for
# wasm32-wasi, and run under `kiln run` and under Node's node:wasi: stdout,
# stderr, exit status and the files each run leaves must be the same.
#
# The sources come from `apt-get source` through a private sources list (so
# the machine's apt set-up is untouched) and are kept in BUILD_DIR for the
# next run. When they cannot be fetched (no network, no deb-src), or Node is
# missing, the test says so and is skipped.
#
# usage: tests/wasi/thirdparty.sh KILN BUILD_DIR
set -euo pipefail
kiln=$(realpath "$1")
out=$(realpath -m "$2/wasi-thirdparty")
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
mkdir -p "$out/src" "$out/bin"

if ! have_node_wasi; then
  echo "wasi-thirdparty: SKIPPED: node with node:wasi (the reference) is not installed"
  exit 0
fi

# --- fetch -------------------------------------------------------------------
packages=(zlib bzip2 cmark)
fetch() {
  local apt=$out/apt suite
  suite=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
  mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial"
  echo "deb-src http://deb.debian.org/debian $suite main" > "$apt/sources.list"
  local opts=(-o "Dir::Etc::SourceList=$apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
              -o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache" -o APT::Sandbox::User=root -qq)
  timeout 300 apt-get "${opts[@]}" update >/dev/null 2>&1 &&
    (cd "$out/src" && timeout 300 apt-get "${opts[@]}" source "${packages[@]}" >/dev/null 2>&1)
}
source_dir() { find "$out/src" -mindepth 1 -maxdepth 1 -type d -name "$1-*" | head -1; }
have_sources() { for p in "${packages[@]}"; do [ -n "$(source_dir "$p")" ] || return 1; done; }
if ! have_sources; then
  rm -rf "$out/src" && mkdir -p "$out/src"
  if ! fetch || ! have_sources; then
    echo "wasi-thirdparty: SKIPPED: cannot fetch the Debian sources of ${packages[*]} (apt-get source failed)"
    exit 0
  fi
fi
zlib=$(source_dir zlib)
bzip2=$(source_dir bzip2)
cmark=$(source_dir cmark)
echo "wasi-thirdparty: sources $(basename "$zlib") $(basename "$bzip2") $(basename "$cmark")"

# --- build -------------------------------------------------------------------
cc_wasm() { "$here/../../scripts/wasm-clang" --target=wasm32-wasi -O2 -w -Wl,--fatal-warnings "$@"; }
build() {  # build NAME FILES-AND-FLAGS...: once
  [ -f "$out/bin/$1.wasm" ] || cc_wasm -o "$out/bin/$1.wasm" "${@:2}"
}
# zlib finds lseek() through <unistd.h> only when told it exists (its configure
# script would say so); without it the call links to a trapping stub.
zlib_flags=(-DZ_HAVE_UNISTD_H -I"$zlib")
zlib_lib=("$zlib"/{adler32,compress,crc32,deflate,gzclose,gzlib,gzread,gzwrite,infback,inffast,inflate,inftrees,trees,uncompr,zutil}.c)
build minigzip "${zlib_flags[@]}" "${zlib_lib[@]}" "$zlib/test/minigzip.c"
build zlib_example "${zlib_flags[@]}" "${zlib_lib[@]}" "$zlib/test/example.c"
build zpipe "${zlib_flags[@]}" "${zlib_lib[@]}" "$zlib/examples/zpipe.c"
# bzip2 needs signal() and times() (wasi-libc emulates both) and fchmod/fchown
# (WASI has no file modes or owners: thirdparty/wasi_compat.c makes them no-ops).
build bzip2 -D_WASI_EMULATED_SIGNAL -D_WASI_EMULATED_PROCESS_CLOCKS -D_FILE_OFFSET_BITS=64 \
  "$bzip2"/{blocksort,huffman,crctable,randtable,compress,decompress,bzlib,bzip2}.c "$here/thirdparty/wasi_compat.c" \
  -lwasi-emulated-signal -lwasi-emulated-process-clocks
# cmark's CMake writes three small headers; these are the same with its defaults.
if [ ! -f "$out/bin/cmark.wasm" ]; then
  gen=$out/cmark-include
  mkdir -p "$gen"
  version=$(sed -n 's/^project(cmark VERSION \([0-9.]*\)).*/\1/p' "$cmark/CMakeLists.txt")
  IFS=. read -r major minor patch <<< "${version:-0.0.0}"
  sed -e 's/#cmakedefine \(.*\)/#define \1/' "$cmark/src/config.h.in" > "$gen/config.h"
  sed -e "s/@PROJECT_VERSION_MAJOR@/$major/g; s/@PROJECT_VERSION_MINOR@/$minor/g; s/@PROJECT_VERSION_PATCH@/$patch/g" \
    "$cmark/src/cmark_version.h.in" > "$gen/cmark_version.h"
  printf '#define CMARK_EXPORT\n#define CMARK_NO_EXPORT\n' > "$gen/cmark_export.h"
  cc_wasm -I"$gen" -I"$cmark/src" -o "$out/bin/cmark.wasm" "$cmark"/src/*.c
fi

# --- run ---------------------------------------------------------------------
passed=0
failed=0
# compare CASE PROGRAM [KILN-RUN FLAGS...] -- [ARGS...]: both engines, from a
# sandbox filled by setup_CASE; the two results must be equal.
compare() {
  local label=$1 program=$2
  shift 2
  local engine
  for engine in kiln llvm node; do run_fresh $engine "$label" "$out/bin/$program.wasm" "$@"; done
  local k=$out/run/$label.kiln l=$out/run/$label.llvm n=$out/run/$label.node
  if ! cmp -s "$l/result" "$k/result" || ! cmp -s "$l/stderr" "$k/stderr"; then
    failed=$((failed + 1))
    echo "wasi-thirdparty: $label: kiln's tiers differ:"
    diff -u "$k/result" "$l/result" | head -20 || true
    diff -u "$k/stderr" "$l/stderr" | head -10 || true
  elif cmp -s "$k/result" "$n/result" && cmp -s "$k/stderr" "$n/stderr"; then
    passed=$((passed + 1))
    echo "  $label: same stdout ($(wc -c < "$k/stdout") bytes), stderr ($(wc -c < "$k/stderr") bytes)," \
      "exit status ($(sed -n 's/^--- exit: //p' "$k/result")) and files ($(sed '1,/^--- files:/d' "$k/result" | wc -l))"
  else
    failed=$((failed + 1))
    echo "wasi-thirdparty: $label: kiln and node differ:"
    diff -u "$n/result" "$k/result" | head -20 || true
    diff -u "$n/stderr" "$k/stderr" | head -10 || true
    echo "  (stderr: $k/stderr, $n/stderr)"
  fi
}

setup_text() { cp "$zlib/ChangeLog" "$cmark/test/spec.txt" .; }
setup_minigzip_compress() { setup_text; }
compare minigzip_compress minigzip --dir sandbox::. -- -9 ChangeLog spec.txt
setup_minigzip_decompress() { setup_text; gzip -9 -n ChangeLog; }
compare minigzip_decompress minigzip --dir sandbox::. -- -d ChangeLog.gz
STDIN=$zlib/ChangeLog compare minigzip_pipe minigzip --
compare zlib_example zlib_example --dir sandbox::. -- foo.gz
STDIN=$cmark/test/spec.txt compare zpipe zpipe --

setup_bzip2_compress() { cp "$bzip2/sample1.ref" "$bzip2/sample2.ref" .; touch -d @1000000000 sample1.ref; }
compare bzip2_compress bzip2 --dir sandbox::. -- -9 -k -v sample1.ref sample2.ref
setup_bzip2_decompress() { cp "$bzip2/sample1.bz2" "$bzip2/sample3.bz2" .; }
compare bzip2_decompress bzip2 --dir sandbox::. -- -d sample1.bz2 sample3.bz2
setup_bzip2_test() { cp "$bzip2/sample2.bz2" .; printf 'not bzip2 data' > broken.bz2; }
compare bzip2_test bzip2 --dir sandbox::. -- -t sample2.bz2 broken.bz2
STDIN=$bzip2/sample3.ref compare bzip2_pipe bzip2 -- -c -1

setup_cmark_html() { cp "$cmark/test/spec.txt" .; }
compare cmark_html cmark --dir sandbox::. -- spec.txt
setup_cmark_xml() { setup_cmark_html; }
compare cmark_xml cmark --dir sandbox::. -- --to xml --sourcepos spec.txt
STDIN=$cmark/test/spec.txt compare cmark_commonmark cmark -- --to commonmark --width 60
compare cmark_missing cmark --dir sandbox::. -- no-such-file.md

echo "wasi-thirdparty: $passed passed, $failed failed"
[ $failed -eq 0 ]
