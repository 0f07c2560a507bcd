;; Used by CompareFusedIntoBranchAndIf in tests/unit/interp_test.cpp.
(module
    (func (export "max") (param i32 i32) (result i32)
      (if (result i32) (i32.gt_s (local.get 0) (local.get 1)) (then (local.get 0)) (else (local.get 1))))
    (func (export "count_below") (param i64) (result i32) (local i32)
      (block $done
        (loop $l
          (br_if $done (i64.ge_u (i64.extend_i32_u (local.get 1)) (local.get 0)))
          (local.set 1 (i32.add (local.get 1) (i32.const 1)))
          (br $l)))
      (local.get 1))
    (func (export "is_zero") (param i64) (result i32)
      (block $z (br_if $z (i64.eqz (local.get 0))) (return (i32.const 0)))
      (i32.const 1)))
