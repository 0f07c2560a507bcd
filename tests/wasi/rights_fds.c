/* The fd table: preopens (fd_prestat_get, fd_prestat_dir_name), fdstat and
 * its flags and rights, renumbering, and operations on fds that lack a right
 * or are closed. */
#include <fcntl.h>
#include <unistd.h>

#include "common.h"

int main(void) {
  printf("-- preopens\n");
  for (__wasi_fd_t fd = 3; fd < 7; fd++) {
    __wasi_prestat_t p;
    __wasi_errno_t e = __wasi_fd_prestat_get(fd, &p);
    if (e != 0) {
      printf("fd %u: prestat %s\n", fd, errname(e));
      break;
    }
    char name[64] = {0};
    RAW(__wasi_fd_prestat_dir_name(fd, (uint8_t*)name, p.u.dir.pr_name_len));
    printf("fd %u: a preopened directory named \"%s\"\n", fd, name);
    if (p.u.dir.pr_name_len > 1) RAW(__wasi_fd_prestat_dir_name(fd, (uint8_t*)name, 1)); /* ENAMETOOLONG */
  }
  __wasi_prestat_t p;
  RAW(__wasi_fd_prestat_get(1, &p)); /* EBADF: stdout is no preopen */

  printf("-- fdstat\n");
  __wasi_fdstat_t st;
  RAW(__wasi_fd_fdstat_get(3, &st));
  printf("fd 3: filetype %d, may open paths %s, may read dirs %s\n", st.fs_filetype,
         (st.fs_rights_base & __WASI_RIGHTS_PATH_OPEN) ? "yes" : "no",
         (st.fs_rights_base & __WASI_RIGHTS_FD_READDIR) ? "yes" : "no");
  write_file("f.txt", "some text\n");
  int fd = open("f.txt", O_RDONLY);
  CHECK(fd >= 0);
  RAW(__wasi_fd_fdstat_get((__wasi_fd_t)fd, &st));
  printf("read-only file: filetype %d, read %s, write %s, seek %s\n", st.fs_filetype,
         (st.fs_rights_base & __WASI_RIGHTS_FD_READ) ? "yes" : "no",
         (st.fs_rights_base & __WASI_RIGHTS_FD_WRITE) ? "yes" : "no",
         (st.fs_rights_base & __WASI_RIGHTS_FD_SEEK) ? "yes" : "no");
  __wasi_ciovec_t iov = {(const uint8_t*)"x", 1};
  __wasi_size_t n;
  RAW(__wasi_fd_write((__wasi_fd_t)fd, &iov, 1, &n)); /* no FD_WRITE right */
  RAW(__wasi_fd_readdir((__wasi_fd_t)fd, (uint8_t*)&st, sizeof st, 0, &n));
  RAW(__wasi_fd_fdstat_get(99, &st));

  printf("-- dropping rights\n");
  RAW(__wasi_fd_fdstat_set_rights((__wasi_fd_t)fd, __WASI_RIGHTS_FD_READ, 0));
  RAW(__wasi_fd_fdstat_get((__wasi_fd_t)fd, &st));
  printf("rights now: read %s, seek %s\n", (st.fs_rights_base & __WASI_RIGHTS_FD_READ) ? "yes" : "no",
         (st.fs_rights_base & __WASI_RIGHTS_FD_SEEK) ? "yes" : "no");
  __wasi_filesize_t pos;
  RAW(__wasi_fd_seek((__wasi_fd_t)fd, 1, __WASI_WHENCE_SET, &pos)); /* ENOTCAPABLE now */
  RAW(__wasi_fd_fdstat_set_rights((__wasi_fd_t)fd, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_SEEK, 0)); /* cannot regain */
  char c[4];
  __wasi_iovec_t rio = {(uint8_t*)c, 4};
  RAW(__wasi_fd_read((__wasi_fd_t)fd, &rio, 1, &n));
  printf("still reads: %lu bytes \"%.4s\"\n", n, c);

  printf("-- fdstat flags\n");
  int afd = open("f.txt", O_WRONLY | O_APPEND);
  RAW(__wasi_fd_fdstat_get((__wasi_fd_t)afd, &st));
  printf("append flag: %s\n", (st.fs_flags & __WASI_FDFLAGS_APPEND) ? "yes" : "no");
  RAW(__wasi_fd_fdstat_set_flags((__wasi_fd_t)afd, 0));
  RAW(__wasi_fd_fdstat_get((__wasi_fd_t)afd, &st));
  printf("append flag after clearing: %s\n", (st.fs_flags & __WASI_FDFLAGS_APPEND) ? "yes" : "no");
  RAW(__wasi_fd_fdstat_set_flags((__wasi_fd_t)afd, __WASI_FDFLAGS_NONBLOCK));
  RAW(__wasi_fd_fdstat_get((__wasi_fd_t)afd, &st));
  printf("nonblock flag: %s\n", (st.fs_flags & __WASI_FDFLAGS_NONBLOCK) ? "yes" : "no");

  printf("-- renumber\n");
  int other = open("f.txt", O_RDONLY);
  RAW(__wasi_fd_renumber((__wasi_fd_t)other, (__wasi_fd_t)fd)); /* fd now refers to other's file */
  RAW(__wasi_fd_fdstat_get((__wasi_fd_t)fd, &st));
  printf("renumbered fd may seek again: %s\n", (st.fs_rights_base & __WASI_RIGHTS_FD_SEEK) ? "yes" : "no");
  RAW(__wasi_fd_fdstat_get((__wasi_fd_t)other, &st)); /* EBADF: moved away */
  RAW(__wasi_fd_renumber((__wasi_fd_t)fd, 99));        /* EBADF: the target must be open */
  RAW(__wasi_fd_renumber(98, (__wasi_fd_t)fd));        /* EBADF */
  RAW(__wasi_fd_close((__wasi_fd_t)fd));
  RAW(__wasi_fd_close((__wasi_fd_t)fd));               /* EBADF */

  printf("-- a directory fd through path_open, with fewer rights\n");
  __wasi_fd_t dir;
  RAW(__wasi_path_open(3, 0, ".", __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_READDIR | __WASI_RIGHTS_PATH_FILESTAT_GET,
                       __WASI_RIGHTS_FD_READ, 0, &dir));
  __wasi_filestat_t fs;
  RAW(__wasi_path_filestat_get(dir, 0, "f.txt", &fs));
  __wasi_fd_t g;
  RAW(__wasi_path_open(dir, 0, "f.txt", 0, __WASI_RIGHTS_FD_READ, 0, 0, &g)); /* no PATH_OPEN */
  RAW(__wasi_path_open(3, 0, "f.txt", 0, __WASI_RIGHTS_FD_READ, 0, 0, &g));
  RAW(__wasi_path_open(g, 0, "x", 0, 0, 0, 0, &g));                          /* a file has no PATH_OPEN right */
  RAW(__wasi_path_open(3, 0, "f.txt", __WASI_OFLAGS_DIRECTORY, 0, 0, 0, &g)); /* ENOTDIR */
  RAW(__wasi_path_open(3, 0, "", 0, 0, 0, 0, &g));                            /* ENOENT */
  RAW(__wasi_path_open(3, 0, "f.txt", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL, 0, 0, 0, &g)); /* EEXIST */

  printf("-- stdio\n");
  RAW(__wasi_fd_fdstat_get(1, &st));
  printf("stdout may write: %s\n", (st.fs_rights_base & __WASI_RIGHTS_FD_WRITE) ? "yes" : "no");
  RAW(__wasi_sched_yield());
  return 0;
}
