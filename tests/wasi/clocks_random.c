/* Clocks (clock_res_get, clock_time_get for all four clocks) and random_get:
 * only properties that hold everywhere are printed. */
#include <time.h>
#include <unistd.h>

#include "common.h"

static unsigned long long ns(__wasi_clockid_t id) {
  __wasi_timestamp_t t = 0;
  CHECK(__wasi_clock_time_get(id, 1, &t) == 0);
  return t;
}

int main(void) {
  const char* names[] = {"realtime", "monotonic", "process cputime", "thread cputime"};
  for (__wasi_clockid_t id = 0; id < 4; id++) {
    __wasi_timestamp_t res = 0;
    __wasi_errno_t e = __wasi_clock_res_get(id, &res);
    printf("%s: res_get %s, resolution between 1ns and 1s: %s\n", names[id], errname(e),
           res >= 1 && res <= 1000000000ull ? "yes" : "no");
  }
  __wasi_timestamp_t t;
  RAW(__wasi_clock_res_get(4, &t));         /* EINVAL */
  RAW(__wasi_clock_time_get(99, 0, &t));    /* EINVAL */

  unsigned long long real = ns(__WASI_CLOCKID_REALTIME);
  printf("realtime is after 2020 and before 2200: %s\n",
         real > 1577836800ull * 1000000000ull && real < 7258118400ull * 1000000000ull ? "yes" : "no");
  unsigned long long m1 = ns(__WASI_CLOCKID_MONOTONIC);
  unsigned long long c1 = ns(__WASI_CLOCKID_PROCESS_CPUTIME_ID);
  unsigned long long th1 = ns(__WASI_CLOCKID_THREAD_CPUTIME_ID);
  volatile unsigned long long sink = 0;
  for (unsigned long long i = 0; i < 20000000ull; i++) sink += i * i;
  unsigned long long m2 = ns(__WASI_CLOCKID_MONOTONIC);
  unsigned long long c2 = ns(__WASI_CLOCKID_PROCESS_CPUTIME_ID);
  unsigned long long th2 = ns(__WASI_CLOCKID_THREAD_CPUTIME_ID);
  printf("monotonic advanced: %s\n", m2 > m1 && sink != 1 ? "yes" : "no");
  printf("process cputime advanced: %s\n", c2 > c1 ? "yes" : "no");
  printf("thread cputime advanced: %s\n", th2 > th1 ? "yes" : "no");
  struct timespec ts;
  printf("clock_gettime(CLOCK_MONOTONIC) -> %s\n", errname(clock_gettime(CLOCK_MONOTONIC, &ts) ? errno : 0));
  printf("time(NULL) agrees with realtime: %s\n", (unsigned long long)time(NULL) >= real / 1000000000ull ? "yes" : "no");

  unsigned char a[64] = {0}, b[64] = {0};
  RAW(__wasi_random_get(a, sizeof a));
  RAW(__wasi_random_get(b, sizeof b));
  int zeros = 0;
  for (size_t i = 0; i < sizeof a; i++) zeros += a[i] == 0;
  printf("random bytes are not all zero: %s\n", zeros < 16 ? "yes" : "no");
  printf("two draws differ: %s\n", memcmp(a, b, sizeof a) ? "yes" : "no");
  unsigned char big[100000];
  RAW(__wasi_random_get(big, sizeof big));
  int counts[256] = {0};
  for (size_t i = 0; i < sizeof big; i++) counts[big[i]]++;
  int min = counts[0], max = counts[0];
  for (int i = 1; i < 256; i++) {
    if (counts[i] < min) min = counts[i];
    if (counts[i] > max) max = counts[i];
  }
  printf("100000 random bytes cover every value evenly: %s\n", min > 250 && max < 550 ? "yes" : "no");
  printf("getentropy -> %s\n", errname(getentropy(a, 32) ? errno : 0));
  return 0;
}
