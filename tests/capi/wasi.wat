;; A WASI program for tests/capi/wasi.c, written against the raw
;; wasi_snapshot_preview1 calls: _start prints "hello, world", its arguments,
;; its environment and the contents of message.txt in the preopened directory
;; (fd 3), then calls proc_exit(3). A failing call ends it with status
;; 100 + errno. The other exports let the host look at what the guest was given.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $fd_close (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_fdstat_get" (func $fd_fdstat_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $environ_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_get" (func $environ_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))

  ;; 0: an iovec; 8: a byte count; 12: an fd; 16, 20: argc and argv bytes;
  ;; 24, 28: environment count and bytes; 32: an fdstat; 40: bytes read.
  ;; 1024/2048: argv pointers/strings; 4096/5120: environ; 8192: file contents.
  (memory (export "memory") 1)
  (data (i32.const 64) "hello, world\n")
  (data (i32.const 80) "message.txt")
  (data (i32.const 96) "arg: ")
  (data (i32.const 104) "env: ")
  (data (i32.const 112) "file: ")

  (func $check (param $errno i32)
    (if (local.get $errno) (then (call $proc_exit (i32.add (i32.const 100) (local.get $errno))))))

  (func $print (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (call $check (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))

  (func $strlen (param $p i32) (result i32) (local $n i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (i32.load8_u (i32.add (local.get $p) (local.get $n)))))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $n))

  ;; Each of `count` NUL-terminated strings whose pointers are at `ptrs`, on a
  ;; line of its own after a 5-byte label.
  (func $print_list (param $ptrs i32) (param $count i32) (param $label i32) (local $i i32) (local $s i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $count)))
        (local.set $s (i32.load (i32.add (local.get $ptrs) (i32.shl (local.get $i) (i32.const 2)))))
        (call $print (local.get $label) (i32.const 5))
        (call $print (local.get $s) (call $strlen (local.get $s)))
        (call $print (i32.const 76) (i32.const 1))  ;; the "\n" of "hello, world\n"
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next))))

  (func (export "_start") (local $fd i32)
    (call $print (i32.const 64) (i32.const 13))
    (call $check (call $args_sizes_get (i32.const 16) (i32.const 20)))
    (call $check (call $args_get (i32.const 1024) (i32.const 2048)))
    (call $print_list (i32.const 1024) (i32.load (i32.const 16)) (i32.const 96))
    (call $check (call $environ_sizes_get (i32.const 24) (i32.const 28)))
    (call $check (call $environ_get (i32.const 4096) (i32.const 5120)))
    (call $print_list (i32.const 4096) (i32.load (i32.const 24)) (i32.const 104))
    ;; path_open(dir fd 3, no lookup flags, "message.txt", no oflags, rights: fd_read)
    (call $check (call $path_open (i32.const 3) (i32.const 0) (i32.const 80) (i32.const 11) (i32.const 0)
                                  (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 12)))
    (local.set $fd (i32.load (i32.const 12)))
    (i32.store (i32.const 0) (i32.const 8192))
    (i32.store (i32.const 4) (i32.const 1024))
    (call $check (call $fd_read (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 40)))
    (call $check (call $fd_close (local.get $fd)))
    (call $print (i32.const 112) (i32.const 6))
    (call $print (i32.const 8192) (i32.load (i32.const 40)))
    (call $proc_exit (i32.const 3)))

  ;; What the guest was given: argument and environment counts and sizes, and
  ;; whether an fd is open (the errno of fd_fdstat_get: 0, or 8 for EBADF).
  (func (export "argc") (result i32)
    (call $check (call $args_sizes_get (i32.const 16) (i32.const 20)))
    (i32.load (i32.const 16)))
  (func (export "args_size") (result i32)
    (call $check (call $args_sizes_get (i32.const 16) (i32.const 20)))
    (i32.load (i32.const 20)))
  (func (export "envc") (result i32)
    (call $check (call $environ_sizes_get (i32.const 24) (i32.const 28)))
    (i32.load (i32.const 24)))
  (func (export "env_size") (result i32)
    (call $check (call $environ_sizes_get (i32.const 24) (i32.const 28)))
    (i32.load (i32.const 28)))
  (func (export "fdstat") (param $fd i32) (result i32)
    (call $fd_fdstat_get (local.get $fd) (i32.const 32))))
