/* cat FILE... (or - for stdin) and copy SRC DST, with open/read/write/close. */
#include <fcntl.h>
#include <unistd.h>

#include "common.h"

static int cat(const char* path) {
  int fd = strcmp(path, "-") == 0 ? 0 : open(path, O_RDONLY);
  if (fd < 0) {
    printf("cat: %s: %s\n", path, errname(errno));
    return 1;
  }
  char buf[7]; /* small on purpose: many reads */
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) CHECK(write(1, buf, (size_t)n) == n);
  CHECK(n == 0);
  if (fd != 0) CHECK(close(fd) == 0);
  return 0;
}

static int copy(const char* from, const char* to) {
  int in = open(from, O_RDONLY);
  if (in < 0) {
    printf("copy: %s: %s\n", from, errname(errno));
    return 1;
  }
  int out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  CHECK(out >= 0);
  char buf[4096];
  ssize_t n;
  long total = 0;
  while ((n = read(in, buf, sizeof buf)) > 0) {
    CHECK(write(out, buf, (size_t)n) == n);
    total += n;
  }
  CHECK(n == 0 && close(in) == 0 && close(out) == 0);
  printf("copied %ld bytes from %s to %s\n", total, from, to);
  return 0;
}

int main(int argc, char** argv) {
  if (argc >= 2 && strcmp(argv[1], "copy") == 0 && argc == 4) return copy(argv[2], argv[3]);
  int status = 0;
  for (int i = 2; i < argc; i++) status |= cat(argv[i]);
  return status;
}
