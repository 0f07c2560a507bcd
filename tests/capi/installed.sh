# shellcheck shell=bash
# Sourced by tests/capi/run.sh and tests/docs/run.sh: what both need to build
# programs the way an embedder would. With `build` (a build directory) and
# `work` (an empty folder) set, installs Kiln into $work/prefix, exports
# PKG_CONFIG_PATH for it, and sets `cflags`, `libs` and `libdir` from
# pkg-config; defines `pass` and `fail NAME [LOG]`, which count into `passed`
# and `failed`, and `check_output`.

passed=0
failed=0
pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL $1"; [ -f "${2:-}" ] && sed 's/^/    /' "$2" | head -40; }

prefix=$work/prefix
cmake --install "$build" --prefix "$prefix" >"$work/install.log" 2>&1 || { cat "$work/install.log"; exit 1; }
PKG_CONFIG_PATH=$(dirname "$(find "$prefix" -name kiln.pc | head -1)")
export PKG_CONFIG_PATH
cflags=$(pkg-config --cflags kiln) && libs=$(pkg-config --libs kiln) && libdir=$(pkg-config --variable=libdir kiln) ||
  { echo "FAIL pkg-config kiln"; exit 1; }

# check_output WHAT DIR EXE EXPECTED [merge]: runs EXE in DIR (stdin from
# /dev/null, 60 s at most) and passes if it exits with 0 and prints exactly
# the file EXPECTED; with `merge`, what it writes to stderr counts as output.
check_output() {
  local what=$1 dir=$2 exe=$3 expected=$4 err=$3.err
  if [ "${5:-}" = merge ]; then
    err=$exe.txt
    (cd "$dir" && exec timeout 60 "$exe" >"$exe.txt" 2>&1 </dev/null)
  else
    (cd "$dir" && exec timeout 60 "$exe" >"$exe.txt" 2>"$err" </dev/null)
  fi
  local status=$?
  if [ "$status" -ne 0 ]; then
    fail "$what: exit status $status" "$err"
  elif ! diff -u "$expected" "$exe.txt" >"$exe.diff" 2>&1; then
    fail "$what: output differs from ${expected#"$root"/}" "$exe.diff"
  else
    pass
  fi
}
