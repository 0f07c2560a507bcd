// The path_* functions: every path is resolved beneath the directory fd it is
// given with (path_resolver.h), and the final step is a host *at() call on the
// resolved directory that never follows a symlink itself.
#include <fcntl.h>
#include <unistd.h>

#include "wasi/functions.h"
#include "wasi/path_resolver.h"

namespace kiln::wasi {

namespace {

// The directory fd `fd`, which must hold `needed`.
Errno directory(Call& c, u32 fd, Rights needed, FdEntry*& dir) {
  if (Errno e = c.ctx.fds().get(fd, needed, dir); e != Errno::Success) return e;
  return dir->type == Filetype::Directory ? Errno::Success : Errno::NotDir;
}

// A guest path argument resolved beneath `dir`.
Errno resolve_in(Call& c, const FdEntry& dir, u32 path, u32 path_len, bool follow, ResolvedPath& out) {
  std::string_view text;
  if (!c.memory.string(path, path_len, text)) return Errno::Fault;
  return resolve_path(dir.host.get(), text, follow, out);
}

// A guest path argument resolved beneath directory `fd`, which must hold `needed`.
Errno resolve(Call& c, u32 fd, Rights needed, u32 path, u32 path_len, bool follow, ResolvedPath& out) {
  FdEntry* dir;
  if (Errno e = directory(c, fd, needed, dir); e != Errno::Success) return e;
  return resolve_in(c, *dir, path, path_len, follow, out);
}

// A path written with a trailing '/' names a directory: ENOTDIR when it names
// something else that exists.
Errno check_trailing_slash(const ResolvedPath& p) {
  if (!p.must_be_dir) return Errno::Success;
  struct stat st;
  if (fstatat(p.dir_fd, p.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return Errno::Success;  // the call reports it
  return S_ISDIR(st.st_mode) ? Errno::Success : Errno::NotDir;
}

Errno host_result(int rc) { return rc == 0 ? Errno::Success : last_host_error(); }

bool ends_with_slash(const GuestMemory& memory, u32 path, u32 path_len) {
  std::string_view text;
  return memory.string(path, path_len, text) && !text.empty() && text.back() == '/';
}

}  // namespace

Errno path_create_directory(Call& c, u32 fd, u32 path, u32 path_len) {
  ResolvedPath p;
  if (Errno e = resolve(c, fd, right::PathCreateDirectory, path, path_len, false, p); e != Errno::Success) return e;
  return host_result(mkdirat(p.dir_fd, p.name.c_str(), 0777));
}

Errno path_filestat_get(Call& c, u32 fd, u32 lookup_flags, u32 path, u32 path_len, u32 stat_out) {
  ResolvedPath p;
  bool follow = lookup_flags & kLookupSymlinkFollow;
  if (Errno e = resolve(c, fd, right::PathFilestatGet, path, path_len, follow, p); e != Errno::Success) return e;
  struct stat st;
  if (fstatat(p.dir_fd, p.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return last_host_error();
  if (p.must_be_dir && !S_ISDIR(st.st_mode)) return Errno::NotDir;
  return store_filestat(c.memory, stat_out, st);
}

Errno path_filestat_set_times(Call& c, u32 fd, u32 lookup_flags, u32 path, u32 path_len, u64 atim, u64 mtim,
                              u32 fst_flags) {
  struct timespec times[2];
  if (Errno e = timespecs_for(atim, mtim, fst_flags, times); e != Errno::Success) return e;
  ResolvedPath p;
  bool follow = lookup_flags & kLookupSymlinkFollow;
  if (Errno e = resolve(c, fd, right::PathFilestatSetTimes, path, path_len, follow, p); e != Errno::Success) return e;
  if (Errno e = check_trailing_slash(p); e != Errno::Success) return e;
  return host_result(utimensat(p.dir_fd, p.name.c_str(), times, AT_SYMLINK_NOFOLLOW));
}

Errno path_link(Call& c, u32 old_fd, u32 old_flags, u32 old_path, u32 old_path_len, u32 new_fd, u32 new_path,
                u32 new_path_len) {
  ResolvedPath from, to;
  bool follow = old_flags & kLookupSymlinkFollow;
  if (Errno e = resolve(c, old_fd, right::PathLinkSource, old_path, old_path_len, follow, from); e != Errno::Success)
    return e;
  if (Errno e = resolve(c, new_fd, right::PathLinkTarget, new_path, new_path_len, false, to); e != Errno::Success)
    return e;
  if (Errno e = check_trailing_slash(from); e != Errno::Success) return e;
  return host_result(linkat(from.dir_fd, from.name.c_str(), to.dir_fd, to.name.c_str(), 0));
}

Errno path_open(Call& c, u32 fd, u32 dirflags, u32 path, u32 path_len, u32 oflags, u64 rights_base,
                u64 rights_inheriting, u32 fdflags, u32 fd_out) {
  using namespace oflag;
  Rights needed = right::PathOpen;
  if (oflags & Creat) needed |= right::PathCreateFile;
  if (oflags & Trunc) needed |= right::PathFilestatSetSize;
  FdEntry* dir;
  if (Errno e = directory(c, fd, needed, dir); e != Errno::Success) return e;
  if ((rights_base | rights_inheriting) & ~dir->inheriting) return Errno::NotCapable;
  if (oflags & ~u32{Creat | Directory | Excl | Trunc}) return Errno::Inval;
  if (fdflags & ~u32{fdflag::Append | fdflag::Dsync | fdflag::Nonblock | fdflag::Rsync | fdflag::Sync})
    return Errno::Inval;
  if (!c.memory.contains(fd_out, 4)) return Errno::Fault;

  // O_CREAT|O_EXCL never follows a final symlink (POSIX); a trailing '/' does.
  bool exclusive = (oflags & Creat) && (oflags & Excl);
  bool follow = !exclusive && ((dirflags & kLookupSymlinkFollow) || ends_with_slash(c.memory, path, path_len));
  ResolvedPath p;
  if (Errno e = resolve_in(c, *dir, path, path_len, follow, p); e != Errno::Success) return e;

  bool read = rights_base & (right::FdRead | right::FdReaddir);
  bool write = rights_base & (right::FdWrite | right::FdDatasync | right::FdAllocate | right::FdFilestatSetSize);
  int flags = O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | (write ? (read ? O_RDWR : O_WRONLY) : O_RDONLY);
  if ((oflags & Directory) || p.must_be_dir) flags |= O_DIRECTORY;
  if (oflags & Creat) flags |= O_CREAT;
  if (oflags & Excl) flags |= O_EXCL;
  if (oflags & Trunc) flags |= O_TRUNC;
  if (fdflags & fdflag::Append) flags |= O_APPEND;
  if (fdflags & fdflag::Dsync) flags |= O_DSYNC;
  if (fdflags & fdflag::Nonblock) flags |= O_NONBLOCK;
  if (fdflags & fdflag::Rsync) flags |= O_RSYNC;
  if (fdflags & fdflag::Sync) flags |= O_SYNC;
  int host;
  do host = openat(p.dir_fd, p.name.c_str(), flags, 0666);
  while (host < 0 && errno == EINTR);
  if (host < 0) return last_host_error();

  FdEntry entry = entry_for_host_fd(host);  // then only the rights asked for
  entry.base &= rights_base;
  entry.inheriting &= rights_inheriting;
  uint32_t number;
  if (Errno e = c.ctx.fds().insert(std::move(entry), number); e != Errno::Success) return e;
  return store_u32(c.memory, fd_out, number);
}

Errno path_readlink(Call& c, u32 fd, u32 path, u32 path_len, u32 buf, u32 buf_len, u32 bufused_out) {
  ResolvedPath p;
  if (Errno e = resolve(c, fd, right::PathReadlink, path, path_len, false, p); e != Errno::Success) return e;
  char* out = reinterpret_cast<char*>(c.memory.bytes(buf, buf_len));
  if (!out || !c.memory.contains(bufused_out, 4)) return Errno::Fault;
  ssize_t n = readlinkat(p.dir_fd, p.name.c_str(), out, buf_len);  // truncated to buf_len, as readlink does
  if (n < 0) return last_host_error();
  return store_u32(c.memory, bufused_out, static_cast<uint32_t>(n));
}

Errno path_remove_directory(Call& c, u32 fd, u32 path, u32 path_len) {
  ResolvedPath p;
  if (Errno e = resolve(c, fd, right::PathRemoveDirectory, path, path_len, false, p); e != Errno::Success) return e;
  return host_result(unlinkat(p.dir_fd, p.name.c_str(), AT_REMOVEDIR));
}

Errno path_rename(Call& c, u32 fd, u32 old_path, u32 old_path_len, u32 new_fd, u32 new_path, u32 new_path_len) {
  ResolvedPath from, to;
  if (Errno e = resolve(c, fd, right::PathRenameSource, old_path, old_path_len, false, from); e != Errno::Success)
    return e;
  if (Errno e = resolve(c, new_fd, right::PathRenameTarget, new_path, new_path_len, false, to); e != Errno::Success)
    return e;
  from.must_be_dir = from.must_be_dir || to.must_be_dir;
  if (Errno e = check_trailing_slash(from); e != Errno::Success) return e;
  return host_result(renameat(from.dir_fd, from.name.c_str(), to.dir_fd, to.name.c_str()));
}

// The link's contents are stored as given: a symlink is only text until a path
// is resolved through it, and the resolver refuses targets that leave the sandbox.
Errno path_symlink(Call& c, u32 old_path, u32 old_path_len, u32 fd, u32 new_path, u32 new_path_len) {
  std::string_view target;
  if (!c.memory.string(old_path, old_path_len, target)) return Errno::Fault;
  if (target.find('\0') != std::string_view::npos) return Errno::Inval;
  ResolvedPath p;
  if (Errno e = resolve(c, fd, right::PathSymlink, new_path, new_path_len, false, p); e != Errno::Success) return e;
  return host_result(symlinkat(std::string(target).c_str(), p.dir_fd, p.name.c_str()));
}

Errno path_unlink_file(Call& c, u32 fd, u32 path, u32 path_len) {
  ResolvedPath p;
  if (Errno e = resolve(c, fd, right::PathUnlinkFile, path, path_len, false, p); e != Errno::Success) return e;
  if (Errno e = check_trailing_slash(p); e != Errno::Success) return e;
  return host_result(unlinkat(p.dir_fd, p.name.c_str(), 0));
}

}  // namespace kiln::wasi
