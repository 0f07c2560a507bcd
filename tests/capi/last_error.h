// Shared by the C API tests: prints kiln_last_error_message (wasm.h's Kiln
// extension), or "no error" when the last fallible call succeeded.
#ifndef KILN_TESTS_CAPI_LAST_ERROR_H
#define KILN_TESTS_CAPI_LAST_ERROR_H

#include <stdio.h>

#include "wasm.h"

static inline void print_last_error(const char* what) {
  wasm_message_t message;
  if (kiln_last_error_message(&message)) {
    printf("%s: %s\n", what, message.data);
    wasm_byte_vec_delete(&message);
  } else {
    printf("%s: no error\n", what);
  }
}

#endif
