// The fd_* functions: operations on an open guest file descriptor.
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstring>

#include "wasi/functions.h"

namespace kiln::wasi {

namespace {

// An i64 from the guest used as a host off_t: EINVAL when negative as signed.
bool as_offset(u64 value, off_t& out) {
  if (value > static_cast<u64>(INT64_MAX)) return false;
  out = static_cast<off_t>(value);
  return true;
}

// Retries a host call interrupted by a signal.
template <class F>
ssize_t retry(F f) {
  ssize_t n;
  do n = f();
  while (n < 0 && errno == EINTR);
  return n;
}

// readv/writev/preadv/pwritev through the guest's iovecs; the count goes to `count_out`.
template <class Transfer>
Errno transfer(Call& c, u32 fd, Rights needed, u32 iovs, u32 iovs_len, u32 count_out, Transfer host_call) {
  FdEntry* entry;
  if (Errno e = c.ctx.fds().get(fd, needed, entry); e != Errno::Success) return e;
  if (!c.memory.contains(count_out, 4)) return Errno::Fault;
  std::vector<iovec> vec;
  if (Errno e = guest_iovecs(c.memory, iovs, iovs_len, vec); e != Errno::Success) return e;
  ssize_t n = retry([&] { return host_call(entry->host.get(), vec.data(), static_cast<int>(vec.size())); });
  if (n < 0) return last_host_error();
  return store_u32(c.memory, count_out, static_cast<uint32_t>(n));
}

Filetype dirent_type(int dir_fd, const dirent& d) {
  switch (d.d_type) {
    case DT_REG: return Filetype::RegularFile;
    case DT_DIR: return Filetype::Directory;
    case DT_LNK: return Filetype::SymbolicLink;
    case DT_CHR: return Filetype::CharacterDevice;
    case DT_BLK: return Filetype::BlockDevice;
    case DT_SOCK: return Filetype::SocketStream;
    case DT_FIFO: return Filetype::Unknown;
    default: break;
  }
  struct stat st;
  if (fstatat(dir_fd, d.d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) return Filetype::Unknown;
  return filetype_of(st.st_mode);
}

// Reads the whole directory (".." and "." included, in the host's order).
Errno list_directory(int dir_fd, std::vector<DirEntry>& out) {
  int fd = dup(dir_fd);
  if (fd < 0) return last_host_error();
  DIR* dir = fdopendir(fd);
  if (!dir) {
    Errno e = last_host_error();
    close(fd);
    return e;
  }
  rewinddir(dir);
  out.clear();
  errno = 0;
  while (const dirent* d = readdir(dir)) {
    out.push_back({d->d_name, d->d_ino, dirent_type(dir_fd, *d)});
    errno = 0;
  }
  Errno e = last_host_error();
  closedir(dir);
  return e;
}

}  // namespace

Errno fd_advise(Call& c, u32 fd, u64 offset, u64 len, u32 advice) {
  static constexpr int kHostAdvice[] = {POSIX_FADV_NORMAL,   POSIX_FADV_SEQUENTIAL, POSIX_FADV_RANDOM,
                                        POSIX_FADV_WILLNEED, POSIX_FADV_DONTNEED,   POSIX_FADV_NOREUSE};
  FdEntry* entry;
  if (Errno e = c.ctx.fds().get(fd, right::FdAdvise, entry); e != Errno::Success) return e;
  off_t off, length;
  if (advice > kAdviceMax || !as_offset(offset, off) || !as_offset(len, length)) return Errno::Inval;
  return errno_from_host(posix_fadvise(entry->host.get(), off, length, kHostAdvice[advice]));
}

Errno fd_allocate(Call& c, u32 fd, u64 offset, u64 len) {
  FdEntry* entry;
  if (Errno e = c.ctx.fds().get(fd, right::FdAllocate, entry); e != Errno::Success) return e;
  off_t off, length;
  if (!as_offset(offset, off) || !as_offset(len, length)) return Errno::Inval;
  if (length > INT64_MAX - off) return Errno::Fbig;
  int error = posix_fallocate(entry->host.get(), off, length);
  if (error != EOPNOTSUPP) return errno_from_host(error);
  // A file system without fallocate: extending the size has the visible effect.
  struct stat st;
  if (fstat(entry->host.get(), &st) != 0) return last_host_error();
  if (st.st_size < off + length && ftruncate(entry->host.get(), off + length) != 0) return last_host_error();
  return Errno::Success;
}

Errno fd_close(Call& c, u32 fd) { return c.ctx.fds().erase(fd) ? Errno::Success : Errno::Badf; }

Errno fd_datasync(Call& c, u32 fd) {
  FdEntry* entry;
  if (Errno e = c.ctx.fds().get(fd, right::FdDatasync, entry); e != Errno::Success) return e;
  return fdatasync(entry->host.get()) == 0 ? Errno::Success : last_host_error();
}

Errno fd_sync(Call& c, u32 fd) {
  FdEntry* entry;
  if (Errno e = c.ctx.fds().get(fd, right::FdSync, entry); e != Errno::Success) return e;
  return fsync(entry->host.get()) == 0 ? Errno::Success : last_host_error();
}

Errno fd_fdstat_get(Call& c, u32 fd, u32 stat_out) {
  FdEntry* entry;
  if (Errno e = c.ctx.fds().get(fd, 0, entry); e != Errno::Success) return e;
  int fl = fcntl(entry->host.get(), F_GETFL);
  if (fl < 0) return last_host_error();
  uint16_t flags = 0;
  if (fl & O_APPEND) flags |= fdflag::Append;
  if (fl & O_NONBLOCK) flags |= fdflag::Nonblock;
  if ((fl & O_SYNC) == O_SYNC) flags |= fdflag::Sync;
  else if (fl & O_DSYNC) flags |= fdflag::Dsync;
  StructWriter<layout::kFdstatSize> w;
  w.put<uint8_t>(0, static_cast<uint8_t>(entry->type));
  w.put<uint16_t>(2, flags);
  w.put<uint64_t>(8, entry->base);
  w.put<uint64_t>(16, entry->inheriting);
  return w.store_to(c.memory, stat_out) ? Errno::Success : Errno::Fault;
}

// Only APPEND and NONBLOCK can change on an open host file; the sync flags
// can only be chosen at path_open.
Errno fd_fdstat_set_flags(Call& c, u32 fd, u32 flags) {
  FdEntry* entry;
  if (Errno e = c.ctx.fds().get(fd, right::FdFdstatSetFlags, entry); e != Errno::Success) return e;
  using namespace fdflag;
  if (flags & ~u32{Append | Dsync | Nonblock | Rsync | Sync}) return Errno::Inval;
  if (flags & (Dsync | Rsync | Sync)) return Errno::NotSup;
  int fl = fcntl(entry->host.get(), F_GETFL);
  if (fl < 0) return last_host_error();
  fl &= ~(O_APPEND | O_NONBLOCK);
  if (flags & Append) fl |= O_APPEND;
  if (flags & Nonblock) fl |= O_NONBLOCK;
  return fcntl(entry->host.get(), F_SETFL, fl) == 0 ? Errno::Success : last_host_error();
}

// Rights can only be dropped.
Errno fd_fdstat_set_rights(Call& c, u32 fd, u64 base, u64 inheriting) {
  FdEntry* entry;
  if (Errno e = c.ctx.fds().get(fd, 0, entry); e != Errno::Success) return e;
  if ((base & ~entry->base) || (inheriting & ~entry->inheriting)) return Errno::NotCapable;
  entry->base = base;
  entry->inheriting = inheriting;
  return Errno::Success;
}

Errno fd_filestat_get(Call& c, u32 fd, u32 stat_out) {
  FdEntry* entry;
  if (Errno e = c.ctx.fds().get(fd, right::FdFilestatGet, entry); e != Errno::Success) return e;
  struct stat st;
  if (fstat(entry->host.get(), &st) != 0) return last_host_error();
  return store_filestat(c.memory, stat_out, st, entry->host.get());
}

Errno fd_filestat_set_size(Call& c, u32 fd, u64 size) {
  FdEntry* entry;
  if (Errno e = c.ctx.fds().get(fd, right::FdFilestatSetSize, entry); e != Errno::Success) return e;
  off_t length;
  if (!as_offset(size, length)) return Errno::Inval;
  return ftruncate(entry->host.get(), length) == 0 ? Errno::Success : last_host_error();
}

Errno fd_filestat_set_times(Call& c, u32 fd, u64 atim, u64 mtim, u32 fst_flags) {
  FdEntry* entry;
  if (Errno e = c.ctx.fds().get(fd, right::FdFilestatSetTimes, entry); e != Errno::Success) return e;
  struct timespec times[2];
  if (Errno e = timespecs_for(atim, mtim, fst_flags, times); e != Errno::Success) return e;
  return futimens(entry->host.get(), times) == 0 ? Errno::Success : last_host_error();
}

Errno fd_pread(Call& c, u32 fd, u32 iovs, u32 iovs_len, u64 offset, u32 nread_out) {
  off_t off;
  if (!as_offset(offset, off)) return Errno::Inval;
  return transfer(c, fd, right::FdRead | right::FdSeek, iovs, iovs_len, nread_out,
                  [off](int host, const iovec* v, int n) { return preadv(host, v, n, off); });
}

Errno fd_pwrite(Call& c, u32 fd, u32 iovs, u32 iovs_len, u64 offset, u32 nwritten_out) {
  off_t off;
  if (!as_offset(offset, off)) return Errno::Inval;
  return transfer(c, fd, right::FdWrite | right::FdSeek, iovs, iovs_len, nwritten_out,
                  [off](int host, const iovec* v, int n) { return pwritev(host, v, n, off); });
}

Errno fd_read(Call& c, u32 fd, u32 iovs, u32 iovs_len, u32 nread_out) {
  return transfer(c, fd, right::FdRead, iovs, iovs_len, nread_out, readv);
}

Errno fd_write(Call& c, u32 fd, u32 iovs, u32 iovs_len, u32 nwritten_out) {
  return transfer(c, fd, right::FdWrite, iovs, iovs_len, nwritten_out, writev);
}

Errno fd_prestat_get(Call& c, u32 fd, u32 prestat_out) {
  FdEntry* entry = c.ctx.fds().find(fd);
  if (!entry || !entry->preopen) return Errno::Badf;  // wasi-libc scans fds 3, 4, ... until EBADF
  StructWriter<layout::kPrestatSize> w;
  w.put<uint8_t>(0, kPreopenDir);
  w.put<uint32_t>(4, static_cast<uint32_t>(entry->preopen_name.size()));
  return w.store_to(c.memory, prestat_out) ? Errno::Success : Errno::Fault;
}

Errno fd_prestat_dir_name(Call& c, u32 fd, u32 path, u32 path_len) {
  FdEntry* entry = c.ctx.fds().find(fd);
  if (!entry || !entry->preopen) return Errno::Badf;
  const std::string& name = entry->preopen_name;
  if (path_len < name.size()) return Errno::NameTooLong;
  uint8_t* p = c.memory.bytes(path, name.size());
  if (!p) return Errno::Fault;
  std::memcpy(p, name.data(), name.size());
  return Errno::Success;
}

// A cookie is an index into the listing taken when the guest started at cookie 0;
// each entry's d_next is the cookie of the one after it. The last entry may be
// cut short by the end of the buffer (the guest sees bufused == buf_len and
// asks again from that entry's cookie with a larger buffer).
Errno fd_readdir(Call& c, u32 fd, u32 buf, u32 buf_len, u64 cookie, u32 bufused_out) {
  FdEntry* entry;
  if (Errno e = c.ctx.fds().get(fd, right::FdReaddir, entry); e != Errno::Success) return e;
  uint8_t* out = c.memory.bytes(buf, buf_len);
  if (!out || !c.memory.contains(bufused_out, 4)) return Errno::Fault;
  if (cookie == 0 || !entry->listing) {
    auto listing = std::make_unique<std::vector<DirEntry>>();
    if (Errno e = list_directory(entry->host.get(), *listing); e != Errno::Success) return e;
    entry->listing = std::move(listing);
  }
  const std::vector<DirEntry>& list = *entry->listing;
  uint32_t used = 0;
  for (u64 i = cookie; i < list.size() && used < buf_len; ++i) {
    StructWriter<layout::kDirentSize> header;
    header.put<uint64_t>(0, i + 1);
    header.put<uint64_t>(8, list[i].ino);
    header.put<uint32_t>(16, static_cast<uint32_t>(list[i].name.size()));
    header.put<uint8_t>(20, static_cast<uint8_t>(list[i].type));
    uint32_t n = std::min<uint32_t>(layout::kDirentSize, buf_len - used);
    std::memcpy(out + used, header.data, n);
    used += n;
    n = static_cast<uint32_t>(std::min<uint64_t>(list[i].name.size(), buf_len - used));
    std::memcpy(out + used, list[i].name.data(), n);
    used += n;
  }
  return store_u32(c.memory, bufused_out, used);
}

Errno fd_renumber(Call& c, u32 fd, u32 to) { return c.ctx.fds().renumber(fd, to); }

Errno fd_seek(Call& c, u32 fd, u64 offset, u32 whence, u32 newoffset_out) {
  static constexpr int kHostWhence[] = {SEEK_SET, SEEK_CUR, SEEK_END};
  if (whence > static_cast<u32>(Whence::End)) return Errno::Inval;
  // Asking where the file position is needs only the right to tell.
  bool tell_only = whence == static_cast<u32>(Whence::Cur) && offset == 0;
  FdEntry* entry;
  if (Errno e = c.ctx.fds().get(fd, tell_only ? right::FdTell : right::FdSeek, entry); e != Errno::Success) return e;
  if (!c.memory.contains(newoffset_out, 8)) return Errno::Fault;
  off_t result = lseek(entry->host.get(), static_cast<off_t>(offset), kHostWhence[whence]);
  if (result < 0) return last_host_error();
  return store_u64(c.memory, newoffset_out, static_cast<uint64_t>(result));
}

Errno fd_tell(Call& c, u32 fd, u32 offset_out) {
  FdEntry* entry;
  if (Errno e = c.ctx.fds().get(fd, right::FdTell, entry); e != Errno::Success) return e;
  if (!c.memory.contains(offset_out, 8)) return Errno::Fault;
  off_t result = lseek(entry->host.get(), 0, SEEK_CUR);
  if (result < 0) return last_host_error();
  return store_u64(c.memory, offset_out, static_cast<uint64_t>(result));
}

}  // namespace kiln::wasi
