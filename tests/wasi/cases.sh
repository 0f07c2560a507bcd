# The WASI test cases, sourced by run.sh: run_case CASE[:PROGRAM] ENGINES [FLAGS...] -- [ARGS...]
# (see run.sh). setup_CASE fills the sandbox; check_CASE ENGINE adds checks of its own.

run_case hello both --
run_case args_env both --env GREETING=hello --env EMPTY= --env "WITH_EQUALS=a=b" -- one "two words" --dash ""
run_case args_none:args_env both --

setup_cat() { printf 'first file\nwith two lines\n' > a.txt; printf 'second\n' > b.txt; }
STDIN=$here/expected/cat_stdin.in run_case cat:cat_copy both --dir sandbox::. -- cat a.txt - b.txt missing.txt
setup_copy() { head -c 100000 /dev/zero | tr '\0' 'k' > big.txt; }
run_case copy:cat_copy both --dir sandbox::. -- copy big.txt copy.txt

run_case listdir both --dir sandbox::. --
run_case clocks_random both --
# Each of these also runs with `strict`, kiln only: the checks Node's WASI fails
# (the comment at the top of each program says which).
for program in fs_ops seek_io file_times poll_timeout; do
  STDIN=$here/expected/cat_stdin.in run_case "$program" both --dir sandbox::. --
  STDIN=$here/expected/cat_stdin.in run_case "${program}_strict:$program" kiln --dir sandbox::. -- strict
done

for how in return exit proc_exit; do
  for code in 0 3 125; do
    run_case "exit_${how}_$code:exit_codes" both -- "$how" "$code"
  done
done

setup_sandbox_escape() {
  mkdir -p ../outside sub
  echo "the secret" > ../outside/secret
  echo inside > inside.txt
  ln -s ../outside escape_rel
  ln -s ../outside/secret escape_file
  ln -s "$(cd .. && pwd)/outside/secret" escape_abs
  ln -s ../.. sub/escape_up
  ln -s inside.txt link_inside
}
check_sandbox_escape() { [ "$(ls outside)" = secret ] && grep -qx "the secret" outside/secret; }
# Kiln only: Node's WASI is no sandbox (its documentation says so). It follows
# host symlinks out of the preopen: escape_rel/secret opens, and unlinking it
# deletes the file outside. It also refuses to create symlinks to "../...".
run_case sandbox_escape kiln --dir sandbox::. --
# Kiln only: Node's fd_fdstat_set_flags changes nothing, fd_prestat_dir_name
# into a short buffer is ENOBUFS (kiln: ENAMETOOLONG, as Wasmtime), and
# fd_prestat_get of a non-preopen / path_open of "" are EINVAL (kiln: EBADF and
# ENOENT, as Wasmtime; wasi-libc stops scanning preopens at EBADF).
run_case rights_fds kiln --dir sandbox::. --dir sandbox/..::/parent_as_second_preopen --

# Kiln only: Node's WASI has no way to hand a socket to the guest.
check_sock_echo() {
  for _ in $(seq 20); do grep -qx "HELLO, SOCKET!" reply 2>/dev/null && break; sleep 0.1; done
  grep -qx "received 15 bytes: hello, socket!" stdout && grep -qx "HELLO, SOCKET!" reply
}
sock_port=$((20000 + RANDOM % 20000))
(
  # One client for each run, in run_case's order of engines.
  for engine in kiln llvm; do
    for _ in $(seq 100); do
      if exec 5<>"/dev/tcp/127.0.0.1/$sock_port" 2>/dev/null; then
        printf 'hello, socket!\n' >&5
        cat <&5 > "$out/run/sock_echo.$engine/reply"
        exec 5<&-
        break
      fi
      sleep 0.1
    done
  done
) 2>/dev/null &
# localhost: --tcplisten takes numeric addresses and this one name.
run_case sock_echo kiln --tcplisten "localhost:$sock_port" --
wait

# Kiln only: Node reports a trap as a JavaScript exception (its runner maps it
# to 134 too, but the message and the backtrace are kiln's own).
check_trap() {
  [ "$1" != node ] || return 0
  grep -q "wasm backtrace" stderr && grep -q "divide" stderr && grep -q "compute_ratio" stderr &&
    grep -q "integer divide by zero" stderr
}
run_case trap both --
# Kiln only: Node's proc_raise sends the signal to the node process itself.
check_proc_raise() { grep -q "proc_raise: the program raised signal 6" stderr; }
run_case proc_raise kiln --
