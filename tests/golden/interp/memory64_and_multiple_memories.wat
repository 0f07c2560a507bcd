;; Used by Memory64AndMultipleMemories in tests/unit/interp_test.cpp.
(module
    (memory $small 1)
    (memory $wide i64 1 4)
    (func (export "roundtrip") (param i64) (result i32)
      (i32.store $wide offset=0x10 (local.get 0) (i32.const 0x5eed))
      (i32.store $small (i32.const 0) (i32.const 7))
      (i32.add (i32.load $wide offset=0x10 (local.get 0)) (i32.load $small (i32.const 0))))
    (func (export "grow") (param i64) (result i64) (memory.grow $wide (local.get 0)))
    (func (export "size") (result i64) (memory.size $wide))
    (func (export "oob") (param i64) (result i32) (i32.load $wide (local.get 0)))
    (func (export "huge_offset") (result i32) (i32.load $wide offset=0xffffffffffff (i64.const 0)))
    (func (export "copy") (result i32)
      ;; between memories of different index widths
      (memory.copy $small $wide (i32.const 100) (i64.const 0x10) (i32.const 4))
      (i32.load $small (i32.const 100))))
