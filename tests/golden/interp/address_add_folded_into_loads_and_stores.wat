;; Used by AddressAddFoldedIntoLoadsAndStores in tests/unit/interp_test.cpp.
(module
    (memory 1)
    (func (export "f") (param i32 i32) (result i32)
      (i32.store offset=4 (i32.add (local.get 0) (local.get 1)) (i32.const 0x01020304))
      (i32.store8 (i32.add (local.get 0) (i32.const 100)) (i32.load8_u offset=4 (i32.add (local.get 0) (local.get 1))))
      (i32.add
        (i32.load offset=4 (i32.add (local.get 1) (local.get 0)))
        (i32.load8_u (i32.add (local.get 0) (i32.const 100)))))
    (func (export "wrap") (param i32 i32) (result i32)
      ;; the i32 add wraps before the offset is applied: 0xffff_fff0 + 0x20 = 0x10
      (i32.store (i32.const 0x10) (i32.const 77))
      (i32.load (i32.add (local.get 0) (local.get 1))))
    (func (export "oob") (param i32) (result i32)
      (i32.load offset=8 (i32.add (local.get 0) (i32.const 65528)))))
