/* Helpers for the WASI test programs: print outcomes in a form that is the
 * same under every runtime (errno names, never addresses, inodes or times). */
#ifndef KILN_WASI_TEST_COMMON_H
#define KILN_WASI_TEST_COMMON_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wasi/api.h>

/* In wasi-libc, errno values are the WASI errno values. */
static inline const char* errname(int e) {
#define N(x) \
  case x: return #x;
  switch (e) {
    case 0: return "OK";
    N(E2BIG) N(EACCES) N(EAGAIN) N(EBADF) N(EBUSY) N(EEXIST) N(EFAULT) N(EFBIG) N(EINVAL) N(EIO)
    N(EISDIR) N(ELOOP) N(EMFILE) N(ENAMETOOLONG) N(ENOENT) N(ENOSPC) N(ENOSYS) N(ENOTDIR) N(ENOTEMPTY)
    N(ENOTSOCK) N(ENOTSUP) N(ENOTTY) N(EPERM) N(ESPIPE) N(EXDEV) N(ENOTCAPABLE) N(EOVERFLOW) N(EROFS)
    N(EPIPE) N(ENXIO) N(EMLINK)
    default: return "E?";
  }
#undef N
}

/* Runs a libc call that returns -1 (or NULL) with errno on failure:
 *   TRY(mkdir("a", 0755));  prints "mkdir("a", 0755) -> OK" or "... -> EEXIST" */
#define TRY(call)                                                      \
  do {                                                                 \
    errno = 0;                                                         \
    long try_result_ = (long)(call);                                   \
    printf("%s -> %s\n", #call, try_result_ < 0 ? errname(errno) : "OK"); \
  } while (0)
#define TRY_PTR(call)                                                  \
  do {                                                                 \
    errno = 0;                                                         \
    void* try_ptr_ = (void*)(call);                                    \
    printf("%s -> %s\n", #call, try_ptr_ ? "OK" : errname(errno));     \
  } while (0)

/* Runs a raw __wasi_* call and prints its errno. */
#define RAW(call) printf("%s -> %s\n", #call, errname((int)(call)))

/* Fails the program (exit 1) with a message when `cond` is false. */
#define CHECK(cond)                                                    \
  do {                                                                 \
    if (!(cond)) {                                                     \
      printf("CHECK failed at line %d: %s (errno %s)\n", __LINE__, #cond, errname(errno)); \
      exit(1);                                                         \
    }                                                                  \
  } while (0)

/* `PROGRAM strict` adds the checks where Node's WASI departs from POSIX or
 * WASI (the kiln-only cases run it; docs/wasi.md lists the departures). */
static inline int strict_mode(int argc, char** argv) { return argc > 1 && strcmp(argv[argc - 1], "strict") == 0; }

/* Writes `text` to a new file. */
static inline void write_file(const char* path, const char* text) {
  FILE* f = fopen(path, "w");
  CHECK(f != NULL);
  fputs(text, f);
  CHECK(fclose(f) == 0);
}

#endif
