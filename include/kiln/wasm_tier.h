/* Kiln's extension to the standard C API (wasm.h) for choosing the code that
 * runs modules: the interpreter, native code from LLVM, or the auto tier
 * (interpreted first, native once hot), with the threads a compile may use
 * and a directory for the code cache.
 *
 *   wasm_config_t* config = wasm_config_new();
 *   kiln_config_tier_set(config, KILN_TIER_LLVM);
 *   kiln_config_cache_dir_set(config, "/var/cache/myapp/kiln");
 *   wasm_engine_t* engine = wasm_engine_new_with_config(config);
 *
 * Under KILN_TIER_LLVM and KILN_TIER_AUTO, wasm_module_serialize gives the
 * module's native code (compiled then, for every function), which
 * wasm_module_deserialize loads without compiling; it refuses, with a last
 * error (kiln_last_error_message) saying what differs, native code from
 * another Kiln build, for another processor or with other engine options.
 * Native code is trusted: deserialize only bytes you serialized. Under the
 * interpreter both carry the wasm binary. See docs/embedding.md. */
#ifndef KILN_WASM_TIER_H
#define KILN_WASM_TIER_H

#include <stdint.h>

#include "wasm.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum kiln_tier_t {
  KILN_TIER_INTERPRETER = 0, /* the default */
  KILN_TIER_LLVM = 1,        /* native code for the whole module before it runs */
  KILN_TIER_AUTO = 2,        /* interpreted, then native once a function is hot */
} kiln_tier_t;

void kiln_config_tier_set(wasm_config_t* config, kiln_tier_t tier);
/* Threads that compile one module (0, the default: every core). */
void kiln_config_compile_threads_set(wasm_config_t* config, uint32_t threads);
/* The code cache's directory (NULL or "", the default: no cache). */
void kiln_config_cache_dir_set(wasm_config_t* config, const char* directory);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* KILN_WASM_TIER_H */
