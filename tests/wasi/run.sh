#!/usr/bin/env bash
# The WASI tests: C programs in tests/wasi/*.c built for wasm32-wasi with
# Debian's clang and wasi-libc, run under `kiln run`, and checked against
# tests/wasi/expected/CASE.out: stdout, the exit status and the files the
# program left in its sandbox. Where Node's node:wasi can run the same case
# (`both` below), it is run too and must give the same result: the checked-in
# expectations were written from Node's output.
#
# usage: tests/wasi/run.sh KILN BUILD_DIR [--update]
#   --update  rewrites the expectations (from Node where a case runs under it)
set -euo pipefail
kiln=$(realpath "$1")
out=$(realpath -m "$2/wasi-test")
update=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out/bin"

node_ok=0
if command -v node >/dev/null && node -e 'require("node:wasi")' 2>/dev/null; then node_ok=1; fi
[ $node_ok = 1 ] || echo "wasi-test: node with node:wasi not found: checking against the expectations only"

# Build every program (again only when its source is newer).
for src in "$here"/*.c; do
  name=$(basename "$src" .c)
  wasm=$out/bin/$name.wasm
  if [ ! -f "$wasm" ] || [ "$src" -nt "$wasm" ] || [ "$here/common.h" -nt "$wasm" ]; then
    clang --target=wasm32-wasi -O2 -Wall -Wextra -Werror -D_WASI_EMULATED_PROCESS_CLOCKS \
      -o "$wasm" "$src" -lwasi-emulated-process-clocks
  fi
done

# Prints what a run left behind: one line per entry of the sandbox, sorted
# (absolute link targets into the run's directory start with WORKDIR).
snapshot() {
  (cd "$1" && find . -mindepth 1 | LC_ALL=C sort | while read -r p; do
    if [ -L "$p" ]; then echo "l $p -> $(readlink "$p" | sed "s|^$(dirname "$1")/|WORKDIR/|")"
    elif [ -d "$p" ]; then echo "d $p"
    else echo "f $p $(stat -c %s "$p") $(sha256sum < "$p" | cut -c1-16)"
    fi
  done)
}

passed=0
failed=0
# run_case CASE[:PROGRAM] ENGINES [KILN-RUN FLAGS...] -- [ARGS...]
#   ENGINES: both (Node must agree) or kiln (Node cannot run it; the reason is beside the case)
#   The program runs in a fresh directory holding `sandbox/`, filled by setup_CASE
#   if that function exists; STDIN (a file) is its standard input when set.
run_case() {
  local label=${1%%:*} program=${1#*:} engines=$2
  shift 2
  local flags=()
  while [ $# -gt 0 ] && [ "$1" != -- ]; do flags+=("$1"); shift; done
  shift
  local args=("$@")
  local engine result
  for engine in node kiln; do  # node first: with --update it writes the expectation
    [ $engine = node ] && { [ "$engines" = both ] && [ $node_ok = 1 ] || continue; }
    local work=$out/run/$label.$engine
    rm -rf "$work"
    mkdir -p "$work/sandbox"
    cp "$out/bin/$program.wasm" "$work/$program.wasm"
    if declare -F "setup_$label" >/dev/null; then (cd "$work/sandbox" && "setup_$label"); fi
    local status=0
    (
      cd "$work"
      if [ $engine = kiln ]; then
        exec timeout 60 "$kiln" run "${flags[@]}" "$program.wasm" "${args[@]}" < "${STDIN:-/dev/null}"
      else
        exec timeout 60 node --no-warnings "$here/node_run.mjs" "${flags[@]}" "$program.wasm" "${args[@]}" < "${STDIN:-/dev/null}"
      fi
    ) > "$work/stdout" 2> "$work/stderr" || status=$?
    { cat "$work/stdout"; echo "--- exit: $status"; echo "--- files:"; snapshot "$work/sandbox"; } > "$work/result"
    if declare -F "check_$label" >/dev/null && ! (cd "$work" && "check_$label" $engine); then
      echo "wasi-test: $label under $engine: check_$label failed (stderr: $work/stderr)"
      failed=$((failed + 1))
      continue
    fi
    local expected=$here/expected/$label.out
    if [ "$update" = --update ] && { [ $engine = node ] || [ "$engines" = kiln ] || [ $node_ok = 0 ]; }; then
      cp "$work/result" "$expected"
    fi
    if diff -u "$expected" "$work/result" > "$work/diff" 2>&1; then
      passed=$((passed + 1))
    else
      echo "wasi-test: $label under $engine differs from tests/wasi/expected/$label.out:"
      head -40 "$work/diff"
      echo "  (stderr: $work/stderr)"
      failed=$((failed + 1))
    fi
  done
}

source "$here/cases.sh"

echo "wasi-test: $passed passed, $failed failed"
[ $failed -eq 0 ]
