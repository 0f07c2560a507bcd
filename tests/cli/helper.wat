;; Preloaded by run.sh as "helper" (kiln run --preload helper=helper.wat): a
;; module whose exports the main module imports.
(module
  (func (export "double") (param i32) (result i32)
    (i32.mul (local.get 0) (i32.const 2))))
