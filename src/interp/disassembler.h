// A readable listing of translated code, for contributors (`kiln inspect --code`).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "interp/code.h"
#include "runtime/module.h"

namespace kiln::interp {

// One line per instruction: word position, wasm offset, handler name, operand
// words (named by their layout, layouts.h, where the handler has one).
std::string disassemble(const Code& code);

// Each defined function of `module` (or only function `only`): a header line
// with its index, name and type, then its translated code. What `kiln
// inspect --code` prints after the module summary, and what the golden
// listings in tests/golden/interp/ pin.
std::string disassemble_functions(const runtime::Module& module, std::optional<uint32_t> only = std::nullopt);

}  // namespace kiln::interp
