// sock_*: preview1 cannot create sockets; a guest uses the ones it was handed
// (WasiConfig::sockets, `kiln run --tcplisten`) and the connections it accepts.
#include <sys/socket.h>

#include "wasi/functions.h"

namespace kiln::wasi {

namespace {

bool is_socket(const FdEntry& entry) {
  return entry.type == Filetype::SocketStream || entry.type == Filetype::SocketDgram;
}

}  // namespace

Errno sock_accept(Call& c, u32 fd, u32 flags, u32 fd_out) {
  FdEntry* entry;
  if (Errno e = c.ctx.fds().get(fd, right::SockAccept, entry); e != Errno::Success) return e;
  if (!is_socket(*entry)) return Errno::NotSock;
  if (flags & ~u32{fdflag::Nonblock}) return Errno::Inval;
  if (!c.memory.contains(fd_out, 4)) return Errno::Fault;
  int host;
  do host = accept4(entry->host.get(), nullptr, nullptr, SOCK_CLOEXEC | (flags & fdflag::Nonblock ? SOCK_NONBLOCK : 0));
  while (host < 0 && errno == EINTR);
  if (host < 0) return last_host_error();
  FdEntry connection = entry_for_host_fd(host);
  connection.base &= ~right::SockAccept;  // a connection accepts nothing
  uint32_t number;
  if (Errno e = c.ctx.fds().insert(std::move(connection), number); e != Errno::Success) return e;
  return store_u32(c.memory, fd_out, number);
}

Errno sock_recv(Call& c, u32 fd, u32 ri_data, u32 ri_data_len, u32 ri_flags, u32 ro_datalen_out, u32 ro_flags_out) {
  FdEntry* entry;
  if (Errno e = c.ctx.fds().get(fd, right::FdRead, entry); e != Errno::Success) return e;
  if (!is_socket(*entry)) return Errno::NotSock;
  if (ri_flags & ~u32{kRecvPeek | kRecvWaitall}) return Errno::Inval;
  if (!c.memory.contains(ro_datalen_out, 4) || !c.memory.contains(ro_flags_out, 2)) return Errno::Fault;
  std::vector<iovec> vec;
  if (Errno e = guest_iovecs(c.memory, ri_data, ri_data_len, vec); e != Errno::Success) return e;
  msghdr msg{};
  msg.msg_iov = vec.data();
  msg.msg_iovlen = vec.size();
  int host_flags = (ri_flags & kRecvPeek ? MSG_PEEK : 0) | (ri_flags & kRecvWaitall ? MSG_WAITALL : 0);
  ssize_t n;
  do n = recvmsg(entry->host.get(), &msg, host_flags);
  while (n < 0 && errno == EINTR);
  if (n < 0) return last_host_error();
  c.memory.store<uint16_t>(ro_flags_out, msg.msg_flags & MSG_TRUNC ? kRecvDataTruncated : 0);
  return store_u32(c.memory, ro_datalen_out, static_cast<uint32_t>(n));
}

Errno sock_send(Call& c, u32 fd, u32 si_data, u32 si_data_len, u32 si_flags, u32 so_datalen_out) {
  FdEntry* entry;
  if (Errno e = c.ctx.fds().get(fd, right::FdWrite, entry); e != Errno::Success) return e;
  if (!is_socket(*entry)) return Errno::NotSock;
  if (si_flags != 0) return Errno::Inval;  // no send flags are defined
  if (!c.memory.contains(so_datalen_out, 4)) return Errno::Fault;
  std::vector<iovec> vec;
  if (Errno e = guest_iovecs(c.memory, si_data, si_data_len, vec); e != Errno::Success) return e;
  msghdr msg{};
  msg.msg_iov = vec.data();
  msg.msg_iovlen = vec.size();
  ssize_t n;
  do n = sendmsg(entry->host.get(), &msg, MSG_NOSIGNAL);  // a closed peer is EPIPE, not SIGPIPE
  while (n < 0 && errno == EINTR);
  if (n < 0) return last_host_error();
  return store_u32(c.memory, so_datalen_out, static_cast<uint32_t>(n));
}

Errno sock_shutdown(Call& c, u32 fd, u32 how) {
  FdEntry* entry;
  if (Errno e = c.ctx.fds().get(fd, right::SockShutdown, entry); e != Errno::Success) return e;
  if (!is_socket(*entry)) return Errno::NotSock;
  int host_how;
  switch (how) {
    case kShutRd: host_how = SHUT_RD; break;
    case kShutWr: host_how = SHUT_WR; break;
    case kShutRd | kShutWr: host_how = SHUT_RDWR; break;
    default: return Errno::Inval;
  }
  return shutdown(entry->host.get(), host_how) == 0 ? Errno::Success : last_host_error();
}

}  // namespace kiln::wasi
