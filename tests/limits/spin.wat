;; An infinite loop: only --fuel or --timeout end it.
(module
  (func (export "_start")
    (loop $forever (br $forever))))
