/* proc_raise (gone from wasi-libc's headers, so imported by hand): signals
 * that are ignored by default return, stop signals are ENOTSUP, numbers past
 * 30 are EINVAL, and a terminating signal ends the program with a trap. */
#include "common.h"

__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_raise")))
uint16_t raw_proc_raise(uint32_t signal);

int main(void) {
  RAW(raw_proc_raise(0));   /* no signal */
  RAW(raw_proc_raise(16));  /* SIGCHLD */
  RAW(raw_proc_raise(27));  /* SIGWINCH */
  RAW(raw_proc_raise(18));  /* SIGSTOP: ENOTSUP */
  RAW(raw_proc_raise(31));  /* EINVAL */
  fflush(stdout);
  RAW(raw_proc_raise(6));   /* SIGABRT: does not return */
  printf("not reached\n");
  return 0;
}
