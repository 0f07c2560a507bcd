;; For tests/capi/errors.c: a module with a host import and a WASI import, to
;; fail to instantiate in several ways.
(module
  (import "env" "log" (func $log (param i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "run") (call $log (i32.const 42))))
