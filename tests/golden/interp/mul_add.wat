;; Used by kMulAdd in tests/unit/interp_test.cpp.
(module
    (func (export "muladd") (param f64 f64 f64) (result f64)
      (f64.add (f64.mul (local.get 0) (local.get 1)) (local.get 2))))
