#include "base/error.h"

#include <cstdio>

namespace kiln {

const char* error_kind_name(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::Malformed: return "malformed";
    case ErrorKind::Invalid: return "invalid";
    case ErrorKind::Unlinkable: return "unlinkable";
    case ErrorKind::Uninstantiable: return "uninstantiable";
    case ErrorKind::Trap: return "trap";
    case ErrorKind::Exhaustion: return "exhaustion";
    case ErrorKind::Io: return "i/o error";
    case ErrorKind::Usage: return "usage";
    case ErrorKind::Exit: return "exit";
    case ErrorKind::Unsupported: return "unsupported";
    case ErrorKind::Resource: return "out of resources";
  }
  return "error";
}

std::string Error::to_string() const {
  std::string out = error_kind_name(kind);
  if (offset) {
    char buf[40];
    std::snprintf(buf, sizeof buf, " at offset 0x%llx", static_cast<unsigned long long>(*offset));
    out += buf;
  }
  out += ": ";
  out += message;
  return out;
}

}  // namespace kiln
