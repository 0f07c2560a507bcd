;; Used by kAxpyLoopSumToCounter in tests/unit/interp_test.cpp.
(module
    (memory 1)
    (func (export "axpy") (param $c i32) (param $x i32) (param $end i32) (param $k f64) (result i32)
                (local $i i32) (local $xs i32) (local $p i32)
      (loop $l
        (f64.store (local.tee $i (i32.add (local.get $c) (local.get $i)))
          (f64.add (f64.mul (f64.load (local.tee $xs (i32.add (local.get $x) (local.get $i)))) (local.get $k))
                   (f64.load (local.get $i))))
        (f64.store (local.tee $p (i32.add (local.get $i) (i32.const 8)))
          (f64.add (f64.mul (f64.load (local.tee $xs (i32.add (local.get $xs) (i32.const 8)))) (local.get $k))
                   (f64.load (local.get $p))))
        (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 16))) (local.get $end))))
      (local.get $i)))
