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

source "$here/lib.sh"
node_ok=0
if have_node_wasi; then node_ok=1; fi
[ $node_ok = 1 ] || echo "wasi-test: node with node:wasi not found: checking against the expectations only"

# Build every program (again only when its source is newer).
for src in "$here"/*.c; do
  name=$(basename "$src" .c)
  wasm=$out/bin/$name.wasm
  if [ ! -f "$wasm" ] || [ "$src" -nt "$wasm" ] || [ "$here/common.h" -nt "$wasm" ] ||
     [ "$here/../../scripts/wasm-clang" -nt "$wasm" ]; then
    "$here/../../scripts/wasm-clang" --target=wasm32-wasi -O2 -Wall -Wextra -Werror -D_WASI_EMULATED_PROCESS_CLOCKS \
      -o "$wasm" "$src" -lwasi-emulated-process-clocks
  fi
done

passed=0
failed=0
# run_case CASE[:PROGRAM] ENGINES [KILN-RUN FLAGS...] -- [ARGS...]
#   ENGINES: both (Node must agree) or kiln (Node cannot run it; the reason is beside the case)
#   The program runs in a fresh directory holding `sandbox/`, filled by setup_CASE
#   if that function exists; STDIN (a file) is its standard input when set.
run_case() {
  local label=${1%%:*} program=${1#*:} engines=$2
  shift 2
  local engine
  # node first: with --update it writes the expectation; kiln's default tier
  # and its LLVM tier must both meet it.
  for engine in node kiln llvm; do
    [ $engine = node ] && { [ "$engines" = both ] && [ $node_ok = 1 ] || continue; }
    run_fresh $engine "$label" "$out/bin/$program.wasm" "$@"
    local work=$out/run/$label.$engine
    if declare -F "check_$label" >/dev/null && ! (cd "$work" && "check_$label" $engine); then
      echo "wasi-test: $label under $engine: check_$label failed (stderr: $work/stderr)"
      failed=$((failed + 1))
      continue
    fi
    local expected=$here/expected/$label.out
    if [ "$update" = --update ] && [ $engine != llvm ] && { [ $engine = node ] || [ "$engines" = kiln ] || [ $node_ok = 0 ]; }; then
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
