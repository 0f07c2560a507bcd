/* A one-connection echo server on the socket `kiln run --tcplisten` hands
 * over as fd 3 (sock_accept, sock_recv, sock_send, sock_shutdown). The
 * runner connects, sends a line and reads it back upper-cased. */
#include <ctype.h>

#include "common.h"

int main(void) {
  __wasi_fdstat_t st;
  RAW(__wasi_fd_fdstat_get(3, &st));
  printf("fd 3 is a stream socket: %s\n", st.fs_filetype == __WASI_FILETYPE_SOCKET_STREAM ? "yes" : "no");
  fflush(stdout);
  __wasi_fd_t conn;
  RAW(__wasi_sock_accept(3, 0, &conn));
  char buf[128];
  size_t have = 0;
  while (have < sizeof buf) {
    __wasi_iovec_t iov = {(uint8_t*)buf + have, sizeof buf - have};
    __wasi_size_t n = 0;
    __wasi_roflags_t flags = 0;
    __wasi_errno_t e = __wasi_sock_recv(conn, &iov, 1, 0, &n, &flags);
    if (e != 0 || n == 0) break;
    have += n;
    if (memchr(buf, '\n', have)) break;
  }
  printf("received %zu bytes: %.*s", have, (int)have, buf);
  for (size_t i = 0; i < have; i++) buf[i] = (char)toupper((unsigned char)buf[i]);
  __wasi_ciovec_t out = {(const uint8_t*)buf, have};
  __wasi_size_t sent = 0;
  RAW(__wasi_sock_send(conn, &out, 1, 0, &sent));
  printf("sent %lu bytes\n", sent);
  RAW(__wasi_sock_shutdown(conn, __WASI_SDFLAGS_WR));
  RAW(__wasi_sock_shutdown(1, __WASI_SDFLAGS_WR)); /* stdout is no socket */
  RAW(__wasi_fd_close(conn));
  return 0;
}
