// The binary decoder: .wasm bytes -> ir::Module.
//
// Decodes every section with the spec's structural rules (section order and sizes,
// LEB128 forms, UTF-8 names, counts). Function bodies are kept as byte ranges; their
// instructions are decoded by the validator through the shared body walker.
#pragma once

#include <cstdint>
#include <vector>

#include "base/error.h"
#include "ir/features.h"
#include "ir/module.h"

namespace kiln::binary {

// Implementation limits (beyond the spec's), chosen like other engines'.
inline constexpr uint32_t kMaxLocals = 50000;
inline constexpr uint32_t kMaxFunctionSize = 7654321;

Expected<ir::Module> decode_module(SharedBytes bytes, const ir::Features& features = {});

}  // namespace kiln::binary
