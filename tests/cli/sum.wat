;; A small program for kiln compile and the code cache: sums 1..n in a loop
;; (natively compiled code and the interpreter must print the same), and traps
;; on n < 0 (a backtrace through native code).
(module
  (func $check (param i32) (if (i32.lt_s (local.get 0) (i32.const 0)) (then unreachable)))
  (func (export "sum") (param $n i32) (result i64)
    (local $i i32) (local $acc i64)
    (call $check (local.get $n))
    (block $done
      (loop $next
        (br_if $done (i32.gt_s (local.get $i) (local.get $n)))
        (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_s (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $acc)))
