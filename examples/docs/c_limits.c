/* Limits for untrusted code through the C API (kiln/wasm_limits.h): fuel and
 * an epoch deadline each end an endless loop, and memory.grow fails at the
 * engine's page limit. docs/embedding.md shows the lines between "docs: begin
 * config" and "docs: end config"; tests/docs/run.sh runs it and compares its
 * output with c_limits.out. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <kiln/wasm_limits.h>
#include <wasm.h>

static const char* kModule =
    "(module"
    "  (memory (export \"memory\") 1)"
    "  (func (export \"spin\") (loop $forever (br $forever)))"
    "  (func (export \"grow\") (param i32) (result i32) (memory.grow (local.get 0))))";

static void call(const wasm_extern_vec_t* exports, size_t index, int32_t pages) {
  wasm_val_t arg[1] = {WASM_I32_VAL(pages)}, result[1] = {WASM_INIT_VAL};
  wasm_val_vec_t args = {index == 1 ? 0 : 1, arg}, results = {index == 1 ? 0 : 1, result};
  wasm_trap_t* trap = wasm_func_call(wasm_extern_as_func(exports->data[index]), &args, &results);
  if (trap) {
    wasm_message_t message;
    wasm_trap_message(trap, &message);
    printf("trap: %s\n", message.data);
    wasm_byte_vec_delete(&message);
    wasm_trap_delete(trap);
  } else {
    printf("memory.grow(%" PRId32 ") = %" PRId32 "\n", pages, result[0].of.i32);
  }
}

int main(void) {
  /* docs: begin config */
  wasm_config_t* config = wasm_config_new();
  kiln_config_consume_fuel_set(config, true);         /* traps with "all fuel consumed" */
  kiln_config_epoch_interruption_set(config, true);   /* traps with "interrupted: ..." */
  kiln_config_max_memory_pages_set(config, 4);        /* memory.grow beyond: -1 */
  kiln_config_max_table_elements_set(config, 100000);
  kiln_config_max_stack_set(config, 1 << 20);         /* value stack bytes; bounds call depth */
  wasm_engine_t* engine = wasm_engine_new_with_config(config);  /* takes the config */
  wasm_store_t* store = wasm_store_new(engine);
  kiln_store_fuel_set(store, 10000000);
  kiln_store_epoch_deadline_set(store, 1);            /* then, from a timer thread: */
  kiln_engine_increment_epoch(engine);
  /* docs: end config */

  wasm_byte_vec_t text;
  wasm_byte_vec_new(&text, strlen(kModule), kModule);
  wasm_module_t* module = wasm_module_new(store, &text);
  wasm_byte_vec_delete(&text);
  wasm_instance_t* instance = module ? wasm_instance_new(store, module, NULL, NULL) : NULL;
  if (!instance) return 1;
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);

  call(&exports, 1, 0);  /* the epoch has passed the deadline */
  kiln_store_epoch_deadline_set(store, 1000);
  call(&exports, 1, 0);  /* now the fuel runs out */
  uint64_t fuel = 1;
  kiln_store_fuel_get(store, &fuel);
  printf("fuel left: %" PRIu64 "\n", fuel);
  kiln_store_fuel_set(store, 10000);
  call(&exports, 2, 2);
  call(&exports, 2, 2);  /* 1 + 2 + 2 pages: past the limit of 4 */
  call(&exports, 2, 1);

  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  return 0;
}
