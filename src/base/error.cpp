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

const char* trap_message(TrapCode code) {
  switch (code) {
    case TrapCode::None: return "trap";
    case TrapCode::Unreachable: return "unreachable";
    case TrapCode::MemoryOutOfBounds: return "out of bounds memory access";
    case TrapCode::TableOutOfBounds: return "out of bounds table access";
    case TrapCode::UndefinedElement: return "undefined element";
    case TrapCode::UninitializedElement: return "uninitialized element";
    case TrapCode::IndirectCallTypeMismatch: return "indirect call type mismatch";
    case TrapCode::IntegerDivideByZero: return "integer divide by zero";
    case TrapCode::IntegerOverflow: return "integer overflow";
    case TrapCode::InvalidConversionToInteger: return "invalid conversion to integer";
    case TrapCode::StackExhausted: return "call stack exhausted";
    case TrapCode::OutOfFuel: return "all fuel consumed";
    case TrapCode::Interrupted: return "interrupted: time limit reached";
  }
  return "trap";
}

Error Error::from_trap(TrapCode code) {
  Error error(code == TrapCode::StackExhausted ? ErrorKind::Exhaustion : ErrorKind::Trap, trap_message(code));
  error.trap = code;
  return error;
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
