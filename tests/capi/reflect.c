// reflect: the types of a module's imports and exports, and of an instance's
// exported objects, printed.
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "load.h"
#include "wasm.h"

#define own

static void print_mutability(wasm_mutability_t mut) {
  switch (mut) {
    case WASM_VAR: printf("var"); break;
    case WASM_CONST: printf("const"); break;
  }
}

static void print_limits(const wasm_limits_t* limits) {
  printf("%" PRIu32, limits->min);
  if (limits->max < wasm_limits_max_default) printf(" %" PRIu32, limits->max);
}

static void print_valtype(const wasm_valtype_t* type) {
  switch (wasm_valtype_kind(type)) {
    case WASM_I32: printf("i32"); break;
    case WASM_I64: printf("i64"); break;
    case WASM_F32: printf("f32"); break;
    case WASM_F64: printf("f64"); break;
    case WASM_V128: printf("v128"); break;
    case WASM_EXTERNREF: printf("externref"); break;
    case WASM_FUNCREF: printf("funcref"); break;
  }
}

static void print_valtypes(const wasm_valtype_vec_t* types) {
  bool first = true;
  for (size_t i = 0; i < types->size; ++i) {
    if (first) first = false;
    else printf(" ");
    print_valtype(types->data[i]);
  }
}

static void print_externtype(const wasm_externtype_t* type) {
  switch (wasm_externtype_kind(type)) {
    case WASM_EXTERN_FUNC: {
      const wasm_functype_t* functype = wasm_externtype_as_functype_const(type);
      printf("func (");
      print_valtypes(wasm_functype_params(functype));
      printf(") -> (");
      print_valtypes(wasm_functype_results(functype));
      printf(")");
    } break;
    case WASM_EXTERN_GLOBAL: {
      const wasm_globaltype_t* globaltype = wasm_externtype_as_globaltype_const(type);
      printf("global ");
      print_mutability(wasm_globaltype_mutability(globaltype));
      printf(" ");
      print_valtype(wasm_globaltype_content(globaltype));
    } break;
    case WASM_EXTERN_TABLE: {
      const wasm_tabletype_t* tabletype = wasm_externtype_as_tabletype_const(type);
      printf("table ");
      print_limits(wasm_tabletype_limits(tabletype));
      printf(" ");
      print_valtype(wasm_tabletype_element(tabletype));
    } break;
    case WASM_EXTERN_MEMORY: {
      const wasm_memorytype_t* memorytype = wasm_externtype_as_memorytype_const(type);
      printf("memory ");
      print_limits(wasm_memorytype_limits(memorytype));
    } break;
  }
}

static void print_name(const wasm_name_t* name) { printf("\"%.*s\"", (int)name->size, name->data); }

int main(void) {
  printf("Initializing...\n");
  wasm_engine_t* engine = test_engine();
  wasm_store_t* store = wasm_store_new(engine);

  printf("Loading binary...\n");
  wasm_byte_vec_t binary = load("reflect.wasm");

  printf("Validating module...\n");
  if (!wasm_module_validate(store, &binary)) {
    printf("> Error validating module!\n");
    return 1;
  }
  wasm_byte_vec_t garbage;
  wasm_byte_vec_new(&garbage, 4, "\0asn");
  if (wasm_module_validate(store, &garbage) || wasm_module_new(store, &garbage)) {
    printf("> Error: garbage validated!\n");
    return 1;
  }
  wasm_byte_vec_delete(&garbage);

  printf("Compiling module...\n");
  own wasm_module_t* module = wasm_module_new(store, &binary);
  if (!module) {
    printf("> Error compiling module!\n");
    return 1;
  }
  wasm_byte_vec_delete(&binary);

  printf("Imports:\n");
  own wasm_importtype_vec_t import_types;
  wasm_module_imports(module, &import_types);
  for (size_t i = 0; i < import_types.size; ++i) {
    printf("> import %zu ", i);
    print_name(wasm_importtype_module(import_types.data[i]));
    printf(" ");
    print_name(wasm_importtype_name(import_types.data[i]));
    printf(": ");
    print_externtype(wasm_importtype_type(import_types.data[i]));
    printf("\n");
  }

  printf("Exports:\n");
  own wasm_exporttype_vec_t export_types;
  wasm_module_exports(module, &export_types);
  for (size_t i = 0; i < export_types.size; ++i) {
    printf("> export %zu ", i);
    print_name(wasm_exporttype_name(export_types.data[i]));
    printf(": ");
    print_externtype(wasm_exporttype_type(export_types.data[i]));
    printf("\n");
  }

  printf("Copying types...\n");
  own wasm_exporttype_vec_t copies;
  wasm_exporttype_vec_copy(&copies, &export_types);
  for (size_t i = 0; i < copies.size; ++i) {
    own wasm_externtype_t* copy = wasm_externtype_copy(wasm_exporttype_type(copies.data[i]));
    if (wasm_externtype_kind(copy) != wasm_externtype_kind(wasm_exporttype_type(export_types.data[i]))) {
      printf("> Error copying types!\n");
      return 1;
    }
    wasm_externtype_delete(copy);
  }
  wasm_exporttype_vec_delete(&copies);

  printf("Instantiating module...\n");
  own wasm_functype_t* log_type = wasm_functype_new_2_0(wasm_valtype_new_i32(), wasm_valtype_new_i64());
  own wasm_func_t* log_func = wasm_func_new(store, log_type, NULL);
  wasm_functype_delete(log_type);
  own wasm_globaltype_t* limit_type = wasm_globaltype_new(wasm_valtype_new_i32(), WASM_CONST);
  wasm_val_t limit_value = WASM_I32_VAL(10);
  own wasm_global_t* limit_global = wasm_global_new(store, limit_type, &limit_value);
  wasm_globaltype_delete(limit_type);
  wasm_limits_t memory_limits = {1, 16};
  own wasm_memorytype_t* memory_type = wasm_memorytype_new(&memory_limits);
  own wasm_memory_t* memory = wasm_memory_new(store, memory_type);
  wasm_memorytype_delete(memory_type);
  wasm_limits_t table_limits = {4, wasm_limits_max_default};
  own wasm_tabletype_t* table_type = wasm_tabletype_new(wasm_valtype_new_funcref(), &table_limits);
  own wasm_table_t* table = wasm_table_new(store, table_type, NULL);
  wasm_tabletype_delete(table_type);

  wasm_extern_t* externs[] = {wasm_func_as_extern(log_func), wasm_global_as_extern(limit_global),
                              wasm_memory_as_extern(memory), wasm_table_as_extern(table)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
  own wasm_instance_t* instance = wasm_instance_new(store, module, &imports, NULL);
  if (!instance) {
    printf("> Error instantiating module!\n");
    return 1;
  }

  printf("Exported objects:\n");
  own wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  if (exports.size != export_types.size) {
    printf("> Error accessing exports!\n");
    return 1;
  }
  for (size_t i = 0; i < exports.size; ++i) {
    printf("> export %zu ", i);
    print_name(wasm_exporttype_name(export_types.data[i]));
    printf(": ");
    own wasm_externtype_t* type = wasm_extern_type(exports.data[i]);
    print_externtype(type);
    printf("\n");
    if (wasm_extern_kind(exports.data[i]) != wasm_externtype_kind(type)) {
      printf("> Error: kinds differ!\n");
      return 1;
    }
    wasm_externtype_delete(type);
  }

  wasm_func_delete(log_func);
  wasm_global_delete(limit_global);
  wasm_memory_delete(memory);
  wasm_table_delete(table);
  wasm_extern_vec_delete(&exports);
  wasm_importtype_vec_delete(&import_types);
  wasm_exporttype_vec_delete(&export_types);
  wasm_module_delete(module);
  wasm_instance_delete(instance);

  printf("Shutting down...\n");
  wasm_store_delete(store);
  wasm_engine_delete(engine);

  printf("Done.\n");
  return 0;
}
