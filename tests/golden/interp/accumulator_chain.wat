;; Used by kAccumulatorChain in tests/unit/interp_test.cpp.
(module
    (memory 1)
    (data (i32.const 0) "\64\65\66\67\68\69\6a\6b\6c\6d\6e\6f\70\71\72\73")
    (func (export "chain") (param $a i32) (param $b i32) (result i32)
      (i32.sub (i32.load8_u (i32.and (i32.clz (local.get $a)) (i32.const 15))) (local.get $b))))
