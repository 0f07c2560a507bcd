;; Used by kWordSwitch in tests/unit/interp_test.cpp.
(module
    (memory 1)
    (data (i32.const 64) "\00\00\00\00" "\01\00\00\00" "\00\00\00\00" "\01\00\00\00" "\07\00\00\00")
    (func (export "vm") (param $pc i32) (result i32) (local $acc i32) (local $op i32)
      (block $halt
        (loop $next
          (block $double
            (block $inc
              (br_table $inc $double $halt
                (i32.load offset=60 (i32.add (i32.shl (local.get $pc) (i32.const 2)) (i32.const 4)))))
            (local.set $pc (i32.add (local.get $pc) (i32.const 1)))
            (local.set $acc (i32.add (local.get $acc) (i32.const 1)))
            (br $next))
          (local.set $pc (i32.add (local.get $pc) (i32.const 1)))
          (local.set $acc (i32.shl (local.get $acc) (i32.const 1)))
          (br $next)))
      (local.get $acc)))
