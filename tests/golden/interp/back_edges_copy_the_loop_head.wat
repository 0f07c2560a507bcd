;; Used by BackEdgesCopyTheLoopHead in tests/unit/interp_test.cpp.
(module
    (func (export "sum_to") (param i32) (result i32) (local i32)
      (block $done
        (loop $l
          (local.set 1 (i32.add (local.get 1) (local.get 0)))
          (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
          (br_if $done (i32.eqz (local.get 0)))
          (br $l)))
      (local.get 1))
    (func (export "float_loop") (param f64) (result i32) (local i32)
      (loop $l
        (local.set 0 (f64.mul (local.get 0) (f64.const 0.5)))
        (local.set 1 (i32.add (local.get 1) (i32.const 1)))
        (br_if $l (f64.gt (local.get 0) (f64.const 1))))
      (local.get 1)))
