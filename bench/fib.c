/* Recursive Fibonacci: nothing but calls, compares and adds. Measures the cost
 * of a wasm-to-wasm call and return. */
#include "common.h"

static uint32_t fib(uint32_t n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

/* The number of calls fib(n) makes, 2 * F(n+1) - 1, computed by iteration. */
static uint64_t fib_calls(uint32_t n) {
  uint64_t a = 0, b = 1;
  for (uint32_t i = 0; i < n + 1; i++) {
    uint64_t t = a + b;
    a = b;
    b = t;
  }
  return 2 * a - 1;
}

int main(int argc, char** argv) {
  uint32_t reps = bench_reps(420, bench_scale(argc, argv));
  uint32_t sum = 0;
  uint64_t calls = 0;
  for (uint32_t i = 0; i < reps; i++) {
    /* Vary the argument so no two consecutive calls can be merged. */
    uint32_t n = 27 + (i % 5);
    uint32_t f = fib(n);
    sum = mix32(sum, f);
    calls += fib_calls(n);
  }
  printf("fib: %u rounds of fib(27..31), %llu calls, checksum %08x\n", reps, (unsigned long long)calls, sum);
  return 0;
}
