;; Used by BranchValuesThroughBlocksAndTables in tests/unit/interp_test.cpp.
(module
    (func (export "f") (param i32) (result i32 i32)
      (block $a (result i32 i32)
        (block $b (result i32 i32)
          (br_table $a $b $a (i32.const 10) (i32.const 20) (local.get 0)))
        (local.set 0)
        (i32.add (i32.const 100))
        (local.get 0))))
