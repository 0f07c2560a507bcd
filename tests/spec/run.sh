#!/usr/bin/env bash
# Runs the official spec test scripts and compares per-file pass counts with the
# checked-in expectations. A file that passes fewer assertions than expected, or
# crashes, fails the run; a file that passes more is reported so the expectation
# can be raised (make update-spec-expectations).
#
# Each tier has its own expectations: expected-SUITE.txt for the interpreter,
# expected-SUITE-TIER.txt for another (kiln wast --tier TIER).
#
# usage: tests/spec/run.sh path/to/kiln [--tier interp|llvm] [--suite 2.0|3.0] [--update]
set -uo pipefail

kiln=$(realpath "$1"); shift
update=""; tier=interp; only=""
while [ $# -gt 0 ]; do
  case "$1" in
    --update) update=--update ;;
    --tier) tier=$2; shift ;;
    --suite) only=$2; shift ;;
    *) echo "spec-test: unknown option $1"; exit 2 ;;
  esac
  shift
done
here=$(cd "$(dirname "$0")" && pwd)
shared=$(cd "$here/../../../shared" 2>/dev/null && pwd) || { echo "spec-test: ../shared not found"; exit 1; }
suffix=""; [ "$tier" = interp ] || suffix="-$tier"

# suite name, directory, expectation file, extra kiln flags
suites=(
  "2.0|$shared/wasm-testsuite-2.0|$here/expected-2.0$suffix.txt|--wasm2 --tier $tier"
  # WebAssembly 3.0 is work in progress: its expectations record what passes
  # today (GC, exceptions and typed function references are still to come), so
  # gains show in the diff.
  "3.0|$shared/wasm-testsuite|$here/expected-3.0$suffix.txt|--tier $tier"
)

run_one() {  # kiln flags file -> "name passed failed status"
  local kiln=$1 flags=$2 file=$3
  local out status
  out=$(timeout 60 "$kiln" wast $flags "$file" 2>&1 </dev/null)
  status=$?
  local counts
  counts=$(printf '%s\n' "$out" | tail -n 1 | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p')
  [ -n "$counts" ] || counts="0 0"
  echo "$(basename "$file") $counts $status"
}
export -f run_one

overall=0
for suite in "${suites[@]}"; do
  IFS='|' read -r name dir expected flags <<< "$suite"
  [ -z "$only" ] || [ "$only" = "$name" ] || continue
  label="$name${suffix:+ ($tier)}"
  results=$(ls "$dir"/*.wast | xargs -P 2 -I{} bash -c 'run_one "$0" "$1" "$2"' "$kiln" "$flags" {} | sort)
  total_pass=0; total_fail=0; regressions=0; gains=0; crashes=0
  while read -r file pass fail status; do
    total_pass=$((total_pass + pass)); total_fail=$((total_fail + fail))
    if [ "$status" -gt 1 ]; then
      echo "spec $label: $file crashed or timed out (exit $status)"; crashes=$((crashes + 1))
    fi
    want=$(awk -v f="$file" '$1 == f { print $2 }' "$expected" 2>/dev/null)
    want=${want:-0}
    if [ "$pass" -lt "$want" ]; then
      echo "spec $label: $file: $pass passed, expected $want (regression)"; regressions=$((regressions + 1))
    elif [ "$pass" -gt "$want" ]; then
      gains=$((gains + 1))
      [ "$update" = "--update" ] || echo "spec $label: $file: $pass passed, expected $want (better: update the expectations)"
    fi
  done <<< "$results"
  echo "spec $label: $total_pass passed, $total_fail failed over $(echo "$results" | wc -l) files"
  if [ "$update" = "--update" ]; then
    { echo "# file passed failed (kiln wast --tier $tier over $name; regenerate with make update-spec-expectations)"
      echo "$results" | awk '{ print $1, $2, $3 }'; } > "$expected"
    echo "spec $label: wrote $expected"
  elif [ $regressions -gt 0 ] || [ $crashes -gt 0 ]; then
    overall=1
  fi
done
exit $overall
