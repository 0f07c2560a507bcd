/* A trap deep in named functions: kiln run prints the trap and a backtrace
 * with the names from the name section, and exits with 134. */
#include <stdio.h>

__attribute__((noinline)) static int divide(int a, int b) { return a / b; }
__attribute__((noinline)) int compute_ratio(int x) { return divide(100, x) + 1; }

int main(int argc, char** argv) {
  (void)argv;
  printf("about to divide by zero\n");
  fflush(stdout);
  return compute_ratio(argc - 1);
}
