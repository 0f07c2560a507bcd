;; Calls (direct, to an import, indirect), br_table, globals and memory.grow: the
;; translator's own layouts, no fusion.
(module
  (type $t (func (param i32) (result i32)))
  (import "env" "h" (func $h (param i32) (result i32)))
  (table 2 funcref) (elem (i32.const 0) $f $g)
  (memory 1) (global $g0 (mut i32) (i32.const 5))
  (func $f (param i32) (result i32) (call $h (local.get 0)))
  (func $g (param i32) (result i32)
    (call_indirect (type $t) (local.get 0) (i32.const 1)))
  (func $sw (param i32) (result i32)
    (block (block (block (br_table 0 1 2 (local.get 0))) (return (i32.const 1))) (return (i32.const 2)))
    (global.set $g0 (i32.add (global.get $g0) (memory.grow (i32.const 1))))
    (call $g (global.get $g0))))
