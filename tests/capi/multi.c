// multi: a host function and a wasm function with several parameters and
// several results, called in both directions.
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "load.h"
#include "wasm.h"

#define own

// (i32, i64, i64, i32) -> (i32, i64, i64, i32): the arguments in reverse order.
static own wasm_trap_t* callback(const wasm_val_vec_t* args, own wasm_val_vec_t* results) {
  printf("Calling back...\n> ");
  printf("%" PRIu32 " %" PRIu64 " %" PRIu64 " %" PRIu32 "\n", (uint32_t)args->data[0].of.i32,
         (uint64_t)args->data[1].of.i64, (uint64_t)args->data[2].of.i64, (uint32_t)args->data[3].of.i32);
  wasm_val_copy(&results->data[0], &args->data[3]);
  wasm_val_copy(&results->data[1], &args->data[1]);
  wasm_val_copy(&results->data[2], &args->data[2]);
  wasm_val_copy(&results->data[3], &args->data[0]);
  return NULL;
}

int main(void) {
  printf("Initializing...\n");
  wasm_engine_t* engine = test_engine();
  wasm_store_t* store = wasm_store_new(engine);

  printf("Loading binary...\n");
  wasm_byte_vec_t binary = load("multi.wasm");

  printf("Compiling module...\n");
  own wasm_module_t* module = wasm_module_new(store, &binary);
  if (!module) {
    printf("> Error compiling module!\n");
    return 1;
  }
  wasm_byte_vec_delete(&binary);

  printf("Creating callback...\n");
  wasm_valtype_t* types[4] = {wasm_valtype_new_i32(), wasm_valtype_new_i64(), wasm_valtype_new_i64(),
                              wasm_valtype_new_i32()};
  own wasm_valtype_vec_t tuple1, tuple2;
  wasm_valtype_vec_new(&tuple1, 4, types);
  wasm_valtype_vec_copy(&tuple2, &tuple1);
  own wasm_functype_t* callback_type = wasm_functype_new(&tuple1, &tuple2);
  own wasm_func_t* callback_func = wasm_func_new(store, callback_type, callback);
  wasm_functype_delete(callback_type);

  printf("Instantiating module...\n");
  wasm_extern_t* externs[] = {wasm_func_as_extern(callback_func)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
  own wasm_instance_t* instance = wasm_instance_new(store, module, &imports, NULL);
  if (!instance) {
    printf("> Error instantiating module!\n");
    return 1;
  }
  wasm_func_delete(callback_func);

  printf("Extracting exports...\n");
  own wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  if (exports.size != 2) {
    printf("> Error accessing exports!\n");
    return 1;
  }
  const wasm_func_t* run_func = wasm_extern_as_func(exports.data[0]);
  const wasm_func_t* divmod_func = wasm_extern_as_func(exports.data[1]);
  if (!run_func || !divmod_func) {
    printf("> Error accessing export!\n");
    return 1;
  }
  wasm_module_delete(module);
  wasm_instance_delete(instance);

  printf("Calling export...\n");
  wasm_val_t vals[4] = {WASM_I32_VAL(1), WASM_I64_VAL(2), WASM_I64_VAL(3), WASM_I32_VAL(4)};
  wasm_val_t res[4] = {WASM_INIT_VAL, WASM_INIT_VAL, WASM_INIT_VAL, WASM_INIT_VAL};
  wasm_val_vec_t args = WASM_ARRAY_VEC(vals);
  wasm_val_vec_t results = WASM_ARRAY_VEC(res);
  own wasm_trap_t* trap = wasm_func_call(run_func, &args, &results);
  if (trap) {
    printf("> Error calling function!\n");
    return 1;
  }

  printf("Printing result...\n");
  printf("> %" PRIu32 " %" PRIu64 " %" PRIu64 " %" PRIu32 "\n", (uint32_t)res[0].of.i32, (uint64_t)res[1].of.i64,
         (uint64_t)res[2].of.i64, (uint32_t)res[3].of.i32);
  if (res[0].of.i32 != 4 || res[1].of.i64 != 3 || res[2].of.i64 != 2 || res[3].of.i32 != 1) {
    printf("> Error: wrong results!\n");
    return 1;
  }

  printf("Calling divmod...\n");
  wasm_val_t dm_args[2] = {WASM_I32_VAL(47), WASM_I32_VAL(5)};
  wasm_val_vec_t dm_arg_vec = WASM_ARRAY_VEC(dm_args);
  own wasm_val_vec_t dm_results;
  wasm_val_vec_new_uninitialized(&dm_results, wasm_func_result_arity(divmod_func));
  trap = wasm_func_call(divmod_func, &dm_arg_vec, &dm_results);
  if (trap || dm_results.size != 2) {
    printf("> Error calling function!\n");
    return 1;
  }
  printf("> 47 / 5 = %" PRIi32 " remainder %" PRIi32 "\n", dm_results.data[0].of.i32, dm_results.data[1].of.i32);
  wasm_val_vec_delete(&dm_results);

  wasm_extern_vec_delete(&exports);

  printf("Shutting down...\n");
  wasm_store_delete(store);
  wasm_engine_delete(engine);

  printf("Done.\n");
  return 0;
}
