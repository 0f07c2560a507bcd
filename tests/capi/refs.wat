(module
  (import "" "echo" (func $echo (param externref) (result externref)))
  (global $g (export "global") (mut externref) (ref.null extern))
  (table $t (export "table") 2 externref)
  (func (export "roundtrip") (param externref) (result externref) (call $echo (local.get 0)))
  (func (export "stash") (param externref)
    (global.set $g (local.get 0))
    (table.set $t (i32.const 1) (local.get 0)))
  (func (export "is_null") (param externref) (result i32) (ref.is_null (local.get 0))))
