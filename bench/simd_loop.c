/* The same loops written twice: with WebAssembly SIMD intrinsics (built with
 * -msimd128) and as plain scalar C (built without it), to measure how much the
 * interpreter gains from running 128-bit SIMD at SIMD speed. Not part of the
 * main suite (it has no native counterpart of the SIMD build); bench/run-simd
 * builds and runs both. Prints a checksum and the time of each kernel. */
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#define MODE "simd128"
#else
#define MODE "scalar"
#endif

enum { N = 1 << 16, ROUNDS = 400 };

static uint8_t pixels[N];
static float xs[N], ys[N];

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Brighten with saturation: pixels[i] = min(pixels[i] + k, 255). */
static uint32_t brighten(uint8_t k) {
#ifdef __wasm_simd128__
  v128_t add = wasm_u8x16_splat(k);
  for (int i = 0; i < N; i += 16)
    wasm_v128_store(pixels + i, wasm_u8x16_add_sat(wasm_v128_load(pixels + i), add));
#else
  for (int i = 0; i < N; i++) {
    unsigned v = pixels[i] + k;
    pixels[i] = (uint8_t)(v > 255 ? 255 : v);
  }
#endif
  uint32_t h = 0;
  for (int i = 0; i < N; i += 997) h = h * 31 + pixels[i];
  return h;
}

/* saxpy: ys = a * xs + ys. */
static float saxpy(float a) {
#ifdef __wasm_simd128__
  v128_t va = wasm_f32x4_splat(a);
  for (int i = 0; i < N; i += 4)
    wasm_v128_store(ys + i, wasm_f32x4_add(wasm_f32x4_mul(va, wasm_v128_load(xs + i)), wasm_v128_load(ys + i)));
#else
  for (int i = 0; i < N; i++) ys[i] = a * xs[i] + ys[i];
#endif
  return ys[123] + ys[N - 5];
}

int main(void) {
  for (int i = 0; i < N; i++) {
    pixels[i] = (uint8_t)(i * 7);
    xs[i] = (float)(i % 100) * 0.01f;
    ys[i] = 0.0f;
  }
  uint32_t h = 0;
  double t0 = now();
  for (int r = 0; r < ROUNDS; r++) h ^= brighten((uint8_t)(r & 3));
  double t1 = now();
  float s = 0;
  for (int r = 0; r < ROUNDS; r++) s += saxpy(0.5f);
  double t2 = now();
  printf("%s: brighten %.1f ms, saxpy %.1f ms, checksum %u %.3f\n", MODE, (t1 - t0) * 1e3, (t2 - t1) * 1e3, h, s);
  return 0;
}
