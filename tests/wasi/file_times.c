/* File sizes and times: stat/fstat, utimensat/futimens with explicit times,
 * UTIME_NOW and UTIME_OMIT, through links or not. `file_times strict` adds
 * what Node's WASI gets wrong (it keeps whole seconds only, refuses
 * UTIME_NOW in futimens, and hangs on times near zero and on contradictory
 * flags): nanoseconds, UTIME_NOW, tiny times, ATIM with ATIM_NOW (EINVAL). */
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

static void show_times(const char* path) {
  struct stat st;
  CHECK(stat(path, &st) == 0);
  printf("  %s: size %lld, atime %lld.%09ld, mtime %lld.%09ld\n", path, (long long)st.st_size,
         (long long)st.st_atim.tv_sec, st.st_atim.tv_nsec, (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
}

int main(int argc, char** argv) {
  int precise = strict_mode(argc, argv);
  write_file("f", "twelve bytes");
  struct stat st;
  CHECK(stat("f", &st) == 0);
  printf("size %lld, is a regular file: %s, links %llu\n", (long long)st.st_size, S_ISREG(st.st_mode) ? "yes" : "no",
         (unsigned long long)st.st_nlink);
  CHECK(stat(".", &st) == 0);
  printf(". is a directory: %s\n", S_ISDIR(st.st_mode) ? "yes" : "no");

  struct timespec times[2] = {{1000000000, precise ? 123456789 : 0}, {1500000000, precise ? 987654321 : 0}};
  TRY(utimensat(AT_FDCWD, "f", times, 0));
  show_times("f");
  struct timespec only_mtime[2] = {{0, UTIME_OMIT}, {1600000000, 0}};
  TRY(utimensat(AT_FDCWD, "f", only_mtime, 0));
  show_times("f");

  int fd = open("f", O_RDWR);
  CHECK(fd >= 0);
  struct timespec ft[2] = {{1234567890, precise ? 5 : 0}, {1234567891, precise ? 6 : 0}};
  TRY(futimens(fd, ft));
  show_times("f");
  if (precise) {
    /* times == NULL means now; this wasi-libc rejects an explicit UTIME_NOW. */
    TRY(futimens(fd, NULL));
    RAW(__wasi_fd_filestat_set_times((__wasi_fd_t)fd, 0, 0, __WASI_FSTFLAGS_ATIM_NOW | __WASI_FSTFLAGS_MTIM_NOW));
    CHECK(fstat(fd, &st) == 0);
    struct timespec wall;
    clock_gettime(CLOCK_REALTIME, &wall);
    long long drift = (long long)wall.tv_sec - (long long)st.st_mtim.tv_sec;
    printf("UTIME_NOW set the times to now: %s\n", drift >= 0 && drift < 60 ? "yes" : "no");
  }
  struct timespec bad[2] = {{0, 1000000000}, {0, 0}};
  TRY(futimens(fd, bad)); /* EINVAL */

  CHECK(ftruncate(fd, 3) == 0);
  CHECK(fstat(fd, &st) == 0);
  printf("size after ftruncate(3): %lld\n", (long long)st.st_size);
  CHECK(close(fd) == 0);

  printf("-- through a symlink\n");
  CHECK(symlink("f", "link") == 0);
  struct timespec t1[2] = {{2000000000, 0}, {2000000001, 0}};
  TRY(utimensat(AT_FDCWD, "link", t1, 0)); /* follows: sets f's times */
  show_times("f");
  struct timespec t2[2] = {{1700000000, 0}, {1700000001, 0}};
  TRY(utimensat(AT_FDCWD, "link", t2, AT_SYMLINK_NOFOLLOW)); /* the link's own times */
  CHECK(lstat("link", &st) == 0);
  printf("  link mtime %lld, f unchanged: ", (long long)st.st_mtim.tv_sec);
  struct stat fst;
  CHECK(stat("f", &fst) == 0);
  printf("%s\n", fst.st_mtim.tv_sec == 2000000001 ? "yes" : "no");

  printf("-- raw path_filestat calls\n");
  __wasi_filestat_t fs;
  RAW(__wasi_path_filestat_get(3, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "link", &fs));
  printf("  follow: filetype %d, size %llu\n", fs.filetype, (unsigned long long)fs.size);
  RAW(__wasi_path_filestat_get(3, 0, "link", &fs));
  printf("  nofollow: filetype %d\n", fs.filetype);
  __wasi_timestamp_t a = precise ? 5 : 1100000000000000000ull, m = precise ? 6 : 1200000000000000000ull;
  RAW(__wasi_path_filestat_set_times(3, 0, "f", a, m, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM));
  show_times("f");
  if (precise) RAW(__wasi_path_filestat_set_times(3, 0, "f", 5, 6, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_ATIM_NOW));
  RAW(__wasi_path_filestat_get(3, 0, "absent", &fs));                                                     /* ENOENT */
  return 0;
}
