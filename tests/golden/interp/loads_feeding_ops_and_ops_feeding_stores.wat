;; Used by LoadsFeedingOpsAndOpsFeedingStores in tests/unit/interp_test.cpp.
(module
    (memory 1)
    (data (i32.const 0) "\0a\00\00\00\03\00\00\00")
    (data (i32.const 64) "\00\00\00\00\00\00\24\40")   ;; f64 10.0
    (func (export "sub_l") (result i32) (i32.sub (i32.load (i32.const 0)) (i32.load offset=4 (i32.const 0))))
    (func (export "sub_r") (param i32) (result i32) (i32.sub (local.get 0) (i32.load (i32.const 4))))
    (func (export "div_r") (param f64) (result f64) (f64.div (local.get 0) (f64.load (i32.const 64))))
    (func (export "div_l") (param f64) (result f64) (f64.div (f64.load (i32.const 64)) (local.get 0)))
    (func (export "accumulate") (param i32 f64) (result f64)
      ;; c[i] += x * 2, twice: op feeding a store, load feeding an op
      (f64.store (local.get 0) (f64.add (f64.load (local.get 0)) (f64.mul (local.get 1) (f64.const 2))))
      (f64.store (local.get 0) (f64.add (f64.load (local.get 0)) (f64.mul (local.get 1) (f64.const 2))))
      (f64.load (local.get 0)))
    (func (export "xor_bytes") (param i32) (result i32)
      (i32.store8 (local.get 0) (i32.xor (i32.load8_u (local.get 0)) (i32.const 255)))
      (i32.load8_u (local.get 0)))
    (func (export "kept_load") (result i32) (local i32)
      ;; the loaded value is tee'd and used again after the op
      (i32.add (i32.add (local.tee 0 (i32.load (i32.const 0))) (i32.const 1)) (local.get 0))))
