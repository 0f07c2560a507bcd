;; An endless loop, stopped by -W fuel=N or -W timeout=D.
(module (func (export "_start") (loop $l (br $l))))
