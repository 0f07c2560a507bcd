;; Used by ConstantsAreSharedAndNeverOverwritten in tests/unit/interp_test.cpp.
(module
    (func (export "f") (result i32) (local i32)
      (local.set 0 (i32.const 5))
      (local.set 0 (i32.add (local.get 0) (i32.const 5)))
      (i32.add (local.get 0) (i32.const 5))))
