/* argv and the environment (args_get, args_sizes_get, environ_get, environ_sizes_get). */
#include <stdlib.h>
#include <string.h>

#include "common.h"

extern char** environ;

static int compare(const void* a, const void* b) { return strcmp(*(char* const*)a, *(char* const*)b); }

int main(int argc, char** argv) {
  printf("argc=%d\n", argc);
  for (int i = 0; i < argc; i++) printf("argv[%d]=\"%s\"\n", i, argv[i]);
  int n = 0;
  while (environ[n]) n++;
  char** sorted = malloc(sizeof(char*) * (size_t)(n + 1));
  memcpy(sorted, environ, sizeof(char*) * (size_t)n);
  qsort(sorted, (size_t)n, sizeof(char*), compare);
  printf("environ has %d entries\n", n);
  for (int i = 0; i < n; i++) printf("env: %s\n", sorted[i]);
  const char* greeting = getenv("GREETING");
  printf("GREETING=%s\n", greeting ? greeting : "(unset)");
  printf("MISSING=%s\n", getenv("MISSING") ? "set" : "(unset)");

  /* The raw calls agree with libc's view. */
  __wasi_size_t count = 0, size = 0;
  RAW(__wasi_args_sizes_get(&count, &size));
  size_t expected = 0;
  for (int i = 0; i < argc; i++) expected += strlen(argv[i]) + 1;
  printf("args_sizes_get: count %s, size %s\n", (int)count == argc ? "matches" : "differs",
         size == expected ? "matches" : "differs");
  RAW(__wasi_environ_sizes_get(&count, &size));
  printf("environ_sizes_get: count %s\n", (int)count == n ? "matches" : "differs");
  return 0;
}
