#pragma once

#include <string_view>

namespace kiln {

// True when `text` is well-formed UTF-8 (no overlong forms, no surrogates, <= U+10FFFF),
// as the WebAssembly spec requires of names.
bool is_valid_utf8(std::string_view text);

}  // namespace kiln
