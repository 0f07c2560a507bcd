/* Every way out of the preopened directory fails. The runner puts a file at
 * ../outside/secret beside the sandbox and links pointing at it inside; the
 * raw calls below go straight to the runtime, bypassing wasi-libc's own path
 * handling. `check_sandbox_escape` in cases.sh then checks nothing outside
 * changed. */
#include <fcntl.h>
#include <unistd.h>

#include "common.h"

#define DIRFD 3 /* the preopened sandbox */

static __wasi_errno_t raw_open(__wasi_fd_t dir, const char* path, __wasi_lookupflags_t lookup, __wasi_oflags_t oflags) {
  __wasi_fd_t fd;
  __wasi_errno_t e = __wasi_path_open(dir, lookup, path, oflags, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE, 0, 0, &fd);
  if (e == 0) (void)__wasi_fd_close(fd);
  return e;
}

int main(void) {
  const __wasi_lookupflags_t follow = __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW;
  printf("-- the sandbox itself works\n");
  RAW(raw_open(DIRFD, "inside.txt", follow, 0));
  RAW(raw_open(DIRFD, "sub/../inside.txt", follow, 0));
  RAW(raw_open(DIRFD, "./sub/./../inside.txt", follow, 0));
  RAW(raw_open(DIRFD, "link_inside", follow, 0));

  printf("-- .. and absolute paths\n");
  RAW(raw_open(DIRFD, "../outside/secret", follow, 0));
  RAW(raw_open(DIRFD, "..", follow, __WASI_OFLAGS_DIRECTORY));
  RAW(raw_open(DIRFD, "sub/../../outside/secret", follow, 0));
  RAW(raw_open(DIRFD, "sub/../sub/../../outside/secret", follow, 0));
  RAW(raw_open(DIRFD, "/etc/passwd", follow, 0));
  RAW(raw_open(DIRFD, "../outside/created", follow, __WASI_OFLAGS_CREAT));

  printf("-- symlinks placed by the host\n");
  RAW(raw_open(DIRFD, "escape_rel/secret", follow, 0));
  RAW(raw_open(DIRFD, "escape_file", follow, 0));
  RAW(raw_open(DIRFD, "escape_abs", follow, 0));
  RAW(raw_open(DIRFD, "sub/escape_up/outside/secret", follow, 0));

  printf("-- symlinks the guest makes\n");
  RAW(__wasi_path_symlink("../outside/secret", DIRFD, "mine"));
  RAW(raw_open(DIRFD, "mine", follow, 0));
  RAW(raw_open(DIRFD, "mine", follow, __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC));
  RAW(__wasi_path_symlink("mine", DIRFD, "chain"));
  RAW(raw_open(DIRFD, "chain", follow, 0));
  RAW(__wasi_path_symlink("loop_b", DIRFD, "loop_a"));
  RAW(__wasi_path_symlink("loop_a", DIRFD, "loop_b"));
  RAW(raw_open(DIRFD, "loop_a", follow, 0));
  RAW(raw_open(DIRFD, "loop_a/x", follow, 0));

  printf("-- other path functions\n");
  __wasi_filestat_t st;
  RAW(__wasi_path_filestat_get(DIRFD, follow, "../outside/secret", &st));
  RAW(__wasi_path_filestat_get(DIRFD, follow, "escape_rel", &st));
  RAW(__wasi_path_filestat_set_times(DIRFD, follow, "escape_file", 0, 0, __WASI_FSTFLAGS_MTIM));
  RAW(__wasi_path_create_directory(DIRFD, "../outside/newdir"));
  RAW(__wasi_path_remove_directory(DIRFD, "../outside"));
  RAW(__wasi_path_unlink_file(DIRFD, "../outside/secret"));
  RAW(__wasi_path_unlink_file(DIRFD, "escape_rel/secret"));
  RAW(__wasi_path_rename(DIRFD, "inside.txt", DIRFD, "../outside/stolen"));
  RAW(__wasi_path_rename(DIRFD, "escape_rel/secret", DIRFD, "grabbed"));
  RAW(__wasi_path_link(DIRFD, 0, "../outside/secret", DIRFD, "hardlink"));
  RAW(__wasi_path_link(DIRFD, follow, "escape_file", DIRFD, "hardlink"));
  RAW(__wasi_path_symlink("x", DIRFD, "../outside/planted"));
  uint8_t buf[64];
  __wasi_size_t used = 0;
  RAW(__wasi_path_readlink(DIRFD, "escape_rel", buf, sizeof buf, &used)); /* reading the link text is fine */
  printf("  escape_rel -> %.*s\n", (int)used, buf);
  RAW(__wasi_path_readlink(DIRFD, "../outside/secret", buf, sizeof buf, &used));

  printf("-- libc agrees\n");
  TRY(open("/etc/passwd", O_RDONLY));
  TRY(open("escape_rel/secret", O_RDONLY));
  TRY(open("mine", O_RDONLY));
  TRY(unlink("escape_rel/secret"));
  TRY(chdir("sub"));
  TRY(open("../../outside/secret", O_RDONLY));
  TRY(open("../inside.txt", O_RDONLY));
  return 0;
}
