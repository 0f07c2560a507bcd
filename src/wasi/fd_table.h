// The guest's file descriptors: each guest fd number names a host file
// descriptor together with its WASI rights, its type and, for preopened
// directories, the name the guest knows it by.
#pragma once

#include <sys/stat.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "wasi/abi.h"

namespace kiln::wasi {

// A host file descriptor, closed on destruction unless borrowed (the host's
// own stdin/stdout/stderr are borrowed: a guest closing them must not close
// the runtime's).
class HostFd {
 public:
  HostFd() = default;
  explicit HostFd(int fd, bool owned = true) : fd_(fd), owned_(owned) {}
  HostFd(HostFd&& other) noexcept : fd_(other.fd_), owned_(other.owned_) { other.fd_ = -1; }
  HostFd& operator=(HostFd&& other) noexcept;
  HostFd(const HostFd&) = delete;
  HostFd& operator=(const HostFd&) = delete;
  ~HostFd() { reset(); }

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  void reset();

 private:
  int fd_ = -1;
  bool owned_ = true;
};

// One entry of a directory listing kept for fd_readdir's cookies.
struct DirEntry {
  std::string name;
  uint64_t ino = 0;
  Filetype type = Filetype::Unknown;
};

struct FdEntry {
  HostFd host;
  Filetype type = Filetype::Unknown;
  Rights base = 0;        // what this fd may do
  Rights inheriting = 0;  // what fds opened through it (a directory) may get
  bool preopen = false;
  std::string preopen_name;  // the guest path of a preopened directory
  // fd_readdir: a snapshot taken when a listing starts (cookie 0); a cookie
  // is an index into it.
  std::unique_ptr<std::vector<DirEntry>> listing;
};

// An entry for an open host fd: its type from fstat, and every right the type allows.
FdEntry entry_for_host_fd(int host_fd, bool owned = true);
// The WASI file type of a host stat mode (sockets: by their socket type).
Filetype filetype_of(mode_t mode, int host_fd = -1);
// The most rights an fd of this type can usefully have (base and inheriting).
Rights max_base_rights(Filetype type);
Rights max_inheriting_rights(Filetype type);

class FdTable {
 public:
  // The entry for `fd` if it is open and has every right in `needed`:
  // EBADF when it is not open, ENOTCAPABLE when a right is missing.
  Errno get(uint32_t fd, Rights needed, FdEntry*& out);
  FdEntry* find(uint32_t fd);

  // Adds an entry at the lowest free number; EMFILE when none is left.
  Errno insert(FdEntry entry, uint32_t& fd_out);
  void insert_at(uint32_t fd, FdEntry entry) { entries_[fd] = std::move(entry); }
  bool erase(uint32_t fd) { return entries_.erase(fd) != 0; }
  // fd_renumber: `to` is closed and replaced by `from`; both must be open.
  Errno renumber(uint32_t from, uint32_t to);

 private:
  std::map<uint32_t, FdEntry> entries_;
};

}  // namespace kiln::wasi
