// global: globals created by the host and imported, globals exported by the
// module; read and written from both sides, mutable and immutable.
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "load.h"
#include "wasm.h"

#define own

static wasm_global_t* get_export_global(const wasm_extern_vec_t* exports, size_t i) {
  if (exports->size <= i || !wasm_extern_as_global(exports->data[i])) {
    printf("> Error accessing global export %zu!\n", i);
    exit(1);
  }
  return wasm_extern_as_global(exports->data[i]);
}

static wasm_func_t* get_export_func(const wasm_extern_vec_t* exports, size_t i) {
  if (exports->size <= i || !wasm_extern_as_func(exports->data[i])) {
    printf("> Error accessing function export %zu!\n", i);
    exit(1);
  }
  return wasm_extern_as_func(exports->data[i]);
}

static int failures = 0;

#define check(val, type, expected)                                                   \
  if (val.of.type != expected) {                                                      \
    printf("> Error reading value, line %d\n", __LINE__);                            \
    ++failures;                                                                       \
  }

#define check_global(global, type, expected) \
  {                                           \
    wasm_val_t val;                           \
    wasm_global_get(global, &val);            \
    check(val, type, expected);               \
  }

#define check_call(func, type, expected)                          \
  {                                                               \
    wasm_val_t vs[1];                                             \
    wasm_val_vec_t args = WASM_EMPTY_VEC;                         \
    wasm_val_vec_t results = WASM_ARRAY_VEC(vs);                  \
    wasm_trap_t* trap = wasm_func_call(func, &args, &results);    \
    if (trap) {                                                   \
      printf("> Error calling function, line %d\n", __LINE__);   \
      exit(1);                                                    \
    }                                                             \
    check(vs[0], type, expected);                                 \
  }

static void call_setter(wasm_func_t* func, wasm_val_t value) {
  wasm_val_t vs[1] = {value};
  wasm_val_vec_t args = WASM_ARRAY_VEC(vs);
  wasm_val_vec_t results = WASM_EMPTY_VEC;
  wasm_trap_t* trap = wasm_func_call(func, &args, &results);
  if (trap) {
    printf("> Error calling setter!\n");
    exit(1);
  }
}

int main(void) {
  printf("Initializing...\n");
  wasm_engine_t* engine = test_engine();
  wasm_store_t* store = wasm_store_new(engine);

  printf("Loading binary...\n");
  wasm_byte_vec_t binary = load("global.wasm");

  printf("Compiling module...\n");
  own wasm_module_t* module = wasm_module_new(store, &binary);
  if (!module) {
    printf("> Error compiling module!\n");
    return 1;
  }
  wasm_byte_vec_delete(&binary);

  printf("Creating globals...\n");
  own wasm_globaltype_t* const_f32_type = wasm_globaltype_new(wasm_valtype_new(WASM_F32), WASM_CONST);
  own wasm_globaltype_t* const_i64_type = wasm_globaltype_new(wasm_valtype_new(WASM_I64), WASM_CONST);
  own wasm_globaltype_t* var_f32_type = wasm_globaltype_new(wasm_valtype_new(WASM_F32), WASM_VAR);
  own wasm_globaltype_t* var_i64_type = wasm_globaltype_new(wasm_valtype_new(WASM_I64), WASM_VAR);

  wasm_val_t val_f32_1 = WASM_F32_VAL(1);
  own wasm_global_t* const_f32_import = wasm_global_new(store, const_f32_type, &val_f32_1);
  wasm_val_t val_i64_2 = WASM_I64_VAL(2);
  own wasm_global_t* const_i64_import = wasm_global_new(store, const_i64_type, &val_i64_2);
  wasm_val_t val_f32_3 = WASM_F32_VAL(3);
  own wasm_global_t* var_f32_import = wasm_global_new(store, var_f32_type, &val_f32_3);
  wasm_val_t val_i64_4 = WASM_I64_VAL(4);
  own wasm_global_t* var_i64_import = wasm_global_new(store, var_i64_type, &val_i64_4);
  if (wasm_global_new(store, const_f32_type, &val_i64_4) != NULL) {
    printf("> Error: a global of the wrong type was created!\n");
    return 1;
  }

  wasm_globaltype_delete(const_f32_type);
  wasm_globaltype_delete(const_i64_type);
  wasm_globaltype_delete(var_f32_type);
  wasm_globaltype_delete(var_i64_type);

  printf("Instantiating module...\n");
  wasm_extern_t* externs[] = {wasm_global_as_extern(const_f32_import), wasm_global_as_extern(const_i64_import),
                              wasm_global_as_extern(var_f32_import), wasm_global_as_extern(var_i64_import)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
  own wasm_instance_t* instance = wasm_instance_new(store, module, &imports, NULL);
  if (!instance) {
    printf("> Error instantiating module!\n");
    return 1;
  }
  wasm_module_delete(module);

  printf("Extracting exports...\n");
  own wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  size_t i = 0;
  wasm_global_t* const_f32_export = get_export_global(&exports, i++);
  wasm_global_t* const_i64_export = get_export_global(&exports, i++);
  wasm_global_t* var_f32_export = get_export_global(&exports, i++);
  wasm_global_t* var_i64_export = get_export_global(&exports, i++);
  wasm_func_t* get_const_f32_import = get_export_func(&exports, i++);
  wasm_func_t* get_const_i64_import = get_export_func(&exports, i++);
  wasm_func_t* get_var_f32_import = get_export_func(&exports, i++);
  wasm_func_t* get_var_i64_import = get_export_func(&exports, i++);
  wasm_func_t* get_const_f32_export = get_export_func(&exports, i++);
  wasm_func_t* get_const_i64_export = get_export_func(&exports, i++);
  wasm_func_t* get_var_f32_export = get_export_func(&exports, i++);
  wasm_func_t* get_var_i64_export = get_export_func(&exports, i++);
  wasm_func_t* set_var_f32_import = get_export_func(&exports, i++);
  wasm_func_t* set_var_i64_import = get_export_func(&exports, i++);
  wasm_func_t* set_var_f32_export = get_export_func(&exports, i++);
  wasm_func_t* set_var_i64_export = get_export_func(&exports, i++);

  printf("Checking types...\n");
  own wasm_globaltype_t* type = wasm_global_type(var_i64_export);
  printf("> var i64 export: %s %s\n", wasm_valtype_kind(wasm_globaltype_content(type)) == WASM_I64 ? "i64" : "?",
         wasm_globaltype_mutability(type) == WASM_VAR ? "var" : "const");
  wasm_globaltype_delete(type);
  type = wasm_global_type(const_f32_export);
  printf("> const f32 export: %s %s\n", wasm_valtype_kind(wasm_globaltype_content(type)) == WASM_F32 ? "f32" : "?",
         wasm_globaltype_mutability(type) == WASM_VAR ? "var" : "const");
  wasm_globaltype_delete(type);

  printf("Accessing globals...\n");
  check_global(const_f32_import, f32, 1);
  check_global(const_i64_import, i64, 2);
  check_global(var_f32_import, f32, 3);
  check_global(var_i64_import, i64, 4);
  check_global(const_f32_export, f32, 5);
  check_global(const_i64_export, i64, 6);
  check_global(var_f32_export, f32, 7);
  check_global(var_i64_export, i64, 8);

  check_call(get_const_f32_import, f32, 1);
  check_call(get_const_i64_import, i64, 2);
  check_call(get_var_f32_import, f32, 3);
  check_call(get_var_i64_import, i64, 4);
  check_call(get_const_f32_export, f32, 5);
  check_call(get_const_i64_export, i64, 6);
  check_call(get_var_f32_export, f32, 7);
  check_call(get_var_i64_export, i64, 8);

  printf("Modifying globals from the host...\n");
  wasm_val_t val33 = WASM_F32_VAL(33);
  wasm_global_set(var_f32_import, &val33);
  wasm_val_t val34 = WASM_I64_VAL(34);
  wasm_global_set(var_i64_import, &val34);
  wasm_val_t val37 = WASM_F32_VAL(37);
  wasm_global_set(var_f32_export, &val37);
  wasm_val_t val38 = WASM_I64_VAL(38);
  wasm_global_set(var_i64_export, &val38);
  // Immutable globals, and values of the wrong type, are left alone.
  wasm_val_t val99 = WASM_F32_VAL(99);
  wasm_global_set(const_f32_export, &val99);
  wasm_global_set(var_i64_export, &val99);

  check_global(var_f32_import, f32, 33);
  check_global(var_i64_import, i64, 34);
  check_global(var_f32_export, f32, 37);
  check_global(var_i64_export, i64, 38);
  check_global(const_f32_export, f32, 5);
  check_call(get_var_f32_import, f32, 33);
  check_call(get_var_i64_import, i64, 34);
  check_call(get_var_f32_export, f32, 37);
  check_call(get_var_i64_export, i64, 38);
  check_call(get_const_f32_export, f32, 5);

  printf("Modifying globals from wasm...\n");
  wasm_val_t val73 = WASM_F32_VAL(73);
  call_setter(set_var_f32_import, val73);
  wasm_val_t val74 = WASM_I64_VAL(74);
  call_setter(set_var_i64_import, val74);
  wasm_val_t val77 = WASM_F32_VAL(77);
  call_setter(set_var_f32_export, val77);
  wasm_val_t val78 = WASM_I64_VAL(78);
  call_setter(set_var_i64_export, val78);

  check_global(var_f32_import, f32, 73);
  check_global(var_i64_import, i64, 74);
  check_global(var_f32_export, f32, 77);
  check_global(var_i64_export, i64, 78);
  check_call(get_var_f32_import, f32, 73);
  check_call(get_var_i64_import, i64, 74);
  check_call(get_var_f32_export, f32, 77);
  check_call(get_var_i64_export, i64, 78);

  wasm_global_delete(const_f32_import);
  wasm_global_delete(const_i64_import);
  wasm_global_delete(var_f32_import);
  wasm_global_delete(var_i64_import);
  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);

  printf("Shutting down...\n");
  wasm_store_delete(store);
  wasm_engine_delete(engine);

  printf(failures ? "Failed.\n" : "Done.\n");
  return failures ? 1 : 0;
}
