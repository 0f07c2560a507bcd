;; For tests/capi/errors.c: imports a function WASI preview1 does not have.
(module
  (import "wasi_snapshot_preview1" "fd_frobnicate" (func (param i32) (result i32))))
