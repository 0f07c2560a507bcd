;; Used by kAccumulatorJoin in tests/unit/interp_test.cpp.
(module
    (func (export "join") (param $a i32) (param $b i32) (result i32)
      (block $done (result i32)
        (i32.add (local.get $a) (i32.const 1))
        (br_if $done (i32.and (local.get $b) (i32.const 1)))
        (drop)
        (i32.mul (local.get $a) (i32.const 3)))
      (i32.xor (i32.const 0x100))))
