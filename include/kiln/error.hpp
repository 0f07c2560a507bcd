// Kiln's error values, shared by the C++ API and the implementation.
//
// Every fallible operation returns Expected<T>: either a value or an Error whose
// kind says which of the spec's outcomes happened (malformed, invalid,
// unlinkable, trap, ...), with a message, the byte offset where known, and for
// traps a wasm backtrace. No exceptions cross the API.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace kiln {

// The outcome classes of the WebAssembly specification (and a few of our own).
enum class ErrorKind : uint8_t {
  Malformed,      // the binary or text cannot be decoded/parsed
  Invalid,        // decoded, but fails validation
  Unlinkable,     // imports do not match
  Uninstantiable, // instantiation trapped (e.g. start function, segment out of bounds)
  Trap,           // execution trapped
  Exhaustion,     // call stack or other resource exhausted
  Io,             // host file system or similar
  Usage,          // bad arguments from the user of the API or CLI
  Exit,           // the program asked to exit (WASI proc_exit); not a failure by itself
  Unsupported,    // well-formed input that uses a feature Kiln does not implement yet
  Resource,       // the host ran out of a resource (memory) while loading or linking
};

const char* error_kind_name(ErrorKind kind);

// Why wasm code trapped: one code that every tier raises (and the message the
// spec's tests expect, trap_message). Errors from host functions have None.
enum class TrapCode : uint8_t {
  None,
  Unreachable,                 // "unreachable"
  MemoryOutOfBounds,           // "out of bounds memory access"
  TableOutOfBounds,            // "out of bounds table access"
  UndefinedElement,            // "undefined element" (call_indirect past the table)
  UninitializedElement,        // "uninitialized element" (call_indirect of null)
  IndirectCallTypeMismatch,    // "indirect call type mismatch"
  IntegerDivideByZero,         // "integer divide by zero"
  IntegerOverflow,             // "integer overflow"
  InvalidConversionToInteger,  // "invalid conversion to integer"
  StackExhausted,              // "call stack exhausted" (kind Exhaustion)
  OutOfFuel,                   // "all fuel consumed"
  Interrupted,                 // "interrupted: time limit reached" (epoch deadline)
};

const char* trap_message(TrapCode code);

// One frame of a wasm backtrace, innermost first.
struct TraceFrame {
  std::string module;              // module name (name section), may be empty
  std::string function;            // function name (name section), may be empty
  uint32_t func_index = 0;         // in the module's function index space
  std::optional<uint32_t> offset;  // byte offset of the instruction in the module
  bool host = false;               // a host function
};

struct Error {
  ErrorKind kind = ErrorKind::Malformed;
  std::string message;
  std::optional<uint64_t> offset; // byte offset in the binary, where known
  std::vector<TraceFrame> trace;  // traps: the wasm call stack (innermost first, capped)
  uint64_t trace_omitted = 0;     // frames left out of `trace` (deep recursion)
  int exit_code = 0;              // ErrorKind::Exit: the code passed to proc_exit
  TrapCode trap = TrapCode::None; // a trap of wasm code: which one

  Error() = default;
  Error(ErrorKind k, std::string msg, std::optional<uint64_t> off = std::nullopt)
      : kind(k), message(std::move(msg)), offset(off) {}

  // "malformed at 0x1f: unexpected end"
  std::string to_string() const;

  // The error of wasm code trapping with `code` (kind Trap, or Exhaustion for
  // StackExhausted), with its message.
  static Error from_trap(TrapCode code);
};

template <class T>
class [[nodiscard]] Expected {
 public:
  Expected(T value) : storage_(std::in_place_index<0>, std::move(value)) {}
  Expected(Error error) : storage_(std::in_place_index<1>, std::move(error)) {}

  bool has_value() const { return storage_.index() == 0; }
  explicit operator bool() const { return has_value(); }

  T& value() & { return std::get<0>(storage_); }
  const T& value() const& { return std::get<0>(storage_); }
  T&& value() && { return std::get<0>(std::move(storage_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  Error& error() & { return std::get<1>(storage_); }
  const Error& error() const& { return std::get<1>(storage_); }
  Error&& error() && { return std::get<1>(std::move(storage_)); }

 private:
  std::variant<T, Error> storage_;
};

template <>
class [[nodiscard]] Expected<void> {
 public:
  // User-provided on purpose: with `= default`, `return {};` value-initializes,
  // which zero-fills all of the (large) optional<Error> first, on every
  // successful call (a `rep stos` that tripled a host-to-wasm call on AMD).
  Expected() noexcept {}
  Expected(Error error) : error_(std::move(error)) {}
  bool has_value() const { return !error_.has_value(); }
  explicit operator bool() const { return has_value(); }
  Error& error() & { return *error_; }
  const Error& error() const& { return *error_; }
  Error&& error() && { return std::move(*error_); }

 private:
  std::optional<Error> error_;
};

}  // namespace kiln
