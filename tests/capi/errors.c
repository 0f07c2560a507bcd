// errors: why wasm_module_new, wasm_module_validate, wasm_instance_new and the
// linker fail, as kiln_last_error_message tells it (and, for instantiation, the
// trap): malformed and invalid bytes, a missing and a mistyped import, imports a
// linker does not define, an object of another store. errors.out holds every
// message whole.
#include <stdio.h>
#include <stdlib.h>

#include "last_error.h"
#include "load.h"
#include "wasi.h"
#include "wasm.h"

// A type section cut short: it says 5 bytes follow, 3 do.
static const wasm_byte_t truncated[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
                                        0x01, 0x05, 0x01, 0x60, 0x01, 0x7f};
// (module (func (local.get 3) drop)): decodes, but there is no local 3.
static const wasm_byte_t bad_local[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
                                        0x03, 0x02, 0x01, 0x00, 0x0a, 0x07, 0x01, 0x05, 0x00, 0x20, 0x03, 0x1a, 0x0b};

static void print_trap(wasm_trap_t* trap) {
  if (!trap) {
    printf("  no trap\n");
    return;
  }
  wasm_message_t message;
  wasm_trap_message(trap, &message);
  printf("  trap: %s\n", message.data);
  wasm_byte_vec_delete(&message);
  wasm_trap_delete(trap);
}

static void compile(wasm_store_t* store, const char* name, const wasm_byte_t* data, size_t size) {
  wasm_byte_vec_t bytes;
  wasm_byte_vec_new(&bytes, size, data);
  wasm_module_t* module = wasm_module_new(store, &bytes);
  printf("wasm_module_new(%s): %s\n", name, module ? "a module" : "NULL");
  print_last_error("  last error");
  printf("wasm_module_validate(%s): %s\n", name, wasm_module_validate(store, &bytes) ? "true" : "false");
  print_last_error("  last error");
  wasm_module_delete(module);
  wasm_byte_vec_delete(&bytes);
}

static wasm_trap_t* log_callback(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  (void)results;
  printf("  log(%d)\n", args->data[0].of.i32);
  return NULL;
}

static wasm_trap_t* nothing_callback(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  (void)args;
  (void)results;
  return NULL;
}

static void instantiate_with(wasm_store_t* store, const wasm_module_t* module, const char* what,
                             wasm_extern_t* list[], size_t count) {
  wasm_extern_vec_t imports = {count, list};
  wasm_trap_t* trap = NULL;
  wasm_instance_t* instance = wasm_instance_new(store, module, &imports, &trap);
  printf("wasm_instance_new(%s): %s\n", what, instance ? "an instance" : "NULL");
  print_last_error("  last error");
  print_trap(trap);
  wasm_instance_delete(instance);
}

static wasm_instance_t* link_with(const kiln_linker_t* linker, const wasm_module_t* module, const char* what) {
  wasm_trap_t* trap = NULL;
  wasm_instance_t* instance = kiln_linker_instantiate(linker, module, &trap);
  printf("kiln_linker_instantiate(%s): %s\n", what, instance ? "an instance" : "NULL");
  print_last_error("  last error");
  print_trap(trap);
  return instance;
}

int main(void) {
  wasm_engine_t* engine = test_engine();
  wasm_store_t* store = wasm_store_new(engine);
  wasm_message_t none_yet;
  printf("before any call: %s, ", kiln_last_error_message(&none_yet) ? "true" : "false");
  printf("out has %zu bytes\n", none_yet.size);

  printf("Compiling...\n");
  compile(store, "truncated", truncated, sizeof truncated);
  compile(store, "bad_local", bad_local, sizeof bad_local);
  wasm_byte_vec_t binary = load("errors.wasm");
  wasm_module_t* module = wasm_module_new(store, &binary);
  wasm_byte_vec_delete(&binary);
  printf("wasm_module_new(errors.wasm): %s\n", module ? "a module" : "NULL");
  print_last_error("  last error");
  if (!module) return 1;

  printf("Instantiating with wasm_instance_new...\n");
  wasm_functype_t* log_type = wasm_functype_new_1_0(wasm_valtype_new_i32());
  wasm_functype_t* nothing_type = wasm_functype_new_0_0();
  wasm_func_t* log = wasm_func_new(store, log_type, log_callback);
  wasm_func_t* nothing = wasm_func_new(store, nothing_type, nothing_callback);
  wasm_extern_t* only_log[] = {wasm_func_as_extern(log)};
  instantiate_with(store, module, "env.log only", only_log, 1);
  wasm_extern_t* mistyped[] = {wasm_func_as_extern(nothing), wasm_func_as_extern(log)};
  instantiate_with(store, module, "a () -> () function as env.log", mistyped, 2);

  printf("Instantiating with a linker...\n");
  kiln_linker_t* linker = kiln_linker_new(store);
  wasm_instance_delete(link_with(linker, module, "empty linker"));
  printf("kiln_linker_define(env.log): %s\n",
         kiln_linker_define(linker, "env", "log", wasm_func_as_extern(log)) ? "true" : "false");
  wasm_instance_delete(link_with(linker, module, "env.log, no WASI"));
  printf("kiln_linker_define_wasi: %s\n", kiln_linker_define_wasi(linker, wasi_config_new()) ? "true" : "false");
  wasm_instance_t* instance = link_with(linker, module, "env.log and WASI");
  if (!instance) return 1;
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  wasm_val_vec_t none = WASM_EMPTY_VEC;
  print_trap(wasm_func_call(wasm_extern_as_func(exports.data[1]), &none, &none));
  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);

  binary = load("errors_wasi.wasm");
  wasm_module_t* unknown_wasi = wasm_module_new(store, &binary);
  wasm_byte_vec_delete(&binary);
  wasm_instance_delete(link_with(linker, unknown_wasi, "errors_wasi.wasm"));
  wasm_module_delete(unknown_wasi);

  wasm_store_t* other_store = wasm_store_new(engine);
  wasm_func_t* other_log = wasm_func_new(other_store, log_type, log_callback);
  printf("kiln_linker_define(a function of another store): %s\n",
         kiln_linker_define(linker, "env", "log", wasm_func_as_extern(other_log)) ? "true" : "false");
  print_last_error("  last error");
  wasm_func_delete(other_log);
  wasm_store_delete(other_store);

  kiln_linker_delete(linker);
  wasm_func_delete(log);
  wasm_func_delete(nothing);
  wasm_functype_delete(log_type);
  wasm_functype_delete(nothing_type);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  printf("Done.\n");
  return 0;
}
