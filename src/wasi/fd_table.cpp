#include "wasi/fd_table.h"

#include <sys/socket.h>
#include <unistd.h>

namespace kiln::wasi {

HostFd& HostFd::operator=(HostFd&& other) noexcept {
  if (this != &other) {
    reset();
    fd_ = other.fd_;
    owned_ = other.owned_;
    other.fd_ = -1;
  }
  return *this;
}

void HostFd::reset() {
  if (fd_ >= 0 && owned_) ::close(fd_);
  fd_ = -1;
}

Filetype filetype_of(mode_t mode, int host_fd) {
  if (S_ISREG(mode)) return Filetype::RegularFile;
  if (S_ISDIR(mode)) return Filetype::Directory;
  if (S_ISLNK(mode)) return Filetype::SymbolicLink;
  if (S_ISCHR(mode)) return Filetype::CharacterDevice;
  if (S_ISBLK(mode)) return Filetype::BlockDevice;
  if (S_ISSOCK(mode)) {
    int type = SOCK_STREAM;
    socklen_t len = sizeof type;
    if (host_fd >= 0) getsockopt(host_fd, SOL_SOCKET, SO_TYPE, &type, &len);
    return type == SOCK_DGRAM ? Filetype::SocketDgram : Filetype::SocketStream;
  }
  return Filetype::Unknown;  // FIFOs: WASI has no type for them
}

namespace {

constexpr Rights kFileRights = right::FdDatasync | right::FdRead | right::FdSeek | right::FdFdstatSetFlags |
                               right::FdSync | right::FdTell | right::FdWrite | right::FdAdvise |
                               right::FdAllocate | right::FdFilestatGet | right::FdFilestatSetSize |
                               right::FdFilestatSetTimes | right::PollFdReadwrite;
constexpr Rights kDirectoryRights =
    right::FdDatasync | right::FdFdstatSetFlags | right::FdSync | right::PathCreateDirectory |
    right::PathCreateFile | right::PathLinkSource | right::PathLinkTarget | right::PathOpen | right::FdReaddir |
    right::PathReadlink | right::PathRenameSource | right::PathRenameTarget | right::PathFilestatGet |
    right::PathFilestatSetSize | right::PathFilestatSetTimes | right::FdFilestatGet | right::FdFilestatSetTimes |
    right::PathSymlink | right::PathRemoveDirectory | right::PathUnlinkFile;
// Streams (terminals, pipes): no seeking. wasi-libc's isatty() relies on a
// character device lacking FdSeek and FdTell.
constexpr Rights kStreamRights =
    right::FdRead | right::FdWrite | right::FdFdstatSetFlags | right::FdFilestatGet | right::PollFdReadwrite;
constexpr Rights kSocketRights = kStreamRights | right::SockShutdown | right::SockAccept;

}  // namespace

Rights max_base_rights(Filetype type) {
  switch (type) {
    case Filetype::RegularFile:
    case Filetype::BlockDevice: return kFileRights;
    case Filetype::Directory: return kDirectoryRights;
    case Filetype::SocketDgram:
    case Filetype::SocketStream: return kSocketRights;
    case Filetype::SymbolicLink: return right::FdFilestatGet;
    case Filetype::CharacterDevice:
    case Filetype::Unknown: return kStreamRights;
  }
  return 0;
}

Rights max_inheriting_rights(Filetype type) {
  return type == Filetype::Directory ? kDirectoryRights | kFileRights : 0;
}

FdEntry entry_for_host_fd(int host_fd, bool owned) {
  FdEntry entry;
  entry.host = HostFd(host_fd, owned);
  struct stat st;
  entry.type = fstat(host_fd, &st) == 0 ? filetype_of(st.st_mode, host_fd) : Filetype::Unknown;
  entry.base = max_base_rights(entry.type);
  entry.inheriting = max_inheriting_rights(entry.type);
  return entry;
}

FdEntry* FdTable::find(uint32_t fd) {
  auto it = entries_.find(fd);
  return it == entries_.end() ? nullptr : &it->second;
}

Errno FdTable::get(uint32_t fd, Rights needed, FdEntry*& out) {
  out = find(fd);
  if (!out) return Errno::Badf;
  if ((out->base & needed) != needed) return Errno::NotCapable;
  return Errno::Success;
}

Errno FdTable::insert(FdEntry entry, uint32_t& fd_out) {
  uint32_t fd = 0;
  for (const auto& [number, e] : entries_) {  // ordered: the first gap is the lowest free number
    if (number != fd) break;
    ++fd;
  }
  if (fd == UINT32_MAX) return Errno::Mfile;
  entries_[fd] = std::move(entry);
  fd_out = fd;
  return Errno::Success;
}

Errno FdTable::renumber(uint32_t from, uint32_t to) {
  auto source = entries_.find(from);
  if (source == entries_.end() || !entries_.count(to)) return Errno::Badf;
  if (from == to) return Errno::Success;
  entries_[to] = std::move(source->second);
  entries_.erase(from);
  return Errno::Success;
}

}  // namespace kiln::wasi
