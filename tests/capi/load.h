// Shared by the C API tests: the engine, and reading a .wasm file into a byte
// vector, as every wasm.h program does before wasm_module_new.
#ifndef KILN_TESTS_CAPI_LOAD_H
#define KILN_TESTS_CAPI_LOAD_H

#include <stdio.h>
#include <stdlib.h>

#include "kiln/wasm_tier.h"
#include "wasm.h"

// wasm_engine_new(), or when KILN_TEST_TIER is "llvm" (run.sh runs each test
// again so) an engine of the LLVM tier, through Kiln's wasm_config_t extension:
// every test must print the same on both tiers.
static inline wasm_engine_t* test_engine(void) {
  const char* tier = getenv("KILN_TEST_TIER");
  if (!tier || !*tier) return wasm_engine_new();
  wasm_config_t* config = wasm_config_new();
  kiln_config_tier_set(config, KILN_TIER_LLVM);
  return wasm_engine_new_with_config(config);
}

// Reads a .wasm file; exits on failure.
static wasm_byte_vec_t load(const char* path) {
  wasm_byte_vec_t binary;
  FILE* file = fopen(path, "rb");
  if (!file) {
    printf("> Error loading module!\n");
    exit(1);
  }
  fseek(file, 0L, SEEK_END);
  size_t size = (size_t)ftell(file);
  fseek(file, 0L, SEEK_SET);
  wasm_byte_vec_new_uninitialized(&binary, size);
  if (fread(binary.data, size, 1, file) != 1) {
    printf("> Error reading module!\n");
    exit(1);
  }
  fclose(file);
  return binary;
}

#endif
