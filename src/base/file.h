// Reading a module file whole, for every loader (the CLI, the C++ and C APIs).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "base/error.h"

namespace kiln {

// A module's byte ranges are 32-bit (ir::ByteRange), so no module file can be
// larger; checking first keeps a huge file from becoming a huge allocation.
inline constexpr uint64_t kMaxModuleFileBytes = UINT32_MAX;

// Reads the file at `path`: a regular file, or anything else that can be read to
// its end (a pipe, /dev/stdin). Io errors name the path and say why ("is a
// directory", "No such file or directory", "file too large ..."); running out of
// memory is a Resource error, never an exception.
Expected<std::vector<uint8_t>> read_file(const std::string& path);

// A regular file mapped read-only: its pages are read as they are touched, so
// opening a large compiled artifact costs nothing until its code is needed.
class MappedFile {
 public:
  static Expected<std::shared_ptr<const MappedFile>> open(const std::string& path);
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();
  std::span<const uint8_t> bytes() const { return {data_, size_}; }

 private:
  MappedFile(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  const uint8_t* data_;
  size_t size_;
};

// Maps the pages of `bytes` (a part of a mapped file, typically) into the
// page table in one call, as they are about to be read in full: cheaper than
// the page faults of reading them (one per 16 pages at best). Does nothing
// where the kernel cannot (MADV_POPULATE_READ is Linux 5.14).
void prefault(std::span<const uint8_t> bytes);

// Writes `bytes` to `path` as a whole: into a temporary file beside it, then
// renamed over it, so a reader (another process too) sees the old file or the
// complete new one, never a part. Io errors name the path.
Expected<void> write_file_atomically(const std::string& path, std::span<const uint8_t> bytes);

}  // namespace kiln
