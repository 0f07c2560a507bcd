// Handler identities and their addresses in the dispatch loop.
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>

#include "interp/plain.h"
#include "ir/opcodes.h"

namespace kiln::interp {

enum class Handler : uint16_t {
#define SIMPLE(op) op,
#define INTERNAL(name) name,
#include "interp/handlers.def"
#undef SIMPLE
#undef INTERNAL
  Count
};

// The address of a handler's code (direct threading: the translator writes it
// into the instruction stream).
const void* handler_address(Handler handler);

// The handler whose code is at `address`, if any; and a handler's name.
std::optional<Handler> handler_at(const void* address);
const char* handler_name(Handler handler);

// The handler of the instruction whose first word is `instruction` (its
// handler's address, two words), and the same to write one there.
inline std::optional<Handler> handler_of(const uint32_t* instruction) {
  const void* address;
  std::memcpy(&address, instruction, sizeof address);
  return handler_at(address);
}
inline void set_handler(uint32_t* instruction, Handler handler) {
  const void* address = handler_address(handler);
  std::memcpy(instruction, &address, sizeof address);
}

// The handler implementing a wasm instruction in the generic layout, if any.
std::optional<Handler> simple_handler(ir::Opcode op);

}  // namespace kiln::interp
