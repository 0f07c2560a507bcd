;; Used by kAddPairs in tests/unit/interp_test.cpp.
(module
    (memory 1)
    (func (export "steps") (param $n i32) (result i64) (local $i i32) (local $p i32) (local $s i64)
      (loop $l
        (local.set $p (i32.add (local.get $p) (i32.const 3)))
        (local.set $s (i64.add (local.get $s) (i64.const 5)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
      (i64.add (local.get $s) (i64.extend_i32_u (i32.add (local.get $p) (local.get $i)))))
    (func (export "join") (param $c i32) (param $a i32) (result i32) (local $b i32)
      (local.set $a (i32.add (local.get $a) (i32.const 1)))
      (block $j
        (br_if $j (local.get $c))
        (local.set $a (i32.add (local.get $a) (i32.const 10))))
      (local.set $b (i32.add (local.get $a) (i32.const 100)))
      (i32.add (i32.mul (local.get $b) (i32.const 1000)) (local.get $a)))
    ;; an addition, then a load (I32AddThenI32Load); an addition, then one
    ;; reading its sum from the accumulator (I32AddThenI32AddAccA)
    (func (export "then") (param $p i32) (param $q i32) (result i32) (local $a i32)
      (i32.store (i32.const 8) (i32.const 77))
      (local.set $a (i32.add (local.get $q) (i32.const 5)))
      (local.set $p (i32.load (local.get $p)))
      (local.set $q (i32.add (local.get $q) (i32.const 1)))
      (local.set $a (i32.add (local.get $q) (local.get $a)))
      (i32.add (local.get $a) (local.get $p))))

