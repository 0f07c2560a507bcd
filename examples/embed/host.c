/* A C host for plugin.wat (or its .wasm), using only the standard wasm.h: host
 * callbacks as imports (one reads the plugin's memory through its environment),
 * exports called in a loop, the memory read afterwards, and a trap caught and
 * printed.  Usage: c_host [PLUGIN]
 * (Kiln's wasm_module_new also accepts the text format; other runtimes need the
 * .wasm.) */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <wasm.h>

/* What the log callback needs: the plugin's memory, known once it is instantiated. */
typedef struct {
  wasm_memory_t* memory;
} host_state;

static wasm_trap_t* log_callback(void* env, const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  (void)results;
  host_state* state = env;
  uint32_t ptr = (uint32_t)args->data[0].of.i32, len = (uint32_t)args->data[1].of.i32;
  if (!state->memory || (uint64_t)ptr + len > wasm_memory_data_size(state->memory)) return NULL;
  printf("plugin says: %.*s\n", (int)len, wasm_memory_data(state->memory) + ptr);
  return NULL;
}

static wasm_trap_t* weight_callback(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  int32_t step = args->data[0].of.i32;
  results->data[0].kind = WASM_I32;
  results->data[0].of.i32 = step * step;
  return NULL;
}

static wasm_func_t* export_func(const wasm_extern_vec_t* exports, const wasm_exporttype_vec_t* types, const char* name) {
  for (size_t i = 0; i < types->size; ++i) {
    const wasm_name_t* n = wasm_exporttype_name(types->data[i]);
    if (n->size == strlen(name) && memcmp(n->data, name, n->size) == 0) return wasm_extern_as_func(exports->data[i]);
  }
  return NULL;
}

int main(int argc, char** argv) {
  const char* path = argc > 1 ? argv[1] : "plugin.wat";
  FILE* file = fopen(path, "rb");
  if (!file) {
    fprintf(stderr, "cannot read %s\n", path);
    return 1;
  }
  fseek(file, 0, SEEK_END);
  size_t size = (size_t)ftell(file);
  fseek(file, 0, SEEK_SET);
  wasm_byte_vec_t bytes;
  wasm_byte_vec_new_uninitialized(&bytes, size);
  if (fread(bytes.data, 1, size, file) != size) return 1;
  fclose(file);

  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = wasm_module_new(store, &bytes);
  wasm_byte_vec_delete(&bytes);
  if (!module) {
    fprintf(stderr, "%s: not a valid module\n", path);
    return 1;
  }

  /* The imports, in the order the module declares them: env.log, env.weight. */
  host_state state = {NULL};
  wasm_functype_t* log_type = wasm_functype_new_2_0(wasm_valtype_new_i32(), wasm_valtype_new_i32());
  wasm_functype_t* weight_type = wasm_functype_new_1_1(wasm_valtype_new_i32(), wasm_valtype_new_i32());
  wasm_func_t* log_func = wasm_func_new_with_env(store, log_type, log_callback, &state, NULL);
  wasm_func_t* weight_func = wasm_func_new(store, weight_type, weight_callback);
  wasm_functype_delete(log_type);
  wasm_functype_delete(weight_type);

  wasm_extern_t* import_list[] = {wasm_func_as_extern(log_func), wasm_func_as_extern(weight_func)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(import_list);
  wasm_trap_t* trap = NULL;
  wasm_instance_t* instance = wasm_instance_new(store, module, &imports, &trap);
  if (!instance) {
    wasm_message_t message;
    wasm_trap_message(trap, &message);
    fprintf(stderr, "instantiation failed: %s\n", message.data);
    return 1;
  }

  wasm_extern_vec_t exports;
  wasm_exporttype_vec_t export_types;
  wasm_instance_exports(instance, &exports);
  wasm_module_exports(module, &export_types);
  state.memory = wasm_extern_as_memory(exports.data[0]);
  wasm_func_t* init = export_func(&exports, &export_types, "init");
  wasm_func_t* step = export_func(&exports, &export_types, "step");
  wasm_func_t* ratio = export_func(&exports, &export_types, "ratio");
  if (!state.memory || !init || !step || !ratio) {
    fprintf(stderr, "the plugin lacks an export\n");
    return 1;
  }

  wasm_val_vec_t no_values = WASM_EMPTY_VEC;
  trap = wasm_func_call(init, &no_values, &no_values);
  if (trap) return 1;

  int32_t total = 0;
  for (int32_t i = 0; i < 10; ++i) {
    wasm_val_t arg[1] = {WASM_I32_VAL(i)};
    wasm_val_t result[1] = {WASM_INIT_VAL};
    wasm_val_vec_t args = WASM_ARRAY_VEC(arg);
    wasm_val_vec_t results = WASM_ARRAY_VEC(result);
    trap = wasm_func_call(step, &args, &results);
    if (trap) return 1;
    total = result[0].of.i32;
  }
  printf("total after 10 steps: %" PRId32 "\n", total);

  printf("totals in memory:");
  for (int i = 0; i < 10; ++i) {
    int32_t value;
    memcpy(&value, wasm_memory_data(state.memory) + 64 + 4 * i, 4);
    printf(" %" PRId32, value);
  }
  printf("\n");

  /* A trap: the call returns it; the host prints its message and backtrace. */
  wasm_val_t zero[1] = {WASM_I32_VAL(0)};
  wasm_val_t result[1] = {WASM_INIT_VAL};
  wasm_val_vec_t args = WASM_ARRAY_VEC(zero);
  wasm_val_vec_t results = WASM_ARRAY_VEC(result);
  trap = wasm_func_call(ratio, &args, &results);
  if (trap) {
    wasm_message_t message;
    wasm_trap_message(trap, &message);
    printf("ratio(0) trapped: %s\n", message.data);
    wasm_frame_vec_t trace;
    wasm_trap_trace(trap, &trace);
    for (size_t i = 0; i < trace.size; ++i)
      printf("  frame %zu: function %" PRIu32 " at module offset 0x%zx\n", i, wasm_frame_func_index(trace.data[i]),
             wasm_frame_module_offset(trace.data[i]));
    wasm_frame_vec_delete(&trace);
    wasm_byte_vec_delete(&message);
    wasm_trap_delete(trap);
  }

  wasm_exporttype_vec_delete(&export_types);
  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_func_delete(log_func);
  wasm_func_delete(weight_func);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  return 0;
}
