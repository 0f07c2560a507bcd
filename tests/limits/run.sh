#!/usr/bin/env bash
# Resource limits of `kiln run`: fuel, timeout, stack and memory limits end
# hostile programs with the right message and exit status, and the process
# itself always survives (no signal).
# usage: tests/limits/run.sh path/to/kiln BUILD_DIR
set -uo pipefail
kiln=$1
out=$2/limits-test
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
failures=0

check() {  # name, expected exit status, expected stderr text, command...
  local name=$1 want_status=$2 want_text=$3
  shift 3
  local output status
  output=$("$@" 2>&1)
  status=$?
  if [ "$status" -ne "$want_status" ] || ! grep -qF -- "$want_text" <<< "$output"; then
    echo "limits: $name: exit $status (want $want_status), output:"
    printf '%s\n' "$output" | head -5 | sed 's/^/    /'
    failures=$((failures + 1))
  else
    echo "limits: $name: ok (exit $status)"
  fi
}

"$here/../../scripts/wasm-clang" --target=wasm32-wasi -O2 -o "$out/grow.wasm" "$here/grow.c" 2>"$out/clang.log" ||
  { echo "limits: cannot build grow.c for wasm32-wasi:"; cat "$out/clang.log"; failures=$((failures + 1)); }

# The limits hold in native code as in the interpreter: every check on each
# tier (auto is kiln run's default).
for tier in interp auto llvm; do
  run=("$kiln" run --tier "$tier")
  # 134 is a trap (128 + SIGABRT, as documented); a signal would be 128 + 11 etc.
  check "$tier: fuel ends an infinite loop" 134 "all fuel consumed" "${run[@]}" --fuel 1000000 "$here/spin.wat"
  # The timeout is generous on purpose: this checks that the loop ends, not how fast.
  start=$(date +%s)
  check "$tier: timeout ends an infinite loop" 134 "interrupted" timeout 60 "${run[@]}" --timeout 1s "$here/spin.wat"
  echo "limits: (the 1s timeout took $(( $(date +%s) - start ))s of wall time)"
  check "$tier: recursion ends in stack exhaustion" 134 "call stack exhausted" "${run[@]}" "$here/recurse.wat"
  check "$tier: a small --max-stack exhausts sooner" 134 "call stack exhausted" "${run[@]}" --max-stack 64KiB "$here/recurse.wat"
  check "$tier: bad limit values are usage errors" 1 "invalid duration" "${run[@]}" --timeout soon "$here/spin.wat"

  if [ -f "$out/grow.wasm" ]; then
    check "$tier: memory.grow returns -1 at --max-memory" 0 "memory.grow returned -1 at 1024 pages (64 MiB)" \
      "${run[@]}" --max-memory 64MiB "$out/grow.wasm"
    check "$tier: a memory minimum above --max-memory fails to instantiate" 1 "memory" \
      "${run[@]}" --max-memory 64KiB "$out/grow.wasm"
  fi
done

[ "$failures" -eq 0 ] && echo "limits: all passed" || { echo "limits: $failures failed"; exit 1; }
