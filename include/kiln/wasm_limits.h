/* Kiln's extensions to the standard C API (wasm.h) for running untrusted code:
 * resource limits and interruption. The standard has one place for engine
 * settings, wasm_config_t, which these fill; the store-level calls follow
 * Wasmtime's equivalents (fuel, epoch deadlines).
 *
 *   wasm_config_t* config = wasm_config_new();
 *   kiln_config_consume_fuel_set(config, true);
 *   kiln_config_max_memory_pages_set(config, 1024);      // 64 MiB per memory
 *   wasm_engine_t* engine = wasm_engine_new_with_config(config);
 *   wasm_store_t* store = wasm_store_new(engine);
 *   kiln_store_fuel_set(store, 1000000);
 *
 * Exhausting a limit is a trap ("all fuel consumed", "interrupted: time limit
 * reached", "call stack exhausted"); memory.grow beyond the memory limit
 * returns -1. See docs/embedding.md. */
#ifndef KILN_WASM_LIMITS_H
#define KILN_WASM_LIMITS_H

#include <stdbool.h>
#include <stdint.h>

#include "wasm.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Engine settings (before wasm_engine_new_with_config). */
void kiln_config_consume_fuel_set(wasm_config_t* config, bool enable);
void kiln_config_epoch_interruption_set(wasm_config_t* config, bool enable);
void kiln_config_max_memory_pages_set(wasm_config_t* config, uint64_t pages);
void kiln_config_max_table_elements_set(wasm_config_t* config, uint64_t elements);
/* The interpreter's value stack per store, in bytes (also bounds call depth). */
void kiln_config_max_stack_set(wasm_config_t* config, uint64_t bytes);

/* Fuel: false if the engine does not consume fuel. */
bool kiln_store_fuel_set(wasm_store_t* store, uint64_t fuel);
bool kiln_store_fuel_get(const wasm_store_t* store, uint64_t* fuel);

/* Epochs: code in `store` traps once the engine's epoch has advanced `ticks`
 * times from now; any thread may advance it. */
void kiln_store_epoch_deadline_set(wasm_store_t* store, uint64_t ticks);
void kiln_engine_increment_epoch(wasm_engine_t* engine);

#ifdef __cplusplus
}
#endif

#endif /* KILN_WASM_LIMITS_H */
