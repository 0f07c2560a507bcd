#!/usr/bin/env bash
# The C API tests, built the way someone outside the project would build them:
# Kiln is installed into a fresh prefix, and each test (a C program written
# against the standard wasm.h) is compiled against the installed header, linked
# with `pkg-config --libs kiln`, run, and its output compared with its .out file
# (on the LLVM tier too, for the tests whose engine is load.h's test_engine).
# Each is then run again built with AddressSanitizer and LeakSanitizer, where a
# leak or a memory error fails it. Last, examples/embed is configured with
# find_package(Kiln) against the same prefix, built, and its two hosts run.
#
# usage: tests/capi/run.sh BUILD_DIR    (BUILD_DIR has kiln_wat2wasm built)
set -uo pipefail

build=$(cd "${1:?usage: run.sh BUILD_DIR}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$build/capi-test
rm -rf "$work"
mkdir -p "$work/wasm"
# shellcheck source-path=SCRIPTDIR source=installed.sh
. "$here/installed.sh"

for wat in "$here"/*.wat; do
  "$build/kiln_wat2wasm" "$wat" "$work/wasm/$(basename "${wat%.wat}").wasm" || fail "$(basename "$wat")"
done

# Kiln catches out-of-bounds memory accesses with its own SIGSEGV handler.
export ASAN_OPTIONS=detect_leaks=1:allow_user_segv_handler=1:handle_segv=0
for c in "$here"/*.c; do
  name=$(basename "${c%.c}")
  for variant in plain asan; do
    # A test whose point ASan defeats says so in a comment (oom.c: ASan aborts
    # on a failed allocation instead of throwing std::bad_alloc).
    [ "$variant" = asan ] && grep -q "capi-test: plain only" "$c" && continue
    flags=()
    [ "$variant" = asan ] && flags=(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
    exe=$work/$name-$variant
    log=$exe.log
    # shellcheck disable=SC2086
    if ! cc -std=c11 -Wall -Wextra -Werror -pedantic "${flags[@]}" $cflags "$c" $libs -Wl,-rpath,"$libdir" \
        -o "$exe" >"$log" 2>&1; then
      fail "$name ($variant): does not compile" "$log"
      continue
    fi
    check_output "$name ($variant)" "$work/wasm" "$exe" "$here/$name.out"
    # Again with the LLVM tier (load.h's test_engine), built as it is.
    if [ "$variant" = plain ] && grep -q "test_engine()" "$c"; then
      KILN_TEST_TIER=llvm check_output "$name (llvm)" "$work/wasm" "$exe" "$here/$name.out"
    fi
  done
done

# The installed C++ headers compile cleanly in a strict consumer, with GCC and Clang.
for cxx in g++ clang++; do
  command -v "$cxx" >/dev/null || continue
  # shellcheck disable=SC2086
  if "$cxx" -std=c++20 -Wall -Wextra -Wpedantic -Werror $cflags -c "$root/examples/embed/host.cpp" \
       -o "$work/host-$cxx.o" >"$work/host-$cxx.log" 2>&1; then
    pass
  else
    fail "kiln.hpp is not warning-free under $cxx -Wall -Wextra -Wpedantic -Werror" "$work/host-$cxx.log"
  fi
done

# A CMake consumer: examples/embed with find_package(Kiln).
embed=$work/embed
if cmake -S "$root/examples/embed" -B "$embed" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" \
     -DCMAKE_BUILD_TYPE=Release >"$work/embed.log" 2>&1 &&
   cmake --build "$embed" -j 2 >>"$work/embed.log" 2>&1; then
  for host in cpp_host c_host; do
    if ! "$embed/$host" "$root/examples/embed/plugin.wat" >"$embed/$host.txt" 2>"$embed/$host.log"; then
      fail "examples/embed $host: exit status" "$embed/$host.log"
    elif ! grep -q "^ratio(0) trapped: integer divide by zero" "$embed/$host.txt" ||
         ! diff -u "$root/examples/embed/expected.out" <(grep -v -e "^ratio" -e "^  frame" "$embed/$host.txt") \
           >"$embed/$host.log"; then
      fail "examples/embed $host: output differs" "$embed/$host.log"
    else
      pass
    fi
  done
else
  fail "examples/embed: find_package(Kiln) build" "$work/embed.log"
fi

echo "capi: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
