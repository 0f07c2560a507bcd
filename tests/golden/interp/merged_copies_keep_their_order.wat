;; Used by MergedCopiesKeepTheirOrder in tests/unit/interp_test.cpp.
(module
    (func (export "rotate") (param i32) (result i32) (local i32 i32 i32 i32 i32)
      (local.set 1 (i32.const 1)) (local.set 2 (i32.const 2)) (local.set 3 (i32.const 3)) (local.set 4 (i32.const 4))
      (loop $l
        (local.set 5 (local.get 1))
        (local.set 1 (local.get 2))
        (local.set 2 (local.get 3))
        (local.set 3 (local.get 4))
        (local.set 4 (local.get 5))
        (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
      (i32.add (i32.mul (local.get 1) (i32.const 1000))
        (i32.add (i32.mul (local.get 2) (i32.const 100)) (i32.add (i32.mul (local.get 3) (i32.const 10)) (local.get 4))))))
