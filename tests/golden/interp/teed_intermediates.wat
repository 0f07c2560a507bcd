;; Used by kTeedIntermediates in tests/unit/interp_test.cpp.
(module
    (memory 1)
    (func (export "load_op") (param $p i32) (param $x i32) (result i32)
      (i32.store (local.get $p) (i32.const 40))
      (i32.add (i32.add (i32.load (local.get $p)) (local.get $x))              ;; fused
               (i32.add (local.tee $p (i32.load (local.get $p))) (local.get $x))) ;; not
      (local.get $p)
      (i32.add))
    (func (export "op_store") (param $p i32) (param $x i32) (result i32)
      (i32.store (local.get $p) (i32.add (local.get $x) (i32.const 3)))           ;; fused
      (i32.store offset=4 (local.get $p) (local.tee $x (i32.add (local.get $x) (i32.const 1)))) ;; not
      (i32.add (i32.add (i32.load (local.get $p)) (i32.load offset=4 (local.get $p))) (local.get $x))))
