;; Used by TeeWithPendingReads in tests/unit/interp_test.cpp.
(module
    (func (export "f") (param i32) (result i32)
      (local.get 0)
      (local.tee 0 (i32.mul (local.get 0) (i32.const 3)))
      (i32.add)
      (local.get 0)
      (i32.add)))
