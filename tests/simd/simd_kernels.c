// SIMD kernels written with the WebAssembly SIMD intrinsics (wasm_simd128.h).
// Built for wasm32 with clang -msimd128, and natively with SIMDe's implementation
// of the same intrinsics, so both builds run the same source; the test compares
// their outputs. No libc: every function returns a checksum of its work.
#ifdef __wasm__
#include <wasm_simd128.h>
#define EXPORT __attribute__((visibility("default")))
#else
#define SIMDE_ENABLE_NATIVE_ALIASES
#include <simde/wasm/simd128.h>
#define EXPORT
#endif

#include <stdint.h>

#define N 4096

static uint8_t pixels[N * 4];
static uint8_t out_pixels[N * 4];
static float fa[N], fb[N];
static int16_t sa[N], sb[N];

static uint32_t rng_state;
static uint32_t next_random(void) {
  rng_state = rng_state * 1664525u + 1013904223u;
  return rng_state >> 8;
}

static uint32_t checksum_bytes(const uint8_t* p, int n) {
  uint32_t h = 2166136261u;
  for (int i = 0; i < n; ++i) h = (h ^ p[i]) * 16777619u;
  return h;
}

static uint32_t lane_sum_u32(v128_t v) {
  return (uint32_t)wasm_i32x4_extract_lane(v, 0) ^ ((uint32_t)wasm_i32x4_extract_lane(v, 1) * 3u) ^
         ((uint32_t)wasm_i32x4_extract_lane(v, 2) * 5u) ^ ((uint32_t)wasm_i32x4_extract_lane(v, 3) * 7u);
}

static void fill(uint32_t seed) {
  rng_state = seed;
  for (int i = 0; i < N * 4; ++i) pixels[i] = (uint8_t)next_random();
  for (int i = 0; i < N; ++i) {
    fa[i] = (float)((int32_t)next_random() % 20000) / 64.0f;
    fb[i] = (float)((int32_t)next_random() % 20000) / 128.0f - 40.0f;
    sa[i] = (int16_t)next_random();
    sb[i] = (int16_t)next_random();
  }
  fa[7] = 0.0f;
  fb[7] = -0.0f;  // signed zeros through min/max
}

// Brightness with saturation, then invert, over RGBA bytes.
static uint32_t brighten_invert(int32_t amount) {
  v128_t add = wasm_i8x16_splat((int8_t)amount);
  v128_t ones = wasm_i8x16_splat(-1);
  for (int i = 0; i < N * 4; i += 16) {
    v128_t p = wasm_v128_load(pixels + i);
    p = wasm_u8x16_add_sat(p, add);
    p = wasm_v128_xor(p, ones);
    wasm_v128_store(out_pixels + i, p);
  }
  return checksum_bytes(out_pixels, N * 4);
}

// Grayscale with 16-bit fixed-point weights: widen, multiply, add, narrow.
static uint32_t grayscale(void) {
  for (int i = 0; i < N * 4; i += 16) {
    v128_t p = wasm_v128_load(pixels + i);
    // Gather R, G, B of 4 pixels into the low 4 lanes of each vector.
    v128_t r = wasm_i8x16_shuffle(p, p, 0, 4, 8, 12, 0, 4, 8, 12, 0, 4, 8, 12, 0, 4, 8, 12);
    v128_t g = wasm_i8x16_shuffle(p, p, 1, 5, 9, 13, 1, 5, 9, 13, 1, 5, 9, 13, 1, 5, 9, 13);
    v128_t b = wasm_i8x16_shuffle(p, p, 2, 6, 10, 14, 2, 6, 10, 14, 2, 6, 10, 14, 2, 6, 10, 14);
    v128_t r16 = wasm_u16x8_extend_low_u8x16(r);
    v128_t g16 = wasm_u16x8_extend_low_u8x16(g);
    v128_t b16 = wasm_u16x8_extend_low_u8x16(b);
    v128_t y = wasm_i16x8_add(wasm_i16x8_add(wasm_i16x8_mul(r16, wasm_i16x8_splat(77)),
                                             wasm_i16x8_mul(g16, wasm_i16x8_splat(150))),
                              wasm_i16x8_mul(b16, wasm_i16x8_splat(29)));
    y = wasm_u16x8_shr(y, 8);
    v128_t y8 = wasm_u8x16_narrow_i16x8(y, y);
    // Expand back to RGBA with alpha 255.
    v128_t rgba = wasm_i8x16_shuffle(y8, wasm_i8x16_splat(-1), 0, 0, 0, 16, 1, 1, 1, 16, 2, 2, 2, 16, 3, 3, 3, 16);
    wasm_v128_store(out_pixels + i, rgba);
  }
  return checksum_bytes(out_pixels, N * 4);
}

// Float kernels: multiply-add, min/max with signed zeros, sqrt, rounding, conversion.
static uint32_t float_kernels(void) {
  v128_t acc = wasm_f32x4_splat(0.0f);
  v128_t mins = wasm_f32x4_splat(1e30f);
  v128_t maxs = wasm_f32x4_splat(-1e30f);
  v128_t ints = wasm_i32x4_splat(0);
  for (int i = 0; i < N; i += 4) {
    v128_t a = wasm_v128_load(fa + i);
    v128_t b = wasm_v128_load(fb + i);
    acc = wasm_f32x4_add(acc, wasm_f32x4_mul(a, b));
    mins = wasm_f32x4_min(mins, wasm_f32x4_min(a, b));
    maxs = wasm_f32x4_max(maxs, wasm_f32x4_pmax(a, b));
    v128_t s = wasm_f32x4_sqrt(wasm_f32x4_abs(b));
    v128_t n = wasm_f32x4_nearest(wasm_f32x4_mul(s, wasm_f32x4_splat(10.0f)));
    ints = wasm_i32x4_add(ints, wasm_i32x4_trunc_sat_f32x4(n));
    ints = wasm_i32x4_add(ints, wasm_i32x4_trunc_sat_f32x4(wasm_f32x4_floor(b)));
  }
  return lane_sum_u32(acc) ^ lane_sum_u32(mins) ^ lane_sum_u32(maxs) ^ lane_sum_u32(ints);
}

// Integer kernels: dot product, q15 multiply, extended multiply, min/max, bitmask, popcount.
static uint32_t int_kernels(void) {
  v128_t dot = wasm_i32x4_splat(0);
  v128_t q15 = wasm_i16x8_splat(0);
  v128_t ext = wasm_i64x2_splat(0);
  uint32_t masks = 0;
  v128_t pop = wasm_i8x16_splat(0);
  for (int i = 0; i < N; i += 8) {
    v128_t a = wasm_v128_load(sa + i);
    v128_t b = wasm_v128_load(sb + i);
    dot = wasm_i32x4_add(dot, wasm_i32x4_dot_i16x8(a, b));
    q15 = wasm_i16x8_add_sat(q15, wasm_i16x8_q15mulr_sat(a, b));
    ext = wasm_i64x2_add(ext, wasm_i64x2_extmul_low_i32x4(wasm_i32x4_extend_low_i16x8(a), wasm_i32x4_extend_high_i16x8(b)));
    masks = masks * 31u + (uint32_t)wasm_i16x8_bitmask(wasm_i16x8_lt(a, b));
    masks ^= (uint32_t)wasm_i8x16_bitmask(wasm_i8x16_max(a, b));
    pop = wasm_i8x16_add(pop, wasm_i8x16_popcnt(wasm_v128_and(a, b)));
    v128_t sw = wasm_i8x16_swizzle(a, wasm_u8x16_min(b, wasm_i8x16_splat(20)));
    masks += wasm_i8x16_extract_lane(sw, 3) + wasm_u16x8_extract_lane(wasm_u16x8_avgr(a, b), 5);
  }
  uint32_t e = (uint32_t)wasm_i64x2_extract_lane(ext, 0) ^ (uint32_t)(wasm_i64x2_extract_lane(ext, 1) >> 7);
  return lane_sum_u32(dot) ^ lane_sum_u32(q15) ^ e ^ masks ^ lane_sum_u32(pop);
}

// The entry point both builds call: fills the inputs from `seed`, runs kernel
// `which` (0..3) and returns its checksum.
EXPORT int32_t kernel(int32_t seed, int32_t which) {
  fill((uint32_t)seed);
  switch (which) {
    case 0: return (int32_t)brighten_invert(40);
    case 1: return (int32_t)grayscale();
    case 2: return (int32_t)float_kernels();
    default: return (int32_t)int_kernels();
  }
}
