;; Used by PlainResultsFeedTheAccumulator in tests/unit/interp_test.cpp: every
;; plain handler (generated from opcodes.def) leaves its result in the
;; accumulator, so the next instruction takes an accumulator form.
(module
  (func (export "wrap_add") (param i64 i32) (result i32)
    (i32.add (i32.wrap_i64 (local.get 0)) (local.get 1)))
  (func (export "abs_mul") (param f32 f32) (result f32)
    (f32.mul (f32.abs (local.get 0)) (local.get 1)))
  (func (export "sqrt_sub") (param f64 f64) (result f64)
    (f64.sub (f64.sqrt (local.get 0)) (local.get 1)))
  (func (export "eqz_or") (param i32 i32) (result i32)
    (i32.or (i32.eqz (local.get 0)) (local.get 1))))
