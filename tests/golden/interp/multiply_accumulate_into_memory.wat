;; Used by MultiplyAccumulateIntoMemory in tests/unit/interp_test.cpp.
(module
    (memory 1)
    (func (export "axpy") (param i32 f64 f64) (result f64)
      (f64.store (local.get 0) (f64.add (f64.mul (local.get 1) (local.get 2)) (f64.load (local.get 0))))
      (f64.store (local.get 0) (f64.add (f64.mul (local.get 1) (local.get 2)) (f64.load (local.get 0))))
      (f64.load (local.get 0)))
    (func (export "axpy32") (param i32 f32) (result f32)
      (f32.store offset=4 (local.get 0) (f32.add (f32.mul (local.get 1) (local.get 1)) (f32.load offset=4 (local.get 0))))
      (f32.load offset=4 (local.get 0))))
