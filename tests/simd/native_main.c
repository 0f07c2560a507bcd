// Runs the SIMD kernels natively (through SIMDe) and prints one line per
// (seed, kernel), like `kiln run --invoke kernel simd_kernels.wasm SEED KERNEL`.
#include <stdint.h>
#include <stdio.h>

int32_t kernel(int32_t seed, int32_t which);

int main(void) {
  for (int32_t seed = 1; seed <= 3; ++seed)
    for (int32_t which = 0; which < 4; ++which) printf("%d\n", kernel(seed, which));
  return 0;
}
