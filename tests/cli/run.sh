#!/usr/bin/env bash
# The `kiln` command as a new user meets it: files that are not modules (each an
# exit status of 1 with a message naming the file and what is wrong, never a
# signal or 134), modules that need features Kiln lacks (named), --version and
# help, and a Wasmtime user's command line (-W, -S, --preload).
# usage: tests/cli/run.sh path/to/kiln BUILD_DIR
set -uo pipefail
kiln=$(realpath "$1")
work=$2/cli-test
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work"
mkdir -p "$work/dir"
cd "$work" || exit 1
failures=0
checks=0

# check NAME STATUS EXPECTED COMMAND...: the command's whole output (stdout and
# stderr) must be EXPECTED and its exit status STATUS. check_start: the same for
# the output's start (help texts, whose option lists grow with kiln).
check() { compare whole "$@"; }
check_start() { compare start "$@"; }
compare() {
  local how=$1 name=$2 want_status=$3 want=$4
  shift 4
  local output status
  output=$("$@" 2>&1)
  status=$?
  checks=$((checks + 1))
  [ "$how" = start ] && output=${output:0:${#want}}
  if [ "$status" -ne "$want_status" ] || [ "$output" != "$want" ]; then
    echo "cli: $name: exit $status (want $want_status)"
    diff <(printf '%s\n' "$want") <(printf '%s\n' "$output") | sed 's/^/    /' | head -20
    failures=$((failures + 1))
  fi
}

# ---- files that are not modules ----
: > empty.wasm
printf '  \n' > blank.wasm
printf '<html><body>404 Not Found</body></html>\n' > page.wasm
printf '\0asm\1\0\0\0\1\5\1\x60' > truncated.wasm
printf '\0asm\x0d\0\1\0\7\5\1\1f\0\0' > hello.component.wasm    # a component preamble
printf '\0asm\1\0\0\0\x0d\3\1\0\0' > tag.wasm                    # a tag section
# (func (drop (i32.atomic.load (i32.const 0)))) with a memory
printf '\0asm\1\0\0\0\1\4\1\x60\0\0\3\2\1\0\5\3\1\0\1\x0a\x0b\1\x09\0\x41\0\xfe\x10\2\0\x1a\x0b' > atomics.wasm

for command in validate run inspect; do
  check "$command DIR" 1 "error: cannot read dir: is a directory" "$kiln" $command dir
  check "$command missing file" 1 "error: cannot read missing.wasm: No such file or directory" "$kiln" $command missing.wasm
  check "$command empty file" 1 \
    "error: empty.wasm: malformed at offset 0x0: unexpected end: the input is empty, not a WebAssembly module" \
    "$kiln" $command empty.wasm
done
check "kiln DIR (run by default)" 1 "error: cannot read dir: is a directory" "$kiln" dir
check "/dev/null" 1 \
  "error: /dev/null: malformed at offset 0x0: unexpected end: the input is empty, not a WebAssembly module" \
  "$kiln" validate /dev/null
check "blank file" 1 \
  'error: blank.wasm: malformed at offset 0x0: magic header not detected: not a WebAssembly binary (it starts with "  \x0a")' \
  "$kiln" run blank.wasm
check "HTML page" 1 \
  'error: page.wasm: malformed at offset 0x0: magic header not detected: not a WebAssembly binary (it starts with "<html><body>404 ...")' \
  "$kiln" run page.wasm
check "truncated module" 1 "error: truncated.wasm: malformed at offset 0xa: length out of bounds" \
  "$kiln" validate truncated.wasm
check "component" 1 \
  "error: hello.component.wasm: unsupported at offset 0x4: this is a WebAssembly component, not a core module; components are not supported yet" \
  "$kiln" run hello.component.wasm
check "tag section" 1 \
  "error: tag.wasm: unsupported at offset 0x8: exception handling (the tag section) is not supported yet" \
  "$kiln" validate tag.wasm
check "atomics" 1 \
  "error: atomics.wasm: unsupported at offset 0x1e: threads (the i32.atomic.load instruction) is not supported yet" \
  "$kiln" run atomics.wasm
check "wast DIR" 1 "error: cannot read dir: is a directory
0 passed, 1 failed" "$kiln" wast dir
check "validate several" 1 "$here/helper.wat: ok
error: cannot read dir: is a directory
$here/spin.wat: ok" "$kiln" validate "$here/helper.wat" dir "$here/spin.wat"

# ---- version and help ----
version=$(sed -n 's/^project(Kiln VERSION \([0-9.]*\).*/\1/p' "$here/../../CMakeLists.txt")
check "--version" 0 "kiln $version" "$kiln" --version
check "-V" 0 "kiln $version" "$kiln" -V
check_start "help" 0 "Kiln: a WebAssembly runtime
Usage: kiln [OPTIONS] SUBCOMMAND" "$kiln" help
check_start "help run" 0 "Run a WebAssembly module (a .wasm binary or .wat text)
Usage: kiln run [OPTIONS] file [args...]" "$kiln" help run
check "help of an unknown command" 2 "error: no command named 'nope' (run, compile, validate, wast, inspect)" "$kiln" help nope

# ---- a Wasmtime user's command line ----
# --preload links helper's exports; -S inherit-env=y gives the guest the host's
# environment (here exactly two variables, so the exit status is 2); -W sets
# fuel and the memory limit.
check "-W, -S and --preload" 2 "doubled: 42" \
  env -i A=1 B=2 "$kiln" run -W fuel=100000,max-memory-size=1048576 -S inherit-env=y \
  --preload "helper=$here/helper.wat" "$here/uses_helper.wat"
check "--env adds to the environment" 3 "doubled: 42" \
  env -i A=1 B=2 "$kiln" run -S inherit-env --env C=3 --preload "helper=$here/helper.wat" "$here/uses_helper.wat"
check "-W fuel=N ends a loop" 134 "error: trap: all fuel consumed
wasm backtrace:
  0: 0x23 - <wasm function 0>" "$kiln" -W fuel=1000 "$here/spin.wat"
check "-W timeout=D ends a loop" 134 "error: trap: interrupted: time limit reached
wasm backtrace:
  0: 0x23 - <wasm function 0>" "$kiln" run -W timeout=100ms "$here/spin.wat"
check "unknown imports fail to link" 1 "error: unlinkable: unknown import env.missing" \
  "$kiln" run --invoke skip "$here/unknown_imports.wat"
check "-W unknown-imports-trap: uncalled" 0 "5" \
  "$kiln" run -W unknown-imports-trap=y --invoke skip "$here/unknown_imports.wat"
check "-W unknown-imports-trap: called" 134 "error: trap: unknown import: env.missing has not been defined
wasm backtrace:
  0: <host> env.missing
  1: 0x5d - <wasm function 3>" "$kiln" run -W unknown-imports-trap=y --invoke call "$here/unknown_imports.wat"
check "-W unknown-imports-default" 0 "0" \
  "$kiln" run -W unknown-imports-default --invoke call "$here/unknown_imports.wat"
check "unknown -W key" 1 \
  "error: usage: unknown option -W threads (Kiln knows: fuel, timeout, max-memory-size, max-table-elements, max-wasm-stack, unknown-imports-trap, unknown-imports-default)" \
  "$kiln" run -W threads=y "$here/spin.wat"
check "bad -S value" 1 "error: usage: -S inherit-env: expected y or n, not 'maybe'" \
  "$kiln" run -S inherit-env=maybe "$here/spin.wat"
check "--preload without NAME=" 1 "error: --preload wants NAME=FILE, not 'helper.wat'" \
  "$kiln" run --preload helper.wat "$here/uses_helper.wat"
check "--env FILE is not a variable" 1 \
  "error: usage: --env wants NAME=VALUE or NAME, and 'vars.env' is not a variable name" \
  "$kiln" run --env vars.env "$here/spin.wat"

# A flag before an option with a value (the flag takes none).
check "a flag, then an option" 0 "55" "$kiln" run --inherit-env --invoke sum "$here/sum.wat" 10

# ---- tiers ----
check "--tier llvm" 0 "5" "$kiln" run --tier llvm -W unknown-imports-trap=y --invoke skip "$here/unknown_imports.wat"
check "--tier llvm: a trap's backtrace" 134 "error: trap: unknown import: env.missing has not been defined
wasm backtrace:
  0: <host> env.missing
  1: 0x5d - <wasm function 3>" "$kiln" run --tier llvm -W unknown-imports-trap=y --invoke call "$here/unknown_imports.wat"
check "--tier llvm without kiln-llvm" 1 \
  "error: unsupported: --tier llvm needs kiln-llvm, the LLVM tier's compiler, which is not installed beside kiln (or set KILN_LLVM to its path)" \
  env KILN_LLVM=/nonexistent "$kiln" run --tier llvm "$here/spin.wat"
check "--tier jit" 1 "error: usage: --tier wants interp, llvm or auto, not 'jit'" "$kiln" run --tier jit "$here/spin.wat"

# ---- kiln compile, compiled modules and the code cache ----
export KILN_CACHE_DIR="$work/cache"
check "compile" 0 "" "$kiln" compile "$here/sum.wat" -o sum.kwasm
check "run a compiled module" 0 "5000050000" "$kiln" run --invoke sum sum.kwasm 100000
check "a compiled module traps as the module" 134 "error: trap: unreachable
wasm backtrace:
  0: 0x2e - check
  1: 0x39 - <wasm function 1>" "$kiln" run --invoke sum sum.kwasm -- -1
check "compile: the default output name" 0 "" "$kiln" compile "$here/sum.wat"
[ -f "$here/sum.kwasm" ] && rm "$here/sum.kwasm" || { echo "cli: compile wrote no $here/sum.kwasm"; failures=$((failures + 1)); }
check "compile -v" 0 "sum.kwasm: 2 of 2 functions compiled, $(stat -c %s sum.kwasm) bytes" \
  "$kiln" compile -v "$here/sum.wat" -o sum.kwasm
check "compile a compiled module" 1 "error: sum.kwasm is compiled already" "$kiln" compile sum.kwasm
head -c 100 sum.kwasm > truncated.kwasm
check "a truncated compiled module" 1 \
  "error: malformed: truncated.kwasm is a damaged compiled module (truncated index); compile it again" \
  "$kiln" run --invoke sum truncated.kwasm 10
python3 -c "import sys; b = bytearray(open('sum.kwasm', 'rb').read()); b[-40] ^= 1; open('flipped.kwasm', 'wb').write(b)"
check "a damaged compiled module" 1 \
  "error: malformed: flipped.kwasm is a damaged compiled module (chunk 0: checksum mismatch); compile it again" \
  "$kiln" run --invoke sum flipped.kwasm 10
check "a compiled module needs the options it was compiled with" 1 \
  "error: unsupported: sum.kwasm was compiled without fuel metering, which --fuel needs: compile it with kiln compile --consume-fuel" \
  "$kiln" run --fuel 1000 --invoke sum sum.kwasm 10
"$kiln" compile --consume-fuel "$here/sum.wat" -o fuel.kwasm
check "a compiled module with fuel" 134 "error: trap: all fuel consumed
wasm backtrace:
  0: 0x3d - <wasm function 1>" "$kiln" run --fuel 1000 --invoke sum fuel.kwasm 100000
check "the interpreter runs a compiled module's wasm" 0 "55" "$kiln" run --tier interp --invoke sum sum.kwasm 10
rm -rf "$KILN_CACHE_DIR"
check "cache: a miss compiles and stores" 0 "5000050000" "$kiln" run --tier llvm --invoke sum "$here/sum.wat" 100000
entry=$(ls "$KILN_CACHE_DIR"/*.kwasm 2>/dev/null)
check "cache: one entry" 0 "1" bash -c "ls '$KILN_CACHE_DIR' | wc -l"
check "cache: a hit" 0 "kiln: cache: hit: $entry
55" env KILN_LOG=cache "$kiln" run --tier llvm --invoke sum "$here/sum.wat" 10
python3 -c "import sys; p = sys.argv[1]; b = bytearray(open(p, 'rb').read()); b[-40] ^= 1; open(p, 'wb').write(b)" "$entry"
check "cache: a damaged entry is compiled again" 0 "55" "$kiln" run --tier llvm --invoke sum "$here/sum.wat" 10
check "cache: and replaced" 0 "kiln: cache: hit: $entry
55" env KILN_LOG=cache "$kiln" run --tier llvm --invoke sum "$here/sum.wat" 10
rm -rf "$KILN_CACHE_DIR"
check "--no-cache" 0 "55" "$kiln" run --no-cache --tier llvm --invoke sum "$here/sum.wat" 10
check "--no-cache keeps nothing" 1 "" test -e "$KILN_CACHE_DIR"
unset KILN_CACHE_DIR

# ---- inspect says what its numbers are ----
check_start "inspect" 0 "module bytes: 129, function bodies: 10 bytes
types: 3, functions: 4 (2 imported)" "$kiln" inspect "$here/unknown_imports.wat"

[ "$failures" -eq 0 ] && echo "cli: all $checks passed" || { echo "cli: $failures of $checks failed"; exit 1; }
