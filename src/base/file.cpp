#include "base/file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <new>

namespace kiln {

namespace {

Error cannot_read(const std::string& path, const std::string& why) {
  return Error(ErrorKind::Io, "cannot read " + path + ": " + why);
}

// Closes the descriptor however the read ends.
struct FileDescriptor {
  int fd;
  ~FileDescriptor() {
    if (fd >= 0) close(fd);
  }
};

// Appends everything up to the end of the file to `out`, growing it as it goes.
bool read_to_end(int fd, std::vector<uint8_t>& out, size_t size_hint) {
  size_t used = out.size();
  out.resize(std::max<size_t>(used + size_hint, used + 65536));
  for (;;) {
    if (used == out.size()) {
      if (out.size() > kMaxModuleFileBytes) {
        errno = EFBIG;
        return false;
      }
      out.resize(out.size() * 2);
    }
    ssize_t n = read(fd, out.data() + used, out.size() - used);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    if (n == 0) break;
    used += static_cast<size_t>(n);
  }
  out.resize(used);
  return true;
}

}  // namespace

Expected<std::vector<uint8_t>> read_file(const std::string& path) {
  FileDescriptor file{open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  if (file.fd < 0) return cannot_read(path, std::strerror(errno));
  struct stat info;
  if (fstat(file.fd, &info) != 0) return cannot_read(path, std::strerror(errno));
  if (S_ISDIR(info.st_mode)) return cannot_read(path, "is a directory");
  if (S_ISREG(info.st_mode) && static_cast<uint64_t>(info.st_size) > kMaxModuleFileBytes)
    return cannot_read(path, "file too large (" + std::to_string(info.st_size) + " bytes; a module is at most 4 GiB)");
  std::vector<uint8_t> bytes;
  try {
    // A regular file's size is known: one read, normally. Others (pipes,
    // devices) report 0 and are read until they end.
    size_t hint = S_ISREG(info.st_mode) ? static_cast<size_t>(info.st_size) + 1 : 0;
    if (!read_to_end(file.fd, bytes, hint)) {
      if (errno == EFBIG) return cannot_read(path, "file too large (a module is at most 4 GiB)");
      return cannot_read(path, std::strerror(errno));
    }
  } catch (const std::bad_alloc&) {
    return Error(ErrorKind::Resource, "out of memory reading " + path);
  }
  return bytes;
}

}  // namespace kiln
