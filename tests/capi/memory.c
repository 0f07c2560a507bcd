// memory: an exported memory read and written from the host and from wasm,
// grown from both sides, with out-of-bounds accesses trapping; a memory created
// by the host.
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

static int32_t call(wasm_func_t* func, size_t nargs, int32_t a0, int32_t a1, bool* trapped) {
  wasm_val_t vs[2] = {WASM_I32_VAL(a0), WASM_I32_VAL(a1)};
  wasm_val_t r[1] = {WASM_I32_VAL(0)};
  wasm_val_vec_t args = {nargs, vs};
  wasm_val_vec_t results = {wasm_func_result_arity(func), r};
  own wasm_trap_t* trap = wasm_func_call(func, &args, &results);
  *trapped = trap != NULL;
  if (trap) {
    own wasm_message_t message;
    wasm_trap_message(trap, &message);
    printf("> trap: %s\n", message.data);
    wasm_byte_vec_delete(&message);
    wasm_trap_delete(trap);
  }
  return r[0].of.i32;
}

static void check_call(wasm_func_t* func, size_t nargs, int32_t a0, int32_t a1, int32_t expected, int line) {
  bool trapped;
  int32_t result = call(func, nargs, a0, a1, &trapped);
  check(!trapped && result == expected, line);
}

static void check_trap(wasm_func_t* func, size_t nargs, int32_t a0, int32_t a1, int line) {
  bool trapped;
  call(func, nargs, a0, a1, &trapped);
  check(trapped, line);
}

int main(void) {
  printf("Initializing...\n");
  wasm_engine_t* engine = test_engine();
  wasm_store_t* store = wasm_store_new(engine);

  printf("Loading binary...\n");
  wasm_byte_vec_t binary = load("memory.wasm");

  printf("Compiling module...\n");
  own wasm_module_t* module = wasm_module_new(store, &binary);
  if (!module) {
    printf("> Error compiling module!\n");
    return 1;
  }
  wasm_byte_vec_delete(&binary);

  printf("Instantiating module...\n");
  own wasm_instance_t* instance = wasm_instance_new(store, module, NULL, NULL);
  if (!instance) {
    printf("> Error instantiating module!\n");
    return 1;
  }

  printf("Extracting exports...\n");
  own wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  CHECK(exports.size == 4);
  wasm_memory_t* memory = wasm_extern_as_memory(exports.data[0]);
  wasm_func_t* size_func = wasm_extern_as_func(exports.data[1]);
  wasm_func_t* load_func = wasm_extern_as_func(exports.data[2]);
  wasm_func_t* store_func = wasm_extern_as_func(exports.data[3]);
  CHECK(memory && size_func && load_func && store_func);
  wasm_module_delete(module);

  printf("Checking memory...\n");
  own wasm_memorytype_t* type = wasm_memory_type(memory);
  printf("> memory: min %" PRIu32 ", max %" PRIu32 "\n", wasm_memorytype_limits(type)->min,
         wasm_memorytype_limits(type)->max);
  wasm_memorytype_delete(type);
  CHECK(wasm_memory_size(memory) == 2);
  CHECK(wasm_memory_data_size(memory) == 0x20000);
  CHECK(wasm_memory_data(memory)[0] == 0);
  CHECK(wasm_memory_data(memory)[0x1000] == 1);
  CHECK(wasm_memory_data(memory)[0x1003] == 4);

  check_call(size_func, 0, 0, 0, 2, __LINE__);
  check_call(load_func, 1, 0, 0, 0, __LINE__);
  check_call(load_func, 1, 0x1000, 0, 1, __LINE__);
  check_call(load_func, 1, 0x1003, 0, 4, __LINE__);
  check_call(load_func, 1, 0x1ffff, 0, 0, __LINE__);
  check_trap(load_func, 1, 0x20000, 0, __LINE__);

  printf("Mutating memory...\n");
  wasm_memory_data(memory)[0x1003] = 5;
  check_call(store_func, 2, 0x1002, 6, 0, __LINE__);
  check_trap(store_func, 2, 0x20000, 0, __LINE__);
  CHECK(wasm_memory_data(memory)[0x1002] == 6);
  CHECK(wasm_memory_data(memory)[0x1003] == 5);
  check_call(load_func, 1, 0x1002, 0, 6, __LINE__);
  check_call(load_func, 1, 0x1003, 0, 5, __LINE__);

  printf("Growing memory...\n");
  CHECK(wasm_memory_grow(memory, 1));
  CHECK(wasm_memory_size(memory) == 3);
  CHECK(wasm_memory_data_size(memory) == 0x30000);
  check_call(load_func, 1, 0x20000, 0, 0, __LINE__);
  check_call(store_func, 2, 0x20000, 0, 0, __LINE__);
  check_trap(load_func, 1, 0x30000, 0, __LINE__);
  check_trap(store_func, 2, 0x30000, 0, __LINE__);
  CHECK(!wasm_memory_grow(memory, 1));
  CHECK(wasm_memory_grow(memory, 0));

  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);

  printf("Creating stand-alone memory...\n");
  wasm_limits_t limits = {5, 5};
  own wasm_memorytype_t* memorytype = wasm_memorytype_new(&limits);
  own wasm_memory_t* memory2 = wasm_memory_new(store, memorytype);
  CHECK(wasm_memory_size(memory2) == 5);
  CHECK(!wasm_memory_grow(memory2, 1));
  CHECK(wasm_memory_grow(memory2, 0));
  wasm_memory_data(memory2)[5 * MEMORY_PAGE_SIZE - 1] = 42;
  wasm_memorytype_delete(memorytype);
  wasm_memory_delete(memory2);

  printf("Shutting down...\n");
  wasm_store_delete(store);
  wasm_engine_delete(engine);

  printf("Done.\n");
  return 0;
}
