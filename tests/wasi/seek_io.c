/* Positioned I/O: lseek in every direction, pread/pwrite leaving the offset
 * alone, O_APPEND, truncation and allocation, sync, advice, fdstat flags.
 * `seek_io strict` adds clearing O_APPEND with fcntl (a no-op in Node's WASI). */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

static void show(int fd) {
  char buf[64] = {0};
  off_t at = lseek(fd, 0, SEEK_CUR);
  ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
  printf("  offset %lld, contents \"%.*s\"\n", (long long)at, (int)n, buf);
}

int main(int argc, char** argv) {
  int fd = open("data.bin", O_RDWR | O_CREAT | O_TRUNC, 0644);
  CHECK(fd >= 0);
  CHECK(write(fd, "0123456789", 10) == 10);
  show(fd);
  printf("lseek(fd, 2, SEEK_SET) = %lld\n", (long long)lseek(fd, 2, SEEK_SET));
  printf("lseek(fd, 3, SEEK_CUR) = %lld\n", (long long)lseek(fd, 3, SEEK_CUR));
  printf("lseek(fd, -4, SEEK_END) = %lld\n", (long long)lseek(fd, -4, SEEK_END));
  TRY(lseek(fd, -100, SEEK_CUR));                               /* EINVAL */
  char c;
  CHECK(read(fd, &c, 1) == 1);
  printf("read at 6: '%c'\n", c);
  printf("lseek(fd, 20, SEEK_SET) = %lld (past the end)\n", (long long)lseek(fd, 20, SEEK_SET));
  CHECK(write(fd, "Z", 1) == 1);
  struct stat st;
  CHECK(fstat(fd, &st) == 0);
  printf("size after writing past the end: %lld\n", (long long)st.st_size);

  printf("-- pread/pwrite keep the offset\n");
  CHECK(lseek(fd, 1, SEEK_SET) == 1);
  char buf[8] = {0};
  CHECK(pread(fd, buf, 4, 3) == 4);
  printf("pread(4 at 3) = \"%.4s\"\n", buf);
  CHECK(pwrite(fd, "ab", 2, 8) == 2);
  show(fd);
  TRY(pread(fd, buf, 1, -1));                                   /* EINVAL */

  printf("-- truncate and allocate\n");
  TRY(ftruncate(fd, 5));
  show(fd);
  TRY(ftruncate(fd, 12));
  CHECK(fstat(fd, &st) == 0);
  printf("size after ftruncate(12): %lld\n", (long long)st.st_size);
  printf("posix_fallocate(fd, 0, 100) -> %s\n", errname(posix_fallocate(fd, 0, 100)));
  CHECK(fstat(fd, &st) == 0);
  printf("size after allocate: %lld\n", (long long)st.st_size);
  printf("posix_fallocate(fd, 50, 10) -> %s (inside: size unchanged)\n", errname(posix_fallocate(fd, 50, 10)));
  CHECK(fstat(fd, &st) == 0);
  printf("size: %lld\n", (long long)st.st_size);
  TRY(ftruncate(fd, 10));

  printf("-- sync and advice\n");
  TRY(fsync(fd));
  TRY(fdatasync(fd));
  printf("posix_fadvise(SEQUENTIAL) -> %s\n", errname(posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL)));
  printf("posix_fadvise(DONTNEED) -> %s\n", errname(posix_fadvise(fd, 0, 10, POSIX_FADV_DONTNEED)));
  printf("posix_fadvise(99) -> %s\n", errname(posix_fadvise(fd, 0, 10, 99)));
  CHECK(close(fd) == 0);

  printf("-- append\n");
  fd = open("data.bin", O_WRONLY | O_APPEND);
  CHECK(fd >= 0);
  int flags = fcntl(fd, F_GETFL);
  printf("O_APPEND set: %s\n", (flags & O_APPEND) ? "yes" : "no");
  CHECK(lseek(fd, 0, SEEK_SET) == 0);
  CHECK(write(fd, "END", 3) == 3);
  if (strict_mode(argc, argv)) {
    TRY(fcntl(fd, F_SETFL, 0)); /* clears O_APPEND */
    printf("O_APPEND after F_SETFL 0: %s\n", (fcntl(fd, F_GETFL) & O_APPEND) ? "yes" : "no");
    CHECK(lseek(fd, 0, SEEK_SET) == 0);
    CHECK(write(fd, "S", 1) == 1);
  }
  CHECK(close(fd) == 0);
  fd = open("data.bin", O_RDONLY);
  show(fd);
  TRY(write(fd, "x", 1));                                       /* EBADF: not open for writing */
  CHECK(close(fd) == 0);
  TRY(close(fd));                                               /* EBADF */
  TRY(lseek(1234, 0, SEEK_SET));                                /* EBADF */

  printf("-- fd_tell and fd_seek, raw\n");
  fd = open("data.bin", O_RDONLY);
  __wasi_filesize_t pos = 99;
  RAW(__wasi_fd_seek((__wasi_fd_t)fd, 4, __WASI_WHENCE_SET, &pos));
  RAW(__wasi_fd_tell((__wasi_fd_t)fd, &pos));
  printf("tell: %llu\n", (unsigned long long)pos);
  RAW(__wasi_fd_seek((__wasi_fd_t)fd, 0, 7, &pos));             /* EINVAL: bad whence */
  return 0;
}
