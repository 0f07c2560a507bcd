;; Used by FusedSumsThatLiveInLocals in tests/unit/interp_test.cpp.
(module
    (memory 1)
    ;; the address sum is tee'd into a local that is also the stored value
    (func (export "store_self") (param i32) (result i32) (local i32)
      (i32.store (local.tee 1 (i32.add (local.get 0) (i32.const 8))) (local.get 1))
      (i32.load (i32.const 16)))
    ;; a loop counter compared with itself after the increment
    (func (export "self_compare") (param i32) (result i32)
      (block $out
        (br_if $out (i32.eq (local.tee 0 (i32.add (local.get 0) (i32.const 1))) (local.get 0)))
        (return (i32.const -1)))
      (local.get 0))
    ;; a chain whose intermediate is kept in a local and used again
    (func (export "chain") (param i32 i32) (result i32) (local i32)
      (i32.add (i32.add (local.tee 2 (i32.add (local.get 0) (local.get 1))) (local.get 2)) (local.get 2)))
    ;; a sum used as the address, then read from the local
    (func (export "load_keep") (param i32) (result i32) (local i32)
      (i32.store (i32.const 40) (i32.const 1234))
      (i32.add (i32.load (local.tee 1 (i32.add (local.get 0) (i32.const 4)))) (local.get 1))))
