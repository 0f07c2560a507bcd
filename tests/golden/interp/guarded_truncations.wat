;; Used by kGuardedTruncations in tests/unit/interp_test.cpp.
(module
    (func (export "if_f32_i32") (param f32) (result i32)
      (if (result i32) (f32.lt (f32.abs (local.get 0)) (f32.const 0x1p31))
        (then (i32.trunc_f32_s (local.get 0)))
        (else (i32.const 0x80000000))))
    (func (export "blocks_f32_i32") (param f32) (result i32) (local i32)
      (block $done
        (block $out_of_range
          (br_if $out_of_range (i32.eqz (f32.lt (f32.abs (local.get 0)) (f32.const 0x1p31))))
          (local.set 1 (i32.trunc_f32_s (local.get 0)))
          (br $done))
        (local.set 1 (i32.const 0x80000000)))
      (local.get 1))
    (func (export "if_f64_i32") (param f64) (result i32)
      (if (result i32) (f64.lt (f64.abs (local.get 0)) (f64.const 0x1p31))
        (then (i32.trunc_f64_s (local.get 0)))
        (else (i32.const 0x80000000))))
    (func (export "if_f32_i64") (param f32) (result i64)
      (if (result i64) (f32.lt (f32.abs (local.get 0)) (f32.const 0x1p63))
        (then (i64.trunc_f32_s (local.get 0)))
        (else (i64.const 0x8000000000000000))))
    (func (export "if_f64_i64") (param f64) (result i64)
      (if (result i64) (f64.lt (f64.abs (local.get 0)) (f64.const 0x1p63))
        (then (i64.trunc_f64_s (local.get 0)))
        (else (i64.const 0x8000000000000000))))
    ;; Not the idiom: a limit of 2^30 must keep the plain code (and its result).
    (func (export "other_limit") (param f32) (result i32)
      (if (result i32) (f32.lt (f32.abs (local.get 0)) (f32.const 0x1p30))
        (then (i32.trunc_f32_s (local.get 0)))
        (else (i32.const 0x80000000))))
    ;; The same shape, but a second branch also lands on the INT_MIN arm: fusing
    ;; would drop that jump's target, so it stays unfused.
    (func (export "second_jump") (param f32 i32) (result i32) (local i32)
      (block $done
        (block $out_of_range
          (br_if $out_of_range (local.get 1))
          (br_if $out_of_range (i32.eqz (f32.lt (f32.abs (local.get 0)) (f32.const 0x1p31))))
          (local.set 2 (i32.trunc_f32_s (local.get 0)))
          (br $done))
        (local.set 2 (i32.const 0x80000000)))
      (local.get 2)))
