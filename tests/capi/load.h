// Shared by the C API tests: reads a .wasm file into a byte vector, as every
// wasm.h program does before wasm_module_new. Exits on failure.
#ifndef KILN_TESTS_CAPI_LOAD_H
#define KILN_TESTS_CAPI_LOAD_H

#include <stdio.h>
#include <stdlib.h>

#include "wasm.h"

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
