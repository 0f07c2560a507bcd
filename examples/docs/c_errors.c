/* Why a C API call failed: kiln_last_error_message, Kiln's extension to
 * wasm.h. Shown whole in docs/embedding.md; tests/docs/run.sh runs it and
 * compares its output with c_errors.out. */
#include <stdio.h>
#include <string.h>

#include <wasm.h>

static void why(const char* call) {
  wasm_message_t message;
  if (kiln_last_error_message(&message)) {  /* false: the last call succeeded */
    printf("%s failed: %s\n", call, message.data);
    wasm_byte_vec_delete(&message);
  } else {
    printf("%s succeeded\n", call);
  }
}

int main(void) {
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);

  /* A type section that says 5 bytes follow, and ends after 3. */
  wasm_byte_vec_t bytes;
  wasm_byte_vec_new(&bytes, 14, "\0asm\1\0\0\0\1\5\1\x60\1\x7f");
  wasm_module_t* module = wasm_module_new(store, &bytes);
  why("wasm_module_new");
  wasm_byte_vec_delete(&bytes);

  const char* text = "(module (import \"env\" \"tick\" (func)))";
  wasm_byte_vec_new(&bytes, strlen(text), text);
  module = wasm_module_new(store, &bytes);
  why("wasm_module_new");
  wasm_byte_vec_delete(&bytes);

  wasm_instance_t* instance = wasm_instance_new(store, module, NULL, NULL);  /* no imports given */
  why("wasm_instance_new");

  wasm_instance_delete(instance);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  return 0;
}
