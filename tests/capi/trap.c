// trap: traps raised by a host function and by wasm code (unreachable, divide
// by zero, out-of-bounds memory, stack exhaustion) are caught by the host,
// which prints their messages and backtraces.
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load.h"
#include "wasm.h"

#define own

static own wasm_trap_t* fail_callback(void* env, const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  (void)args;
  (void)results;
  printf("Calling back...\n");
  own wasm_name_t message;
  wasm_name_new_from_string_nt(&message, "callback abort");
  own wasm_trap_t* trap = wasm_trap_new((wasm_store_t*)env, &message);
  wasm_name_delete(&message);
  return trap;
}

// Offsets are left out for out-of-bounds memory accesses: Kiln finds the
// faulting instruction from saved registers, which may not always work.
static bool show_offsets = true;

static void print_frame(const wasm_frame_t* frame) {
  printf("> %s @ ", wasm_frame_instance(frame) ? "instance" : "no instance");
  if (show_offsets) printf("0x%zx = %" PRIu32 ".0x%zx\n", wasm_frame_module_offset(frame), wasm_frame_func_index(frame),
                           wasm_frame_func_offset(frame));
  else printf("? = %" PRIu32 ".?\n", wasm_frame_func_index(frame));
}

int main(void) {
  printf("Initializing...\n");
  wasm_engine_t* engine = test_engine();
  wasm_store_t* store = wasm_store_new(engine);

  printf("Loading binary...\n");
  wasm_byte_vec_t binary = load("trap.wasm");

  printf("Compiling module...\n");
  own wasm_module_t* module = wasm_module_new(store, &binary);
  if (!module) {
    printf("> Error compiling module!\n");
    return 1;
  }
  wasm_byte_vec_delete(&binary);

  printf("Creating callback...\n");
  own wasm_functype_t* fail_type = wasm_functype_new_0_1(wasm_valtype_new_i32());
  own wasm_func_t* fail_func = wasm_func_new_with_env(store, fail_type, fail_callback, store, NULL);
  wasm_functype_delete(fail_type);

  printf("Instantiating module...\n");
  wasm_extern_t* externs[] = {wasm_func_as_extern(fail_func)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
  own wasm_instance_t* instance = wasm_instance_new(store, module, &imports, NULL);
  if (!instance) {
    printf("> Error instantiating module!\n");
    return 1;
  }
  wasm_func_delete(fail_func);

  printf("Extracting exports...\n");
  own wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  if (exports.size != 5) {
    printf("> Error accessing exports!\n");
    return 1;
  }
  own wasm_exporttype_vec_t export_types;
  wasm_module_exports(module, &export_types);
  wasm_module_delete(module);
  wasm_instance_delete(instance);

  for (size_t i = 0; i < exports.size; ++i) {
    const wasm_func_t* func = wasm_extern_as_func(exports.data[i]);
    if (func == NULL) {
      printf("> Error accessing export!\n");
      return 1;
    }
    const wasm_name_t* name = wasm_exporttype_name(export_types.data[i]);
    printf("Calling export %zu (%.*s)...\n", i, (int)name->size, name->data);
    show_offsets = !(name->size == 13 && memcmp(name->data, "out of bounds", 13) == 0);
    wasm_val_t as[2] = {WASM_I32_VAL(7), WASM_I32_VAL(0)};
    wasm_val_t rs[1] = {WASM_INIT_VAL};
    wasm_val_vec_t args = {wasm_func_param_arity(func), as};
    wasm_val_vec_t results = {wasm_func_result_arity(func), rs};
    own wasm_trap_t* trap = wasm_func_call(func, &args, &results);
    if (!trap) {
      printf("> Error calling function, expected trap!\n");
      return 1;
    }

    printf("Printing message...\n");
    own wasm_name_t message;
    wasm_trap_message(trap, &message);
    printf("> %s\n", message.data);

    printf("Printing origin...\n");
    own wasm_frame_t* frame = wasm_trap_origin(trap);
    if (frame) {
      print_frame(frame);
      own wasm_frame_t* copy = wasm_frame_copy(frame);
      if (wasm_frame_func_index(copy) != wasm_frame_func_index(frame)) {
        printf("> Error copying frame!\n");
        return 1;
      }
      wasm_frame_delete(copy);
      wasm_frame_delete(frame);
    } else {
      printf("> Empty origin.\n");
    }

    printf("Printing trace...\n");
    own wasm_frame_vec_t trace;
    wasm_trap_trace(trap, &trace);
    if (trace.size > 0) {
      size_t shown = trace.size < 4 ? trace.size : 4;
      for (size_t k = 0; k < shown; ++k) print_frame(trace.data[k]);
      if (shown < trace.size) printf("> ... (%s)\n", trace.size > 10 ? "many more frames" : "more frames");
    } else {
      printf("> Empty trace.\n");
    }

    wasm_frame_vec_delete(&trace);
    wasm_trap_delete(trap);
    wasm_name_delete(&message);
  }

  wasm_exporttype_vec_delete(&export_types);
  wasm_extern_vec_delete(&exports);

  printf("Shutting down...\n");
  wasm_store_delete(store);
  wasm_engine_delete(engine);

  printf("Done.\n");
  return 0;
}
