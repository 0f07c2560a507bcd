;; Imports functions nothing defines: `--invoke skip` never calls them,
;; `--invoke call` does (run.sh runs it with -W unknown-imports-trap/-default).
(module
  (import "env" "missing" (func $missing (param i32) (result i32)))
  (import "env" "also_missing" (func $also_missing))
  (func (export "skip") (result i32) (i32.const 5))
  (func (export "call") (result i32) (call $missing (i32.const 7))))
