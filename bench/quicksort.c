/* Quicksort of millions of 32-bit integers: compares, swaps and unpredictable
 * branches over a 16 MiB array. Median-of-three pivots, insertion sort for
 * short ranges, recursion on the smaller side only (bounded stack). The result
 * is checked to be sorted and a permutation of the input. */
#include "common.h"

static void insertion_sort(int32_t* a, int32_t n) {
  for (int32_t i = 1; i < n; i++) {
    int32_t v = a[i], j = i - 1;
    while (j >= 0 && a[j] > v) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = v;
  }
}

static inline void swap(int32_t* a, int32_t* b) {
  int32_t t = *a;
  *a = *b;
  *b = t;
}

static void quicksort(int32_t* a, int32_t n) {
  while (n > 16) {
    int32_t mid = n / 2;
    /* Order a[0], a[mid], a[n-1]; the median becomes the pivot. */
    if (a[mid] < a[0]) swap(&a[mid], &a[0]);
    if (a[n - 1] < a[0]) swap(&a[n - 1], &a[0]);
    if (a[n - 1] < a[mid]) swap(&a[n - 1], &a[mid]);
    int32_t pivot = a[mid];
    int32_t i = 0, j = n - 1;
    for (;;) { /* Hoare partition */
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i >= j) break;
      swap(&a[i], &a[j]);
      i++;
      j--;
    }
    int32_t left = j + 1; /* a[0..left) <= pivot <= a[left..n) */
    if (left < n - left) {
      quicksort(a, left);
      a += left;
      n -= left;
    } else {
      quicksort(a + left, n - left);
      n = left;
    }
  }
  insertion_sort(a, n);
}

int main(int argc, char** argv) {
  const uint32_t rounds = 3;
  const int32_t n = (int32_t)bench_reps(3000000, bench_scale(argc, argv));
  int32_t* a = malloc(sizeof(int32_t) * (size_t)n);
  uint32_t h = 0;
  for (uint32_t r = 0; r < rounds; r++) {
    rng_t rng = {1000 + r};
    uint32_t sum_in = 0, xor_in = 0;
    for (int32_t i = 0; i < n; i++) {
      /* Mostly random, with runs of duplicates in every other round. */
      a[i] = (int32_t)rng_next(&rng);
      if (r & 1) a[i] >>= 12;
      sum_in += (uint32_t)a[i];
      xor_in ^= (uint32_t)a[i];
    }
    quicksort(a, n);
    uint32_t sum_out = 0, xor_out = 0;
    for (int32_t i = 0; i < n; i++) {
      if (i > 0 && a[i - 1] > a[i]) {
        printf("quicksort: NOT SORTED at %d\n", i);
        return 1;
      }
      sum_out += (uint32_t)a[i];
      xor_out ^= (uint32_t)a[i];
      h = mix32(h, (uint32_t)a[i] * (uint32_t)(i | 1));
    }
    if (sum_in != sum_out || xor_in != xor_out) {
      printf("quicksort: elements changed\n");
      return 1;
    }
  }
  printf("quicksort: %u rounds of %d ints, sorted, checksum %08x\n", rounds, n, h);
  free(a);
  return 0;
}
