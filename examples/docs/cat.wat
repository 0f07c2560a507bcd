;; A small `cat` for WASI, written with the raw wasi_snapshot_preview1 calls
;; (the guest of wasi_host.cpp and wasi_host.c): prints its environment, one
;; variable a line, then each file its arguments name, looked up in the first
;; preopened directory (fd 3). A file it cannot open is reported on stderr; it
;; exits (proc_exit) with the number of such files.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $fd_close (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $environ_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_get" (func $environ_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))

  ;; 0: an iovec; 8: bytes written; 12: bytes read; 16: an opened fd;
  ;; 24, 28: environment count and size; 32, 36: argument count and size;
  ;; 1024/2048: argv pointers/strings; 3072/4096: environ; 8192: a read buffer.
  (memory (export "memory") 1)
  (data (i32.const 64) "\n")
  (data (i32.const 72) "cat: cannot open ")

  (func $write (param $fd i32) (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 8))))

  (func $strlen (param $s i32) (result i32) (local $p i32)
    (local.set $p (local.get $s))
    (loop $more
      (if (i32.load8_u (local.get $p))
        (then (local.set $p (i32.add (local.get $p) (i32.const 1))) (br $more))))
    (i32.sub (local.get $p) (local.get $s)))

  ;; A NUL-terminated string and a newline.
  (func $line (param $fd i32) (param $s i32)
    (call $write (local.get $fd) (local.get $s) (call $strlen (local.get $s)))
    (call $write (local.get $fd) (i32.const 64) (i32.const 1)))

  ;; An open file to stdout, until fd_read reads nothing (or fails).
  (func $copy (param $fd i32)
    (block $done
      (loop $more
        (i32.store (i32.const 0) (i32.const 8192))
        (i32.store (i32.const 4) (i32.const 4096))
        (br_if $done (call $fd_read (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 12)))
        (br_if $done (i32.eqz (i32.load (i32.const 12))))
        (call $write (i32.const 1) (i32.const 8192) (i32.load (i32.const 12)))
        (br $more))))

  (func (export "_start") (local $i i32) (local $name i32) (local $failed i32)
    (drop (call $environ_sizes_get (i32.const 24) (i32.const 28)))
    (drop (call $environ_get (i32.const 3072) (i32.const 4096)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (i32.load (i32.const 24))))
        (call $line (i32.const 1) (i32.load (i32.add (i32.const 3072) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (drop (call $args_sizes_get (i32.const 32) (i32.const 36)))
    (drop (call $args_get (i32.const 1024) (i32.const 2048)))
    (local.set $i (i32.const 1))  ;; after argv[0], the program's name
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (i32.load (i32.const 32))))
        (local.set $name (i32.load (i32.add (i32.const 1024) (i32.shl (local.get $i) (i32.const 2)))))
        ;; path_open(fd 3, no lookup flags, name, no oflags, rights: fd_read) into 16
        (if (call $path_open (i32.const 3) (i32.const 0) (local.get $name) (call $strlen (local.get $name))
                             (i32.const 0) (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 16))
          (then
            (call $write (i32.const 2) (i32.const 72) (i32.const 17))
            (call $line (i32.const 2) (local.get $name))
            (local.set $failed (i32.add (local.get $failed) (i32.const 1))))
          (else
            (call $copy (i32.load (i32.const 16)))
            (drop (call $fd_close (i32.load (i32.const 16))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (call $proc_exit (local.get $failed))))
