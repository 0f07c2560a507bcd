;; Used by PendingLocalReadSurvivesAWriteToThatLocal in tests/unit/interp_test.cpp.
(module
    (func (export "f") (param i32) (result i32)
      (local.get 0)                                   ;; pending read of the old value
      (local.set 0 (i32.add (local.get 0) (i32.const 10)))  ;; must not overwrite it first
      (local.get 0)
      (i32.sub)))
