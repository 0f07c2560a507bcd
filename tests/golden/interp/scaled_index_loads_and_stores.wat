;; Used by ScaledIndexLoadsAndStores in tests/unit/interp_test.cpp.
(module
    (memory 1)
    (func (export "fill_and_sum") (param i32) (result i64) (local i32 i64)
      ;; a[i] = i * 3 for i < n, as i64 at base 64; then sum them
      (block $done (loop $l
        (br_if $done (i32.ge_u (local.get 1) (local.get 0)))
        (i64.store (i32.add (i32.shl (local.get 1) (i32.const 3)) (i32.const 64))
                   (i64.mul (i64.extend_i32_u (local.get 1)) (i64.const 3)))
        (local.set 1 (i32.add (local.get 1) (i32.const 1)))
        (br $l)))
      (local.set 1 (i32.const 0))
      (block $done (loop $l
        (br_if $done (i32.ge_u (local.get 1) (local.get 0)))
        (local.set 2 (i64.add (local.get 2)
          (i64.load (i32.add (i32.shl (local.get 1) (i32.const 3)) (i32.const 64)))))
        (local.set 1 (i32.add (local.get 1) (i32.const 1)))
        (br $l)))
      (local.get 2))
    (func (export "scaled_kept") (param i32) (result i32) (local i32)
      ;; the scaled address is tee'd and read again
      (i32.store (i32.const 8) (i32.const 99))
      (i32.add (i32.load (local.tee 1 (i32.add (i32.shl (local.get 0) (i32.const 2)) (i32.const 4))))
               (local.get 1))))
