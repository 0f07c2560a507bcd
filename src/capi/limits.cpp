// Kiln's resource-limit extensions to the C API (include/kiln/wasm_limits.h).
#include <algorithm>

#include "capi/capi.h"
#include "kiln/wasm_limits.h"
#include "kiln/wasm_tier.h"
#include "native/tier.h"

wasm_engine_t::wasm_engine_t(const kiln::runtime::EngineConfig& config, int tier)
    : engine(tier == KILN_TIER_LLVM   ? kiln::native::with_llvm(config, kiln::interp::interpreter_tier())
             : tier == KILN_TIER_AUTO ? kiln::native::with_auto(config, kiln::interp::interpreter_tier())
                                      : kiln::interp::with_interpreter(config)) {}

extern "C" {

void kiln_config_tier_set(wasm_config_t* config, kiln_tier_t tier) { config->tier = tier; }

void kiln_config_compile_threads_set(wasm_config_t* config, uint32_t threads) {
  config->config.compile_threads = threads;
}

void kiln_config_cache_dir_set(wasm_config_t* config, const char* directory) try {
  config->config.cache_dir = directory ? directory : "";
}
KILN_CAPI_CATCH_VOID

void kiln_config_consume_fuel_set(wasm_config_t* config, bool enable) { config->config.consume_fuel = enable; }

void kiln_config_epoch_interruption_set(wasm_config_t* config, bool enable) {
  config->config.epoch_interruption = enable;
}

void kiln_config_max_memory_pages_set(wasm_config_t* config, uint64_t pages) { config->config.max_memory_pages = pages; }

void kiln_config_max_table_elements_set(wasm_config_t* config, uint64_t elements) {
  config->config.max_table_elements = elements;
}

void kiln_config_max_stack_set(wasm_config_t* config, uint64_t bytes) {
  bytes = std::max<uint64_t>(bytes, 4096);
  config->config.value_stack_bytes = bytes;
  config->config.max_call_depth = static_cast<uint32_t>(std::min<uint64_t>(config->config.max_call_depth, bytes / 16));
}

bool kiln_store_fuel_set(wasm_store_t* store, uint64_t fuel) try { return store->store->set_fuel(fuel).has_value(); }
KILN_CAPI_CATCH(false)

bool kiln_store_fuel_get(const wasm_store_t* store, uint64_t* fuel) try {
  kiln::Expected<uint64_t> left = store->store->fuel();
  if (!left) return false;
  *fuel = *left;
  return true;
}
KILN_CAPI_CATCH(false)

void kiln_store_epoch_deadline_set(wasm_store_t* store, uint64_t ticks) { store->store->set_epoch_deadline(ticks); }

void kiln_engine_increment_epoch(wasm_engine_t* engine) { engine->engine.increment_epoch(); }

}  // extern "C"
