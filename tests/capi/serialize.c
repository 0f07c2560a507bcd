// serialize: Kiln's tier extension (kiln/wasm_tier.h). Under the LLVM tier,
// wasm_module_serialize gives native code that wasm_module_deserialize loads
// in another engine of the same configuration, and the module runs; an engine
// with other options refuses it with a last error; under the interpreter the
// bytes are the wasm binary.
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "kiln/wasm_limits.h"
#include "kiln/wasm_tier.h"
#include "load.h"
#include "wasm.h"

#define own

static wasm_engine_t* engine_on(kiln_tier_t tier, bool fuel) {
  wasm_config_t* config = wasm_config_new();
  kiln_config_tier_set(config, tier);
  kiln_config_compile_threads_set(config, 1);
  kiln_config_consume_fuel_set(config, fuel);
  return wasm_engine_new_with_config(config);
}

static void run_fac(wasm_store_t* store, const wasm_module_t* module) {
  wasm_extern_vec_t imports = WASM_EMPTY_VEC;
  own wasm_instance_t* instance = wasm_instance_new(store, module, &imports, NULL);
  if (!instance) {
    printf("> Error instantiating module!\n");
    return;
  }
  own wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  wasm_val_t args[1] = {WASM_I64_VAL(20)};
  wasm_val_t results[1] = {WASM_INIT_VAL};
  wasm_val_vec_t args_vec = WASM_ARRAY_VEC(args);
  wasm_val_vec_t results_vec = WASM_ARRAY_VEC(results);
  own wasm_trap_t* trap = wasm_func_call(wasm_extern_as_func(exports.data[0]), &args_vec, &results_vec);
  if (trap) {
    printf("> Error: fac trapped!\n");
    wasm_trap_delete(trap);
  } else {
    printf("> fac(20) = %" PRId64 "\n", results[0].of.i64);
  }
  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
}

static void print_last_error(void) {
  own wasm_message_t message;
  if (kiln_last_error_message(&message)) {
    printf("> %s\n", message.data);
    wasm_byte_vec_delete(&message);
  } else {
    printf("> (no last error)\n");
  }
}

int main(void) {
  printf("Compiling under the LLVM tier...\n");
  wasm_engine_t* engine = engine_on(KILN_TIER_LLVM, false);
  wasm_store_t* store = wasm_store_new(engine);
  wasm_byte_vec_t binary = load("serialize.wasm");
  own wasm_module_t* module = wasm_module_new(store, &binary);
  if (!module) {
    printf("> Error compiling module!\n");
    return 1;
  }
  own wasm_byte_vec_t native;
  wasm_module_serialize(module, &native);
  printf("> native code: %s\n", native.size > 8 && memcmp(native.data, "\0kwasm\r\n", 8) == 0 ? "yes" : "no");
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);

  printf("Loading it in another engine...\n");
  engine = engine_on(KILN_TIER_LLVM, false);
  store = wasm_store_new(engine);
  module = wasm_module_deserialize(store, &native);
  if (!module) {
    print_last_error();
    return 1;
  }
  run_fac(store, module);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);

  printf("Loading it in an engine that charges fuel...\n");
  engine = engine_on(KILN_TIER_LLVM, true);
  store = wasm_store_new(engine);
  module = wasm_module_deserialize(store, &native);
  printf("> module: %s\n", module ? "loaded" : "refused");
  if (module) wasm_module_delete(module);
  else print_last_error();
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  wasm_byte_vec_delete(&native);

  printf("Serializing under the interpreter...\n");
  engine = engine_on(KILN_TIER_INTERPRETER, false);
  store = wasm_store_new(engine);
  module = wasm_module_new(store, &binary);
  own wasm_byte_vec_t kept;
  wasm_module_serialize(module, &kept);
  printf("> the wasm binary: %s\n",
         kept.size == binary.size && memcmp(kept.data, binary.data, binary.size) == 0 ? "yes" : "no");
  wasm_module_delete(module);
  module = wasm_module_deserialize(store, &kept);
  run_fac(store, module);
  wasm_module_delete(module);
  wasm_byte_vec_delete(&kept);
  wasm_byte_vec_delete(&binary);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  printf("Done.\n");
  return 0;
}
