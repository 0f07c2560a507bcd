// oom: a C API call that runs out of memory returns NULL and says so through
// kiln_last_error_message, instead of letting std::bad_alloc escape into C.
// The address space is capped (RLIMIT_AS) so that wasm_module_new cannot copy
// a 1 GiB byte vector.
// capi-test: plain only (under ASan a failed allocation aborts the program
// rather than throwing std::bad_alloc)
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "last_error.h"
#include "wasm.h"

// The size of this process's address space now, in bytes.
static unsigned long long address_space(void) {
  unsigned long long pages = 0;
  FILE* statm = fopen("/proc/self/statm", "r");
  if (!statm || fscanf(statm, "%llu", &pages) != 1) return 0;
  fclose(statm);
  return pages * (unsigned long long)sysconf(_SC_PAGESIZE);
}

int main(void) {
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  wasm_byte_vec_t huge;
  wasm_byte_vec_new_uninitialized(&huge, (size_t)1 << 30);  // zero pages: address space, not memory
  if (!huge.data) return 1;
  memcpy(huge.data, "\0asm\1\0\0\0", 8);

  struct rlimit saved, capped;
  unsigned long long now = address_space();
  if (now == 0 || getrlimit(RLIMIT_AS, &saved) != 0) return 1;
  capped = saved;
  capped.rlim_cur = (rlim_t)(now + (256ull << 20));
  if (setrlimit(RLIMIT_AS, &capped) != 0) return 1;
  wasm_module_t* module = wasm_module_new(store, &huge);
  setrlimit(RLIMIT_AS, &saved);
  printf("wasm_module_new(1 GiB) with 256 MiB of address space left: %s\n", module ? "a module" : "NULL");
  print_last_error("  last error");
  wasm_module_delete(module);
  wasm_byte_vec_delete(&huge);

  wasm_byte_vec_t empty_module;
  wasm_byte_vec_new(&empty_module, 8, "\0asm\1\0\0\0");
  module = wasm_module_new(store, &empty_module);
  printf("wasm_module_new(an empty module) after it: %s\n", module ? "a module" : "NULL");
  print_last_error("  last error");
  wasm_module_delete(module);
  wasm_byte_vec_delete(&empty_module);

  wasm_store_delete(store);
  wasm_engine_delete(engine);
  printf("Done.\n");
  return 0;
}
