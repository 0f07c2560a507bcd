;; Used by kFloatAccumulator in tests/unit/interp_test.cpp.
(module
    (memory 1)
    (data (i32.const 0) "\00\80\ff")
    (func (export "bytes") (param i32) (result f32)  ;; byte loads converted, plain and indexed
      (f32.add (f32.convert_i32_u (i32.load8_u (local.get 0)))
               (f32.convert_i32_s (i32.load8_u offset=1 (i32.add (local.get 0) (i32.const 1))))))
    (func (export "byte64") (param i32) (result f64)
      (f64.convert_i32_s (i32.load8_u (local.get 0))))
    (func (export "f32") (param i32) (result f32)
      (f32.min (f32.add (f32.mul (f32.convert_i32_u (local.get 0)) (f32.const 0.5)) (f32.const 1))
               (f32.const 100)))
    (func (export "f64") (param i32) (result f64)
      (f64.div (f64.sqrt (f64.promote_f32 (f32.convert_i32_s (local.get 0)))) (f64.const 4)))
    (func (export "clamp") (param f32 f32) (result f32)  ;; a min/max pair
      (f32.max (f32.min (f32.add (local.get 0) (local.get 1)) (f32.const 255)) (f32.const -0))))
