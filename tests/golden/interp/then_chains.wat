;; Used by kThenChains in tests/unit/interp_test.cpp.
(module
    (memory 1)
    (func (export "invert") (param $p i32) (param $n i32) (local $i i32) (local $x i32)
      (loop $l
        (i32.store8 (local.tee $x (i32.add (local.get $p) (local.get $i)))
                    (i32.xor (i32.load8_u (local.get $x)) (i32.const 255)))
        (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n)))))
    ;; byte [2d + 1] = (int32_t)(min(a * 2 + b + c, 255) + 0.5), INT_MIN out of range
    (func (export "round") (param $d i32) (param $a f32) (param $b f32) (param $c f32) (local $t i32) (local $v f32)
      (block $done
        (block $out
          (br_if $out (i32.eqz (f32.lt (f32.abs (local.tee $v
            (f32.add (f32.min (f32.add (f32.add (f32.mul (local.get $a) (f32.const 2)) (local.get $b)) (local.get $c))
                              (f32.const 255))
                     (f32.const 0.5))))
            (f32.const 0x1p31))))
          (local.set $t (i32.trunc_f32_s (local.get $v)))
          (br $done))
        (local.set $t (i32.const 0x80000000)))
      (i32.store8 offset=1 (i32.add (local.get $d) (local.get $d)) (local.get $t)))
    ;; grayscale: each RGBx pixel in [p, end) to (77 r + 150 g + 29 b + 128) >> 8
    (func (export "luma") (param $p i32) (param $end i32) (local $y i32)
      (loop $l
        (local.set $y (i32.shr_u (i32.add (i32.add (i32.add
            (i32.mul (i32.load8_u (local.get $p)) (i32.const 77))
            (i32.mul (i32.load8_u offset=1 (local.get $p)) (i32.const 150)))
            (i32.mul (i32.load8_u offset=2 (local.get $p)) (i32.const 29))) (i32.const 128)) (i32.const 8)))
        (i32.store8 (local.get $p) (local.get $y))
        (i32.store8 offset=1 (local.get $p) (local.get $y))
        (i32.store8 offset=2 (local.get $p) (local.get $y))
        (br_if $l (i32.ne (local.tee $p (i32.add (local.get $p) (i32.const 4))) (local.get $end)))))
    (func (export "dot") (param $a f32) (param $b f32) (param $c f32) (result f32)
      (f32.min (f32.add (f32.add (f32.mul (local.get $a) (f32.const 0.25)) (f32.mul (local.get $b) (f32.const 0.5)))
                        (f32.mul (local.get $c) (f32.const 2)))
               (f32.const 100)))
    (func (export "byte") (param i32) (result i32) (i32.load8_u (local.get 0)))
    (func (export "set") (param i32 i32) (i32.store8 (local.get 0) (local.get 1))))
