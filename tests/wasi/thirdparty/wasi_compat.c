/* Linked into third-party programs whose POSIX calls WASI has no notion of
 * (tests/wasi/thirdparty.sh): file modes and owners do not exist, so setting
 * them succeeds and changes nothing. */
#include <sys/types.h>

int fchmod(int fd, mode_t mode) {
  (void)fd;
  (void)mode;
  return 0;
}

int fchown(int fd, uid_t owner, gid_t group) {
  (void)fd;
  (void)owner;
  (void)group;
  return 0;
}
