;; Used by NegatedFloatComparisonsAsConditions in tests/unit/interp_test.cpp.
(module
    (func (export "not_less") (param f32 f32) (result i32)
      (block $yes
        (br_if $yes (i32.eqz (f32.lt (local.get 0) (local.get 1))))
        (return (i32.const 0)))
      (i32.const 1))
    (func (export "value_of_eqz") (param i32 i32) (result i32)
      ;; the negated comparison used as a value, not a branch
      (i32.eqz (i32.lt_s (local.get 0) (local.get 1)))))
