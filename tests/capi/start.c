// start: a module whose start function traps; instantiation fails and reports
// the trap with its frames.
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "load.h"
#include "wasm.h"

#define own

static void print_frame(const wasm_frame_t* frame) {
  printf("> %s @ 0x%zx = %" PRIu32 ".0x%zx\n", wasm_frame_instance(frame) ? "instance" : "no instance",
         wasm_frame_module_offset(frame), wasm_frame_func_index(frame), wasm_frame_func_offset(frame));
}

int main(void) {
  printf("Initializing...\n");
  wasm_engine_t* engine = test_engine();
  wasm_store_t* store = wasm_store_new(engine);

  printf("Loading binary...\n");
  wasm_byte_vec_t binary = load("start.wasm");

  printf("Compiling module...\n");
  own wasm_module_t* module = wasm_module_new(store, &binary);
  if (!module) {
    printf("> Error compiling module!\n");
    return 1;
  }
  wasm_byte_vec_delete(&binary);

  printf("Instantiating module...\n");
  own wasm_trap_t* trap = NULL;
  own wasm_instance_t* instance = wasm_instance_new(store, module, NULL, &trap);
  if (instance || !trap) {
    printf("> Error instantiating module, expected trap!\n");
    return 1;
  }
  wasm_module_delete(module);

  printf("Printing message...\n");
  own wasm_name_t message;
  wasm_trap_message(trap, &message);
  printf("> %s\n", message.data);
  if (message.size == 0 || message.data[message.size - 1] != '\0') {
    printf("> Error: the message is not NUL-terminated!\n");
    return 1;
  }

  printf("Printing origin...\n");
  own wasm_frame_t* frame = wasm_trap_origin(trap);
  if (frame) {
    print_frame(frame);
    wasm_frame_delete(frame);
  } else {
    printf("> Empty origin.\n");
  }

  printf("Printing trace...\n");
  own wasm_frame_vec_t trace;
  wasm_trap_trace(trap, &trace);
  if (trace.size > 0) {
    for (size_t i = 0; i < trace.size; ++i) print_frame(trace.data[i]);
  } else {
    printf("> Empty trace.\n");
  }

  wasm_frame_vec_delete(&trace);
  wasm_trap_delete(trap);
  wasm_name_delete(&message);

  printf("Shutting down...\n");
  wasm_store_delete(store);
  wasm_engine_delete(engine);

  printf("Done.\n");
  return 0;
}
