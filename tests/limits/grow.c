// Grows memory until memory.grow says no, then reports how far it got.
#include <stdio.h>

int main(void) {
  // 1 MiB at a time while that works, then page by page up to the limit.
  while ((long)__builtin_wasm_memory_grow(0, 16) != -1) {
  }
  while ((long)__builtin_wasm_memory_grow(0, 1) != -1) {
  }
  unsigned long pages = __builtin_wasm_memory_size(0);
  printf("memory.grow returned -1 at %lu pages (%lu MiB)\n", pages, pages / 16);
  return 0;
}
