#pragma once
// Messages between kiln and kiln-llvm: each one is its length (u64,
// little-endian) and then its bytes. Header-only: both processes use it.
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace kiln::native {

// Writes all of `bytes`. On a socket it is sent with MSG_NOSIGNAL, so a peer
// that died makes the write fail instead of raising SIGPIPE in the embedder.
inline bool write_fully(int fd, const void* data, size_t n) {
  const auto* p = static_cast<const uint8_t*>(data);
  bool socket = true;
  while (n > 0) {
    ssize_t put = socket ? send(fd, p, n, MSG_NOSIGNAL) : write(fd, p, n);
    if (put < 0 && errno == ENOTSOCK && socket) {
      socket = false;
      continue;
    }
    if (put < 0 && errno == EINTR) continue;
    if (put <= 0) return false;
    p += put;
    n -= static_cast<size_t>(put);
  }
  return true;
}

inline bool read_fully(int fd, void* data, size_t n) {
  auto* p = static_cast<uint8_t*>(data);
  while (n > 0) {
    ssize_t got = read(fd, p, n);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    p += got;
    n -= static_cast<size_t>(got);
  }
  return true;
}

inline bool write_frame(int fd, std::span<const uint8_t> message) {
  uint64_t length = message.size();
  return write_fully(fd, &length, sizeof length) && write_fully(fd, message.data(), message.size());
}

// The next message, or nothing at the end of input, on a read error, or when
// its length exceeds `limit`.
inline std::optional<std::vector<uint8_t>> read_frame(int fd, uint64_t limit) {
  uint64_t length = 0;
  if (!read_fully(fd, &length, sizeof length) || length > limit) return std::nullopt;
  std::vector<uint8_t> message(length);
  if (!read_fully(fd, message.data(), message.size())) return std::nullopt;
  return message;
}

}  // namespace kiln::native
