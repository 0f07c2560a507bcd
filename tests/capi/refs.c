// refs: foreign objects passed to wasm as externref values and back (through
// calls, a global and a table), host info and finalizers, module serialization
// and sharing between stores, and link errors reported as traps.
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "load.h"
#include "wasm.h"

#define own

static void check(bool success, int line) {
  if (!success) {
    printf("> Error, expected success (line %d)\n", line);
    exit(1);
  }
}
#define CHECK(x) check((x), __LINE__)

static own wasm_trap_t* echo_callback(const wasm_val_vec_t* args, own wasm_val_vec_t* results) {
  const wasm_foreign_t* foreign = wasm_ref_as_foreign_const(args->data[0].of.ref);
  printf("Calling back with %s...\n", foreign ? (const char*)wasm_foreign_get_host_info(foreign) : "no foreign");
  wasm_val_copy(&results->data[0], &args->data[0]);
  return NULL;
}

static void finalize(void* info) { printf("Finalizing %s...\n", (const char*)info); }

static wasm_func_t* echo_func(wasm_store_t* store) {
  own wasm_functype_t* type = wasm_functype_new_1_1(wasm_valtype_new_externref(), wasm_valtype_new_externref());
  own wasm_func_t* func = wasm_func_new(store, type, echo_callback);
  wasm_functype_delete(type);
  return func;
}

static void print_trap(own wasm_trap_t* trap) {
  own wasm_message_t message;
  wasm_trap_message(trap, &message);
  printf("> %s\n", message.data);
  wasm_byte_vec_delete(&message);
  wasm_trap_delete(trap);
}

int main(void) {
  printf("Initializing...\n");
  wasm_engine_t* engine = wasm_engine_new_with_config(wasm_config_new());
  wasm_store_t* store = wasm_store_new(engine);

  printf("Compiling module...\n");
  wasm_byte_vec_t binary = load("refs.wasm");
  own wasm_module_t* module = wasm_module_new(store, &binary);
  CHECK(module != NULL);
  wasm_byte_vec_delete(&binary);

  printf("Link errors...\n");
  own wasm_trap_t* trap = NULL;
  CHECK(wasm_instance_new(store, module, NULL, &trap) == NULL);
  print_trap(trap);
  own wasm_functype_t* wrong_type = wasm_functype_new_0_0();
  own wasm_func_t* wrong = wasm_func_new(store, wrong_type, NULL);
  wasm_functype_delete(wrong_type);
  wasm_extern_t* wrong_externs[] = {wasm_func_as_extern(wrong)};
  wasm_extern_vec_t wrong_imports = WASM_ARRAY_VEC(wrong_externs);
  CHECK(wasm_instance_new(store, module, &wrong_imports, &trap) == NULL);
  print_trap(trap);
  wasm_func_delete(wrong);

  printf("Instantiating module...\n");
  own wasm_func_t* echo = echo_func(store);
  wasm_extern_t* externs[] = {wasm_func_as_extern(echo)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
  own wasm_instance_t* instance = wasm_instance_new(store, module, &imports, &trap);
  CHECK(instance != NULL && trap == NULL);
  wasm_instance_set_host_info_with_finalizer(instance, "the instance", finalize);
  own wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  CHECK(exports.size == 5);
  wasm_global_t* global = wasm_extern_as_global(exports.data[0]);
  wasm_table_t* table = wasm_extern_as_table(exports.data[1]);
  wasm_func_t* roundtrip = wasm_extern_as_func(exports.data[2]);
  wasm_func_t* stash = wasm_extern_as_func(exports.data[3]);
  wasm_func_t* is_null = wasm_extern_as_func(exports.data[4]);
  CHECK(global && table && roundtrip && stash && is_null);

  printf("Passing a foreign object through wasm...\n");
  own wasm_foreign_t* foreign = wasm_foreign_new(store);
  wasm_foreign_set_host_info_with_finalizer(foreign, "the foreign object", finalize);
  wasm_val_t as[1] = {WASM_REF_VAL(wasm_foreign_as_ref(foreign))};
  wasm_val_t rs[1] = {WASM_INIT_VAL};
  wasm_val_vec_t args = WASM_ARRAY_VEC(as);
  wasm_val_vec_t results = WASM_ARRAY_VEC(rs);
  CHECK(wasm_func_call(roundtrip, &args, &results) == NULL);
  CHECK(rs[0].kind == WASM_EXTERNREF && rs[0].of.ref != NULL);
  printf("> same object: %s\n", wasm_ref_same(rs[0].of.ref, wasm_foreign_as_ref(foreign)) ? "yes" : "no");
  printf("> host info: %s\n", (const char*)wasm_ref_get_host_info(rs[0].of.ref));
  wasm_val_delete(&rs[0]);

  wasm_val_vec_t no_results = WASM_EMPTY_VEC;
  CHECK(wasm_func_call(stash, &args, &no_results) == NULL);
  wasm_val_t value;
  wasm_global_get(global, &value);
  printf("> global holds it: %s\n", value.of.ref && wasm_ref_same(value.of.ref, wasm_foreign_as_ref(foreign)) ? "yes" : "no");
  wasm_val_delete(&value);
  own wasm_ref_t* slot0 = wasm_table_get(table, 0);
  own wasm_ref_t* slot1 = wasm_table_get(table, 1);
  printf("> table slot 0: %s, slot 1 holds it: %s\n", slot0 ? "set" : "null",
         slot1 && wasm_ref_same(slot1, wasm_foreign_as_ref(foreign)) ? "yes" : "no");
  wasm_ref_delete(slot1);

  wasm_val_t null_as[1] = {WASM_REF_VAL(NULL)};
  wasm_val_vec_t null_args = WASM_ARRAY_VEC(null_as);
  CHECK(wasm_func_call(is_null, &null_args, &results) == NULL);
  printf("> is_null(null) = %" PRIi32 "\n", rs[0].of.i32);
  CHECK(wasm_func_call(is_null, &args, &results) == NULL);
  printf("> is_null(foreign) = %" PRIi32 "\n", rs[0].of.i32);

  own wasm_foreign_t* copy = wasm_foreign_copy(foreign);
  CHECK(wasm_foreign_same(copy, foreign));
  wasm_foreign_delete(copy);
  wasm_foreign_delete(foreign);

  printf("Serializing the module...\n");
  own wasm_byte_vec_t serialized;
  wasm_module_serialize(module, &serialized);
  own wasm_module_t* deserialized = wasm_module_deserialize(store, &serialized);
  CHECK(deserialized != NULL);
  own wasm_exporttype_vec_t export_types;
  wasm_module_exports(deserialized, &export_types);
  printf("> deserialized module has %zu exports\n", export_types.size);
  wasm_exporttype_vec_delete(&export_types);
  wasm_module_delete(deserialized);
  wasm_byte_vec_delete(&serialized);

  printf("Sharing the module with another store...\n");
  own wasm_shared_module_t* shared = wasm_module_share(module);
  wasm_store_t* store2 = wasm_store_new(engine);
  own wasm_module_t* module2 = wasm_module_obtain(store2, shared);
  CHECK(module2 != NULL);
  wasm_shared_module_delete(shared);
  CHECK(wasm_instance_new(store2, module2, &imports, &trap) == NULL);  // echo is store's, not store2's
  print_trap(trap);
  own wasm_func_t* echo2 = echo_func(store2);
  wasm_extern_t* externs2[] = {wasm_func_as_extern(echo2)};
  wasm_extern_vec_t imports2 = WASM_ARRAY_VEC(externs2);
  own wasm_instance_t* instance2 = wasm_instance_new(store2, module2, &imports2, NULL);
  CHECK(instance2 != NULL);
  wasm_instance_delete(instance2);
  wasm_func_delete(echo2);
  wasm_module_delete(module2);
  wasm_store_delete(store2);

  wasm_func_delete(echo);
  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_module_delete(module);

  printf("Shutting down...\n");
  wasm_store_delete(store);
  wasm_engine_delete(engine);

  printf("Done.\n");
  return 0;
}
