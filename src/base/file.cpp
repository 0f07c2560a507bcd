#include "base/file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
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

// The process's umask, read without changing it (umask() itself sets it,
// which would race with other threads creating files).
mode_t process_umask() {
  FILE* status = std::fopen("/proc/self/status", "re");
  unsigned mask = 022;
  if (!status) return mask;
  char line[256];
  while (std::fgets(line, sizeof line, status))
    if (std::sscanf(line, "Umask: %o", &mask) == 1) break;
  std::fclose(status);
  return static_cast<mode_t>(mask);
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

Expected<std::shared_ptr<const MappedFile>> MappedFile::open(const std::string& path) {
  FileDescriptor file{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  if (file.fd < 0) return cannot_read(path, std::strerror(errno));
  struct stat info;
  if (fstat(file.fd, &info) != 0) return cannot_read(path, std::strerror(errno));
  if (!S_ISREG(info.st_mode)) return cannot_read(path, "not a regular file");
  size_t size = static_cast<size_t>(info.st_size);
  if (size == 0) return std::shared_ptr<const MappedFile>(new MappedFile(nullptr, 0));
  void* data = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, file.fd, 0);
  if (data == MAP_FAILED) return cannot_read(path, std::strerror(errno));
  return std::shared_ptr<const MappedFile>(new MappedFile(static_cast<const uint8_t*>(data), size));
}

MappedFile::~MappedFile() {
  if (data_) munmap(const_cast<uint8_t*>(data_), size_);
}

void prefault(std::span<const uint8_t> bytes) {
#ifdef MADV_POPULATE_READ
  if (bytes.empty()) return;
  static const uintptr_t page = static_cast<uintptr_t>(sysconf(_SC_PAGESIZE));
  uintptr_t start = reinterpret_cast<uintptr_t>(bytes.data()) & ~(page - 1);
  uintptr_t end = reinterpret_cast<uintptr_t>(bytes.data()) + bytes.size();
  madvise(reinterpret_cast<void*>(start), end - start, MADV_POPULATE_READ);  // an error leaves page faults
#endif
}

Expected<void> write_file_atomically(const std::string& path, std::span<const uint8_t> bytes) {
  auto fail = [&](const std::string& what) {
    return Error(ErrorKind::Io, "cannot write " + path + ": " + what + ": " + std::strerror(errno));
  };
  std::string temporary = path + ".tmp-XXXXXX";
  FileDescriptor file{mkostemp(temporary.data(), O_CLOEXEC)};
  if (file.fd < 0) return fail("creating a temporary file");
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = write(file.fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      Error error = fail("writing");
      unlink(temporary.c_str());
      return error;
    }
    done += static_cast<size_t>(n);
  }
  // The mode open() would have given it (mkostemp's is 0600).
  fchmod(file.fd, 0644 & ~process_umask());
  if (rename(temporary.c_str(), path.c_str()) != 0) {
    Error error = fail("renaming the temporary file");
    unlink(temporary.c_str());
    return error;
  }
  return {};
}

}  // namespace kiln
