/* The standard C API (wasm.h) in one program: what cpp_api.cpp does, for the
 * pieces docs/embedding.md shows between "docs: begin NAME" and "docs: end
 * NAME" lines. tests/docs/run.sh builds it against the installed Kiln and
 * compares its output with c_api.out. Run it where tour.wat is. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include <wasm.h>

/* A host function: arguments in, results out, a trap (or NULL) returned. */
static wasm_trap_t* weight_callback(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  results->data[0].kind = WASM_I32;
  results->data[0].of.i32 = args->data[0].of.i32 * args->data[0].of.i32;
  return NULL;
}

/* With an environment: here, the memory to read the string from. */
static wasm_trap_t* log_callback(void* env, const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  (void)results;
  wasm_memory_t** memory = env;
  int32_t ptr = args->data[0].of.i32, len = args->data[1].of.i32;
  printf("log: %.*s\n", (int)len, wasm_memory_data(*memory) + ptr);
  return NULL;
}

static wasm_trap_t* double_callback(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  results->data[0].kind = WASM_I64;
  results->data[0].of.i64 = 2 * (int64_t)args->data[0].of.i32;
  return NULL;
}

static wasm_byte_vec_t read_file(const char* path) {
  wasm_byte_vec_t bytes = WASM_EMPTY_VEC;
  FILE* file = fopen(path, "rb");
  if (!file) return bytes;
  fseek(file, 0, SEEK_END);
  long size = ftell(file);
  fseek(file, 0, SEEK_SET);
  wasm_byte_vec_new_uninitialized(&bytes, (size_t)size);
  if (fread(bytes.data, 1, bytes.size, file) != bytes.size) wasm_byte_vec_delete(&bytes);
  fclose(file);
  return bytes;
}

int main(void) {
  /* docs: begin setup */
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  wasm_byte_vec_t binary = read_file("tour.wat");               /* a .wasm, or Kiln also takes text */
  wasm_module_t* module = wasm_module_new(store, &binary);       /* NULL if invalid */
  wasm_byte_vec_delete(&binary);
  if (!module) {
    wasm_message_t message;
    kiln_last_error_message(&message);                           /* a Kiln extension: why */
    printf("%s\n", message.data);
    wasm_byte_vec_delete(&message);
    return 1;
  }
  /* docs: end setup */

  /* docs: begin imports */
  wasm_memory_t* memory = NULL; /* known once instantiated; log_callback reads it */
  wasm_functype_t* weight_type = wasm_functype_new_1_1(wasm_valtype_new_i32(), wasm_valtype_new_i32());
  wasm_functype_t* log_type = wasm_functype_new_2_0(wasm_valtype_new_i32(), wasm_valtype_new_i32());
  wasm_functype_t* double_type = wasm_functype_new_1_1(wasm_valtype_new_i32(), wasm_valtype_new_i64());
  wasm_func_t* weight = wasm_func_new(store, weight_type, weight_callback);
  wasm_func_t* log = wasm_func_new_with_env(store, log_type, log_callback, &memory, NULL);
  wasm_func_t* twice = wasm_func_new(store, double_type, double_callback);

  /* Imports in the order wasm_module_imports lists them. */
  wasm_extern_t* list[] = {wasm_func_as_extern(weight), wasm_func_as_extern(log), wasm_func_as_extern(twice)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(list);
  wasm_trap_t* trap = NULL;
  wasm_instance_t* instance = wasm_instance_new(store, module, &imports, &trap);
  if (!instance) return 1;                                       /* trap (if asked for) says why */

  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);                     /* in the module's export order */
  memory = wasm_extern_as_memory(exports.data[0]);
  wasm_func_t* step = wasm_extern_as_func(exports.data[1]);
  /* docs: end imports */

  /* docs: begin call */
  wasm_val_t arg[1] = {WASM_I32_VAL(3)}, result[1] = {WASM_INIT_VAL};
  wasm_val_vec_t args = WASM_ARRAY_VEC(arg), results = WASM_ARRAY_VEC(result);
  trap = wasm_func_call(step, &args, &results);                  /* NULL on success */
  printf("step(3): %" PRId32 "\n", result[0].of.i32);

  wasm_func_t* ratio = wasm_extern_as_func(exports.data[5]);
  arg[0].of.i32 = 0;
  trap = wasm_func_call(ratio, &args, &results);
  if (trap) {
    wasm_message_t message;
    wasm_trap_message(trap, &message);                           /* NUL-terminated */
    wasm_frame_t* origin = wasm_trap_origin(trap);
    printf("ratio(0) trapped: %s, in function %" PRIu32 "\n", message.data, wasm_frame_func_index(origin));
    wasm_frame_delete(origin);
    wasm_byte_vec_delete(&message);
    wasm_trap_delete(trap);
  }
  /* docs: end call */

  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_func_delete(weight);
  wasm_func_delete(log);
  wasm_func_delete(twice);
  wasm_functype_delete(weight_type);
  wasm_functype_delete(log_type);
  wasm_functype_delete(double_type);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  return 0;
}
