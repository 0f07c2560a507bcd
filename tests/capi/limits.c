// limits: Kiln's wasm.h extensions (kiln/wasm_limits.h): fuel ends an infinite
// loop with a trap, the store stays usable, and memory.grow fails cleanly at
// the configured memory limit.
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiln/wasm_limits.h"
#include "load.h"
#include "wasm.h"

#define own

static wasm_func_t* export_func(const wasm_extern_vec_t* exports, size_t i) {
  wasm_func_t* f = wasm_extern_as_func(exports->data[i]);
  if (!f) {
    printf("> Error accessing export %zu!\n", i);
    exit(1);
  }
  return f;
}

static int32_t grow(wasm_func_t* f, int32_t pages) {
  wasm_val_t args[1] = {WASM_I32_VAL(pages)};
  wasm_val_t results[1] = {WASM_INIT_VAL};
  wasm_val_vec_t args_vec = WASM_ARRAY_VEC(args);
  wasm_val_vec_t results_vec = WASM_ARRAY_VEC(results);
  own wasm_trap_t* trap = wasm_func_call(f, &args_vec, &results_vec);
  if (trap) {
    printf("> Error: grow trapped!\n");
    exit(1);
  }
  return results[0].of.i32;
}

int main(void) {
  printf("Configuring a limited engine...\n");
  wasm_config_t* config = wasm_config_new();
  kiln_config_consume_fuel_set(config, true);
  kiln_config_max_memory_pages_set(config, 4);
  wasm_engine_t* engine = wasm_engine_new_with_config(config);
  wasm_store_t* store = wasm_store_new(engine);
  if (!kiln_store_fuel_set(store, 100000)) {
    printf("> Error: fuel not enabled!\n");
    return 1;
  }

  wasm_byte_vec_t binary = load("limits.wasm");
  own wasm_module_t* module = wasm_module_new(store, &binary);
  wasm_byte_vec_delete(&binary);
  wasm_extern_vec_t imports = WASM_EMPTY_VEC;
  own wasm_instance_t* instance = wasm_instance_new(store, module, &imports, NULL);
  if (!instance) {
    printf("> Error instantiating module!\n");
    return 1;
  }
  own wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);

  printf("Running an infinite loop with 100000 fuel...\n");
  wasm_val_vec_t none = WASM_EMPTY_VEC;
  wasm_val_vec_t no_results = WASM_EMPTY_VEC;
  own wasm_trap_t* trap = wasm_func_call(export_func(&exports, 1), &none, &no_results);
  if (!trap) {
    printf("> Error: the loop ended without a trap!\n");
    return 1;
  }
  own wasm_message_t message;
  wasm_trap_message(trap, &message);
  printf("> trap: %s\n", message.data);
  wasm_byte_vec_delete(&message);
  wasm_trap_delete(trap);
  uint64_t fuel = 1;
  kiln_store_fuel_get(store, &fuel);
  printf("> fuel left: %" PRIu64 "\n", fuel);

  printf("Growing memory up to the 4-page limit...\n");
  kiln_store_fuel_set(store, 100000);
  wasm_func_t* grow_func = export_func(&exports, 2);
  printf("> grow(2) = %d\n", grow(grow_func, 2));
  printf("> grow(2) = %d\n", grow(grow_func, 2));
  printf("> grow(1) = %d\n", grow(grow_func, 1));

  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  printf("Done.\n");
  return 0;
}
