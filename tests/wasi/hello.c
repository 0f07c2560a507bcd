/* The smallest WASI program: stdout, stderr, exit status 0. */
#include <stdio.h>

int main(void) {
  printf("Hello, WASI!\n");
  fprintf(stderr, "this line goes to stderr\n");
  fputs("bye\n", stdout);
  return 0;
}
