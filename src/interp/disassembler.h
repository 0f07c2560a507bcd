// A readable listing of translated code, for contributors (`kiln inspect --code`).
#pragma once

#include <string>

#include "interp/code.h"

namespace kiln::interp {

// One line per instruction: word position, wasm offset, handler name, operand words.
std::string disassemble(const Code& code);

}  // namespace kiln::interp
