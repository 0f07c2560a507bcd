;; Used by Table64 in tests/unit/interp_test.cpp.
(module
    (table $t i64 2 funcref)
    (elem (table $t) (i64.const 1) func $seven)
    (type $r (func (result i32)))
    (func $seven (result i32) (i32.const 7))
    (func (export "call") (param i64) (result i32) (call_indirect $t (type $r) (local.get 0)))
    (func (export "size") (result i64) (table.size $t)))
