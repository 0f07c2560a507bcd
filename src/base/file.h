// Reading a module file whole, for every loader (the CLI, the C++ and C APIs).
#pragma once

#include <cstdint>
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

}  // namespace kiln
