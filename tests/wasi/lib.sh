# Shared by run.sh and thirdparty.sh.

# Prints what a run left behind: one line per entry below DIR, sorted (absolute
# link targets into DIR's parent start with WORKDIR).
snapshot() {
  (cd "$1" && find . -mindepth 1 | LC_ALL=C sort | while read -r p; do
    if [ -L "$p" ]; then echo "l $p -> $(readlink "$p" | sed "s|^$(dirname "$1")/|WORKDIR/|")"
    elif [ -d "$p" ]; then echo "d $p"
    else echo "f $p $(stat -c %s "$p") $(sha256sum < "$p" | cut -c1-16)"
    fi
  done)
}

# Whether a Node whose node:wasi speaks preview1 is here to serve as the reference.
have_node_wasi() {
  command -v node >/dev/null &&
    node --no-warnings -e 'new (require("node:wasi").WASI)({ version: "preview1" })' 2>/dev/null
}

# run_engine ENGINE WORK WASM [FLAGS...] -- [ARGS...]
# Runs WASM (a path relative to WORK, which also holds `sandbox/`) from WORK
# under ENGINE (kiln: $kiln run, the default tier; llvm: $kiln run --tier llvm;
# node: node_run.mjs) with `kiln run` FLAGS and
# the guest's ARGS, stdin from $STDIN (default /dev/null). Leaves in WORK:
# stdout, stderr, and `result` (stdout, the exit status and a snapshot of sandbox/).
run_engine() {
  local engine=$1 work=$2 wasm=$3
  shift 3
  local flags=()
  while [ $# -gt 0 ] && [ "$1" != -- ]; do flags+=("$1"); shift; done
  shift
  local status=0 runner
  case $engine in
    kiln) runner=("$kiln" run) ;;
    llvm) runner=("$kiln" run --tier llvm) ;;
    *) runner=(node --no-warnings "$(dirname "${BASH_SOURCE[0]}")/node_run.mjs") ;;
  esac
  (cd "$work" && exec timeout 120 "${runner[@]}" "${flags[@]}" "$wasm" "$@" < "${STDIN:-/dev/null}") \
    > "$work/stdout" 2> "$work/stderr" || status=$?
  {
    cat "$work/stdout"
    if [ -s "$work/stdout" ] && [ "$(tail -c1 "$work/stdout" | od -An -tx1 | tr -d ' ')" != 0a ]; then
      printf '\n--- (no newline at the end)\n'
    fi
    echo "--- exit: $status"
    echo "--- files:"
    snapshot "$work/sandbox"
  } > "$work/result"
}

# run_fresh ENGINE LABEL WASM [FLAGS...] -- [ARGS...]
# run_engine in a new $out/run/LABEL.ENGINE holding a copy of WASM and a
# sandbox/ filled by setup_LABEL (run inside it) when that function exists.
run_fresh() {
  local engine=$1 label=$2 wasm=$3
  shift 3
  local work=$out/run/$label.$engine
  rm -rf "$work"
  mkdir -p "$work/sandbox"
  cp "$wasm" "$work/"
  if declare -F "setup_$label" >/dev/null; then (cd "$work/sandbox" && "setup_$label"); fi
  run_engine "$engine" "$work" "$(basename "$wasm")" "$@"
}
