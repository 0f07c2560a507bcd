/* Shared by the benchmark programs: the work scale and a deterministic PRNG.
 *
 * Every program takes one optional argument, the work scale in percent
 * (default 100). `bench/run --scale 10` uses it for quick runs while
 * developing; the checksum depends on the scale, so every engine of one run
 * gets the same one. Programs print only results that do not depend on time.
 */
#ifndef KILN_BENCH_COMMON_H
#define KILN_BENCH_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static int bench_scale(int argc, char** argv) {
  if (argc < 2) return 100;
  int pct = atoi(argv[1]);
  if (pct < 1 || pct > 100000) {
    fprintf(stderr, "usage: %s [scale-percent]\n", argv[0]);
    exit(2);
  }
  return pct;
}

/* `base` scaled by the percentage, at least 1. */
static uint32_t bench_reps(uint32_t base, int pct) {
  uint64_t n = (uint64_t)base * (uint64_t)pct / 100u;
  return n ? (uint32_t)n : 1u;
}

/* splitmix64: a small, fast generator whose output is the same everywhere. */
typedef struct {
  uint64_t state;
} rng_t;

static inline uint64_t rng_next64(rng_t* r) {
  uint64_t z = (r->state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

static inline uint32_t rng_next(rng_t* r) { return (uint32_t)(rng_next64(r) >> 32); }

/* Uniform in [0, n) (n > 0); the tiny modulo bias does not matter here. */
static inline uint32_t rng_below(rng_t* r, uint32_t n) { return rng_next(r) % n; }

/* Uniform double in [0, 1) with 53 random bits. */
static inline double rng_unit(rng_t* r) { return (double)(rng_next64(r) >> 11) * (1.0 / 9007199254740992.0); }

/* Folds a 32-bit value into a running checksum (order-sensitive). */
static inline uint32_t mix32(uint32_t h, uint32_t v) {
  h ^= v;
  h *= 0x01000193u;
  return h ^ (h >> 15);
}

#endif
