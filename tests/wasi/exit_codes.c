/* Exit statuses: `exit_codes HOW CODE` leaves by returning from main, by
 * exit(), or by a raw proc_exit, with CODE. */
#include <stdlib.h>
#include <string.h>

#include "common.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    printf("usage: exit_codes return|exit|proc_exit CODE\n");
    return 2;
  }
  int code = atoi(argv[2]);
  printf("leaving with %d by %s\n", code, argv[1]);
  fflush(stdout);
  if (strcmp(argv[1], "exit") == 0) exit(code);
  if (strcmp(argv[1], "proc_exit") == 0) __wasi_proc_exit((__wasi_exitcode_t)code);
  return code;
}
