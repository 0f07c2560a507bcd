/* Dense matrix multiply in double precision, C = A * B with N = 320, in the
 * cache-friendly i-k-j order. Repeated with A replaced by a scaled copy of the
 * previous product, so each round depends on the last. */
#include "common.h"

enum { N = 320 };

static void multiply(const double* a, const double* b, double* c) {
  for (int i = 0; i < N * N; i++) c[i] = 0.0;
  for (int i = 0; i < N; i++) {
    double* ci = c + i * N;
    for (int k = 0; k < N; k++) {
      double aik = a[i * N + k];
      const double* bk = b + k * N;
      for (int j = 0; j < N; j++) ci[j] += aik * bk[j];
    }
  }
}

int main(int argc, char** argv) {
  uint32_t rounds = bench_reps(110, bench_scale(argc, argv));
  double* a = malloc(sizeof(double) * N * N);
  double* b = malloc(sizeof(double) * N * N);
  double* c = malloc(sizeof(double) * N * N);
  rng_t rng = {31337};
  for (int i = 0; i < N * N; i++) {
    a[i] = rng_unit(&rng) * 2.0 - 1.0;
    b[i] = rng_unit(&rng) * 2.0 - 1.0;
  }
  double trace = 0.0;
  for (uint32_t r = 0; r < rounds; r++) {
    multiply(a, b, c);
    /* Next A: the product scaled back to entries of about unit size. */
    double max = 0.0;
    for (int i = 0; i < N * N; i++) {
      double v = c[i] < 0 ? -c[i] : c[i];
      if (v > max) max = v;
    }
    for (int i = 0; i < N * N; i++) a[i] = c[i] / max;
    trace = 0.0;
    for (int i = 0; i < N; i++) trace += c[i * N + i];
  }
  double sum = 0.0;
  for (int i = 0; i < N * N; i++) sum += c[i];
  printf("matmul: %dx%d, %u rounds, trace %.10e, sum %.10e, c[7][11] %.10e\n", N, N, rounds, trace, sum,
         c[7 * N + 11]);
  free(a);
  free(b);
  free(c);
  return 0;
}
