;; A plugin for the embedding examples (host.cpp, host.c). The host gives it
;; env.log (print a string from the plugin's memory) and env.weight (a number per
;; step); the plugin keeps a running total and writes every total into its memory.
(module
  (import "env" "log" (func $log (param $ptr i32) (param $len i32)))
  (import "env" "weight" (func $weight (param $step i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "plugin ready")
  (global $total (mut i32) (i32.const 0))

  (func (export "init")
    (call $log (i32.const 0) (i32.const 12)))

  ;; Adds weight(step) to the total, stores the total at 64 + 4 * step, returns it.
  (func (export "step") (param $step i32) (result i32)
    (global.set $total (i32.add (global.get $total) (call $weight (local.get $step))))
    (i32.store (i32.add (i32.const 64) (i32.shl (local.get $step) (i32.const 2))) (global.get $total))
    (global.get $total))

  ;; 1000 / n: traps when n is 0.
  (func (export "ratio") (param $n i32) (result i32)
    (i32.div_u (i32.const 1000) (local.get $n))))
