;; Used by CompareResultUsedAsValueIsNotFused in tests/unit/interp_test.cpp.
(module
    (func (export "f") (param i32 i32) (result i32)
      (block $b (result i32)
        (i32.const 42)
        (i32.lt_u (local.get 0) (local.get 1))
        (local.tee 0)
        (br_if $b)
        (drop)
        (local.get 0))))
