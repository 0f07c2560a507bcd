;; v128 operations: loads and stores, lane-wise arithmetic, shuffles, lane
;; access and a reduction, as clang's vectorizer emits them.
(module
  (memory 1)
  (func $saxpy (param $x i32) (param $y i32) (param $n i32) (param $a f32) (local $i i32) (local $k v128)
    (local.set $k (f32x4.splat (local.get $a)))
    (loop $l
      (v128.store (i32.add (local.get $y) (local.get $i))
        (f32x4.add (v128.load (i32.add (local.get $y) (local.get $i)))
                   (f32x4.mul (local.get $k) (v128.load (i32.add (local.get $x) (local.get $i))))))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 16))) (local.get $n)))))
  (func $hsum (param $v v128) (result i32)
    (local.set $v (i32x4.add (local.get $v) (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v))))
    (i32.add (i32x4.extract_lane 0 (local.get $v)) (i32x4.extract_lane 1 (local.get $v))))
  (func $bytes (param $p i32) (result v128)
    (i16x8.add_sat_u (v128.load8x8_u (local.get $p)) (v128.const i16x8 1 2 3 4 5 6 7 8))))
