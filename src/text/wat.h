// WebAssembly text format (WAT): parse a module and encode it as a binary module.
//
// The text path produces binary bytes that the binary decoder then reads, so there is
// one path into ir::Module and the decoder stays the single authority on structure.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace kiln::text {

// Parses one module in text form and returns its binary encoding.
//
// `source` is either a full `(module ...)` form (optionally with a `$name`) or a bare
// sequence of module fields such as `(func ...) (memory 1)` (the spec allows both in
// a .wat file). Errors have kind Malformed and their message starts with
// "line:column: ".
Expected<std::vector<uint8_t>> wat_to_wasm(std::string_view source);

// Whether `bytes` start like a module in the text format: after white space and
// comments, an opening parenthesis. Empty or blank input is not text (a file
// that should be a binary module and is empty must not pass as an empty module).
bool looks_like_text(std::span<const uint8_t> bytes);

}  // namespace kiln::text
