// callback: host functions with arguments and results of every number type,
// one of them with an environment (and a finalizer that runs with the store).
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "load.h"
#include "wasm.h"

#define own

static void print_val(const wasm_val_t* val) {
  switch (val->kind) {
    case WASM_I32: printf("%" PRIi32, val->of.i32); break;
    case WASM_I64: printf("%" PRIi64, val->of.i64); break;
    case WASM_F32: printf("%g", (double)val->of.f32); break;
    case WASM_F64: printf("%g", val->of.f64); break;
    case WASM_EXTERNREF:
    case WASM_FUNCREF: printf(val->of.ref ? "ref" : "null"); break;
  }
}

// (i32) -> i32: prints its argument and returns it.
static own wasm_trap_t* print_callback(const wasm_val_vec_t* args, own wasm_val_vec_t* results) {
  printf("Calling back...\n> ");
  print_val(&args->data[0]);
  printf("\n");
  wasm_val_copy(&results->data[0], &args->data[0]);
  return NULL;
}

// () -> i32: returns the int its environment points at.
static own wasm_trap_t* closure_callback(void* env, const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  (void)args;
  int i = *(int*)env;
  printf("Calling back closure...\n> %d\n", i);
  results->data[0].kind = WASM_I32;
  results->data[0].of.i32 = (int32_t)i;
  return NULL;
}

static void closure_finalizer(void* env) { printf("Finalizing closure environment %d...\n", *(int*)env); }

// (i32, i64, f32, f64) -> f64: their sum.
static own wasm_trap_t* mix_callback(const wasm_val_vec_t* args, own wasm_val_vec_t* results) {
  printf("Calling back mix...\n> ");
  for (size_t i = 0; i < args->size; ++i) {
    if (i) printf(" ");
    print_val(&args->data[i]);
  }
  printf("\n");
  results->data[0].kind = WASM_F64;
  results->data[0].of.f64 = args->data[0].of.i32 + (double)args->data[1].of.i64 + args->data[2].of.f32 +
                            args->data[3].of.f64;
  return NULL;
}

int main(void) {
  printf("Initializing...\n");
  wasm_engine_t* engine = test_engine();
  wasm_store_t* store = wasm_store_new(engine);

  printf("Loading binary...\n");
  wasm_byte_vec_t binary = load("callback.wasm");

  printf("Compiling module...\n");
  own wasm_module_t* module = wasm_module_new(store, &binary);
  if (!module) {
    printf("> Error compiling module!\n");
    return 1;
  }
  wasm_byte_vec_delete(&binary);

  printf("Creating callbacks...\n");
  own wasm_functype_t* print_type = wasm_functype_new_1_1(wasm_valtype_new_i32(), wasm_valtype_new_i32());
  own wasm_func_t* print_func = wasm_func_new(store, print_type, print_callback);

  static int i = 42;
  own wasm_functype_t* closure_type = wasm_functype_new_0_1(wasm_valtype_new_i32());
  own wasm_func_t* closure_func = wasm_func_new_with_env(store, closure_type, closure_callback, &i, closure_finalizer);

  wasm_valtype_t* mix_params[] = {wasm_valtype_new_i32(), wasm_valtype_new_i64(), wasm_valtype_new_f32(),
                                  wasm_valtype_new_f64()};
  wasm_valtype_t* mix_results[] = {wasm_valtype_new_f64()};
  wasm_valtype_vec_t mix_param_vec, mix_result_vec;
  wasm_valtype_vec_new(&mix_param_vec, 4, mix_params);
  wasm_valtype_vec_new(&mix_result_vec, 1, mix_results);
  own wasm_functype_t* mix_type = wasm_functype_new(&mix_param_vec, &mix_result_vec);
  own wasm_func_t* mix_func = wasm_func_new(store, mix_type, mix_callback);
  printf("mix arity: %zu -> %zu\n", wasm_func_param_arity(mix_func), wasm_func_result_arity(mix_func));

  wasm_functype_delete(print_type);
  wasm_functype_delete(closure_type);
  wasm_functype_delete(mix_type);

  printf("Instantiating module...\n");
  wasm_extern_t* externs[] = {wasm_func_as_extern(print_func), wasm_func_as_extern(closure_func),
                              wasm_func_as_extern(mix_func)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
  own wasm_trap_t* trap = NULL;
  own wasm_instance_t* instance = wasm_instance_new(store, module, &imports, &trap);
  if (!instance || trap) {
    printf("> Error instantiating module!\n");
    return 1;
  }
  wasm_func_delete(print_func);
  wasm_func_delete(closure_func);
  wasm_func_delete(mix_func);

  printf("Extracting exports...\n");
  own wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  if (exports.size != 2) {
    printf("> Error accessing exports!\n");
    return 1;
  }
  const wasm_func_t* run_func = wasm_extern_as_func(exports.data[0]);
  const wasm_func_t* mix_export = wasm_extern_as_func(exports.data[1]);
  if (!run_func || !mix_export) {
    printf("> Error accessing export!\n");
    return 1;
  }
  wasm_module_delete(module);
  wasm_instance_delete(instance);

  printf("Calling export...\n");
  wasm_val_t as[2] = {WASM_I32_VAL(3), WASM_I32_VAL(4)};
  wasm_val_t rs[1] = {WASM_INIT_VAL};
  wasm_val_vec_t args = WASM_ARRAY_VEC(as);
  wasm_val_vec_t results = WASM_ARRAY_VEC(rs);
  trap = wasm_func_call(run_func, &args, &results);
  if (trap) {
    printf("> Error calling function!\n");
    return 1;
  }
  printf("Printing result...\n> %" PRIi32 "\n", rs[0].of.i32);

  printf("Calling export mix...\n");
  wasm_val_t mix_as[4] = {WASM_I32_VAL(-1), WASM_I64_VAL(INT64_C(10000000000)), WASM_F32_VAL(0.5f),
                          WASM_F64_VAL(0.25)};
  wasm_val_vec_t mix_args = WASM_ARRAY_VEC(mix_as);
  trap = wasm_func_call(mix_export, &mix_args, &results);
  if (trap || rs[0].kind != WASM_F64) {
    printf("> Error calling function!\n");
    return 1;
  }
  printf("Printing result...\n> %.2f\n", rs[0].of.f64);

  printf("Calling export with a wrong argument type...\n");
  wasm_val_t bad_as[2] = {WASM_I32_VAL(3), WASM_F64_VAL(4.0)};
  wasm_val_vec_t bad_args = WASM_ARRAY_VEC(bad_as);
  trap = wasm_func_call(run_func, &bad_args, &results);
  if (!trap) {
    printf("> Error: expected a trap!\n");
    return 1;
  }
  own wasm_message_t message;
  wasm_trap_message(trap, &message);
  printf("> %s\n", message.data);
  wasm_byte_vec_delete(&message);
  wasm_trap_delete(trap);

  wasm_extern_vec_delete(&exports);

  printf("Shutting down...\n");
  wasm_store_delete(store);
  wasm_engine_delete(engine);

  printf("Done.\n");
  return 0;
}
