// table: an exported funcref table read, written and grown from the host, with
// call_indirect seeing the changes; a host function in the table; a table
// created by the host.
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "load.h"
#include "wasm.h"

#define own

static own wasm_trap_t* neg_callback(const wasm_val_vec_t* args, own wasm_val_vec_t* results) {
  printf("Calling back...\n");
  results->data[0].kind = WASM_I32;
  results->data[0].of.i32 = -args->data[0].of.i32;
  return NULL;
}

static void check(bool success, int line) {
  if (!success) {
    printf("> Error, expected success (line %d)\n", line);
    exit(1);
  }
}
#define CHECK(x) check((x), __LINE__)

static void check_table(wasm_table_t* table, int32_t i, bool expect_set) {
  own wasm_ref_t* ref = wasm_table_get(table, (wasm_table_size_t)i);
  CHECK((ref != NULL) == expect_set);
  if (ref) {
    CHECK(wasm_ref_as_func(ref) != NULL);
    wasm_ref_delete(ref);
  }
}

static void check_call(wasm_func_t* func, int32_t arg1, int32_t arg2, int32_t expected) {
  wasm_val_t vs[2] = {WASM_I32_VAL(arg1), WASM_I32_VAL(arg2)};
  wasm_val_t r[1] = {WASM_INIT_VAL};
  wasm_val_vec_t args = WASM_ARRAY_VEC(vs);
  wasm_val_vec_t results = WASM_ARRAY_VEC(r);
  wasm_trap_t* trap = wasm_func_call(func, &args, &results);
  if (trap || r[0].of.i32 != expected) {
    printf("> Error on result\n");
    exit(1);
  }
}

static void check_trap(wasm_func_t* func, int32_t arg1, int32_t arg2) {
  wasm_val_t vs[2] = {WASM_I32_VAL(arg1), WASM_I32_VAL(arg2)};
  wasm_val_t r[1] = {WASM_INIT_VAL};
  wasm_val_vec_t args = WASM_ARRAY_VEC(vs);
  wasm_val_vec_t results = WASM_ARRAY_VEC(r);
  own wasm_trap_t* trap = wasm_func_call(func, &args, &results);
  if (!trap) {
    printf("> Error on result, expected trap\n");
    exit(1);
  }
  own wasm_message_t message;
  wasm_trap_message(trap, &message);
  printf("> trap: %s\n", message.data);
  wasm_byte_vec_delete(&message);
  wasm_trap_delete(trap);
}

int main(void) {
  printf("Initializing...\n");
  wasm_engine_t* engine = test_engine();
  wasm_store_t* store = wasm_store_new(engine);

  printf("Loading binary...\n");
  wasm_byte_vec_t binary = load("table.wasm");

  printf("Compiling module...\n");
  own wasm_module_t* module = wasm_module_new(store, &binary);
  if (!module) {
    printf("> Error compiling module!\n");
    return 1;
  }
  wasm_byte_vec_delete(&binary);

  printf("Instantiating module...\n");
  wasm_extern_vec_t imports = WASM_EMPTY_VEC;
  own wasm_instance_t* instance = wasm_instance_new(store, module, &imports, NULL);
  if (!instance) {
    printf("> Error instantiating module!\n");
    return 1;
  }

  printf("Extracting exports...\n");
  own wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  CHECK(exports.size == 4);
  wasm_table_t* table = wasm_extern_as_table(exports.data[0]);
  wasm_func_t* call_indirect = wasm_extern_as_func(exports.data[1]);
  wasm_func_t* f = wasm_extern_as_func(exports.data[2]);
  wasm_func_t* g = wasm_extern_as_func(exports.data[3]);
  CHECK(table && call_indirect && f && g);
  wasm_module_delete(module);

  printf("Creating callback...\n");
  own wasm_functype_t* neg_type = wasm_functype_new_1_1(wasm_valtype_new_i32(), wasm_valtype_new_i32());
  own wasm_func_t* h = wasm_func_new(store, neg_type, neg_callback);
  wasm_functype_delete(neg_type);

  printf("Checking table...\n");
  own wasm_tabletype_t* table_type = wasm_table_type(table);
  const wasm_limits_t* limits = wasm_tabletype_limits(table_type);
  printf("> table: %s, min %" PRIu32 ", max %" PRIu32 "\n",
         wasm_valtype_kind(wasm_tabletype_element(table_type)) == WASM_FUNCREF ? "funcref" : "?", limits->min,
         limits->max);
  wasm_tabletype_delete(table_type);
  CHECK(wasm_table_size(table) == 2);
  check_table(table, 0, false);
  check_table(table, 1, true);
  check_trap(call_indirect, 0, 0);
  check_call(call_indirect, 7, 1, 7);
  check_trap(call_indirect, 0, 2);

  printf("Mutating table...\n");
  CHECK(wasm_table_set(table, 0, wasm_func_as_ref(g)));
  CHECK(wasm_table_set(table, 1, NULL));
  CHECK(!wasm_table_set(table, 2, wasm_func_as_ref(f)));
  check_table(table, 0, true);
  check_table(table, 1, false);
  check_call(call_indirect, 7, 0, 666);
  check_trap(call_indirect, 0, 1);
  check_trap(call_indirect, 0, 2);

  printf("Growing table...\n");
  CHECK(wasm_table_grow(table, 3, NULL));
  CHECK(wasm_table_size(table) == 5);
  CHECK(wasm_table_set(table, 2, wasm_func_as_ref(f)));
  CHECK(wasm_table_set(table, 3, wasm_func_as_ref(h)));
  CHECK(!wasm_table_set(table, 5, NULL));
  check_table(table, 2, true);
  check_table(table, 3, true);
  check_table(table, 4, false);
  check_call(call_indirect, 5, 2, 5);
  check_call(call_indirect, 6, 3, -6);
  check_trap(call_indirect, 0, 4);
  check_trap(call_indirect, 0, 5);

  CHECK(wasm_table_grow(table, 2, wasm_func_as_ref(f)));
  CHECK(wasm_table_size(table) == 7);
  check_table(table, 5, true);
  check_table(table, 6, true);

  CHECK(!wasm_table_grow(table, 5, NULL));
  CHECK(wasm_table_grow(table, 3, NULL));
  CHECK(wasm_table_grow(table, 0, NULL));
  CHECK(wasm_table_size(table) == 10);

  printf("Reading a function back from the table...\n");
  own wasm_ref_t* ref = wasm_table_get(table, 3);
  wasm_func_t* from_table = wasm_ref_as_func(ref);
  CHECK(from_table != NULL && wasm_func_same(from_table, h));
  wasm_val_t neg_args[1] = {WASM_I32_VAL(8)};
  wasm_val_t neg_results[1] = {WASM_INIT_VAL};
  wasm_val_vec_t neg_arg_vec = WASM_ARRAY_VEC(neg_args);
  wasm_val_vec_t neg_result_vec = WASM_ARRAY_VEC(neg_results);
  CHECK(wasm_func_call(from_table, &neg_arg_vec, &neg_result_vec) == NULL);
  printf("> h(8) = %" PRIi32 "\n", neg_results[0].of.i32);
  wasm_ref_delete(ref);

  wasm_func_delete(h);
  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);

  printf("Creating stand-alone table...\n");
  wasm_limits_t table_limits = {5, 5};
  own wasm_tabletype_t* tabletype = wasm_tabletype_new(wasm_valtype_new(WASM_FUNCREF), &table_limits);
  own wasm_table_t* table2 = wasm_table_new(store, tabletype, NULL);
  CHECK(wasm_table_size(table2) == 5);
  CHECK(!wasm_table_grow(table2, 1, NULL));
  CHECK(wasm_table_grow(table2, 0, NULL));
  wasm_tabletype_delete(tabletype);
  wasm_table_delete(table2);

  printf("Shutting down...\n");
  wasm_store_delete(store);
  wasm_engine_delete(engine);

  printf("Done.\n");
  return 0;
}
