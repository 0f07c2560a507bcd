;; Used by kAxpyLoop in tests/unit/interp_test.cpp.
(module
    (memory 1)
    ;; x[j] = j, c[j] = 100 * j for j < n (8-byte elements from 0 and 4096)
    (func $fill (param $n i32) (local $j i32)
      (loop $l
        (f64.store (i32.shl (local.get $j) (i32.const 3)) (f64.convert_i32_u (local.get $j)))
        (f64.store offset=4096 (i32.shl (local.get $j) (i32.const 3))
          (f64.mul (f64.const 100) (f64.convert_i32_u (local.get $j))))
        (br_if $l (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 1))) (local.get $n)))))
    (func $sum (param $n i32) (result f64) (local $j i32) (local $s f64)
      (loop $l
        (local.set $s (f64.add (local.get $s) (f64.load offset=4096 (i32.shl (local.get $j) (i32.const 3)))))
        (br_if $l (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 1))) (local.get $n))))
      (local.get $s))
    ;; the loop over bytes [0, end) of c and x, two elements per round
    (func $axpy (param $c i32) (param $x i32) (param $end i32) (param $k f64) (param $p i32) (param $xs i32)
                (result i32) (local $i i32)
      (loop $l

        (f64.store (local.tee $p (i32.add (local.get $c) (local.get $i)))
          (f64.add (f64.mul (f64.load (local.tee $xs (i32.add (local.get $x) (local.get $i)))) (local.get $k))
                   (f64.load (local.get $p))))
        (f64.store (local.tee $p (i32.add (local.get $p) (i32.const 8)))
          (f64.add (f64.mul (f64.load (local.tee $xs (i32.add (local.get $xs) (i32.const 8)))) (local.get $k))
                   (f64.load (local.get $p))))

        (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 16))) (local.get $end))))
      ;; what the loop left in its locals
      (i32.add (i32.add (local.get $p) (local.get $xs)) (local.get $i)))
    (func (export "run") (param $n i32) (param $k f64) (result f64)
      (call $fill (local.get $n))
      (f64.add (f64.convert_i32_u (call $axpy (i32.const 4096) (i32.const 0) (i32.shl (local.get $n) (i32.const 3))
                                              (local.get $k) (i32.const -1) (i32.const -1)))
               (call $sum (local.get $n))))
    ;; c at the end of memory: the loop traps on its way
    (func (export "trap") (param $n i32)
      (call $fill (local.get $n))
      (drop (call $axpy (i32.const 65504) (i32.const 0) (i32.shl (local.get $n) (i32.const 3)) (f64.const 1)
                        (i32.const 0) (i32.const 0))))
    (func (export "load") (param i32) (result f64) (f64.load (local.get 0))))
