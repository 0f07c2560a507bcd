;; Used by SetOfALocalFromItself in tests/unit/interp_test.cpp.
(module
    (func (export "f") (param i32 i32) (result i32)
      (local.set 1 (local.get 0))
      (local.set 0 (local.get 1))
      (local.set 1 (i32.add (local.get 1) (local.get 1)))
      (i32.add (local.get 0) (local.get 1))))
