;; Prints "doubled: N\n" for N = helper.double(21) through WASI fd_write, and
;; exits with the value of the environment variable count (WASI environ_sizes_get).
(module
  (import "helper" "double" (func $double (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $environ_sizes (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "doubled: ")
  (func (export "_start") (local $n i32)
    (local.set $n (call $double (i32.const 21)))
    ;; two decimal digits of n at 25, then a newline
    (i32.store8 (i32.const 25) (i32.add (i32.const 48) (i32.div_u (local.get $n) (i32.const 10))))
    (i32.store8 (i32.const 26) (i32.add (i32.const 48) (i32.rem_u (local.get $n) (i32.const 10))))
    (i32.store8 (i32.const 27) (i32.const 10))
    (i32.store (i32.const 0) (i32.const 16))  ;; iovec: base
    (i32.store (i32.const 4) (i32.const 12))  ;;        length
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (drop (call $environ_sizes (i32.const 32) (i32.const 36)))
    (call $exit (i32.load (i32.const 32)))))
