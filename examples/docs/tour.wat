;; The module of the C++ and C API tours (cpp_api.cpp, c_api.c): three host
;; functions in, a memory and five functions out.
(module
  (import "env" "weight" (func $weight (param i32) (result i32)))
  (import "env" "log" (func $log (param i32 i32)))
  (import "env" "double" (func $double (param i32) (result i64)))
  (memory (export "memory") 1)
  (data (i32.const 0) "step done")

  ;; Adds weight(n) to the total kept at address 16, logs, returns the total.
  (func (export "step") (param $n i32) (result i32)
    (i32.store (i32.const 16) (i32.add (i32.load (i32.const 16)) (call $weight (local.get $n))))
    (call $log (i32.const 0) (i32.const 9))
    (i32.load (i32.const 16)))

  (func (export "swap") (param i64 i32) (result i32 i64)
    (local.get 1) (local.get 0))

  (func (export "twice") (param i32) (result i64)
    (call $double (local.get 0)))

  ;; Never returns: for fuel and epochs.
  (func (export "spin")
    (loop $forever (br $forever)))

  ;; 1000 / n: traps when n is 0.
  (func (export "ratio") (param $n i32) (result i32)
    (i32.div_u (i32.const 1000) (local.get $n))))
