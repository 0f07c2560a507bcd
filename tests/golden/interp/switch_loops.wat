;; Used by kSwitchLoops in tests/unit/interp_test.cpp.
(module
    (memory 1)
    (data (i32.const 0) "\00\01\00\01\01\02")
    (data (i32.const 16) "\00\00\00\01")
    (func (export "vm") (param $pc i32) (result i32) (local $acc i32) (local $op i32)
      (block $halt
        (loop $next
          (local.set $op (i32.load8_u (local.get $pc)))
          (local.set $pc (i32.add (local.get $pc) (i32.const 1)))
          (block $double
            (block $inc
              (br_table $inc $double $halt (local.get $op)))
            (local.set $acc (i32.add (local.get $acc) (i32.const 1)))
            (br $next))
          (local.set $acc (i32.shl (local.get $acc) (i32.const 1)))
          (br $next)))
      (local.get $acc))
    (func (export "vm_values") (param $pc i32) (result i32) (local $acc i32)
      (block $halt (result i32)
        (loop $next
          (block $inc (result i32)
            (local.get $acc)
            (local.set $pc (i32.add (local.get $pc) (i32.const 1)))
            (br_table $inc $halt (i32.load8_u offset=15 (local.get $pc))))
          (local.set $acc (i32.add (i32.const 3)))
          (br $next))
        (unreachable))))
