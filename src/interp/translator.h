// Translates one validated function body into the interpreter's internal code.
#pragma once

#include <memory>

#include "base/error.h"
#include "interp/code.h"

namespace kiln::runtime {
class Module;
}

namespace kiln::interp {

// `func_index` is in the module's function index space and must be a defined function.
Expected<std::unique_ptr<Code>> translate_function(const runtime::Module& module, uint32_t func_index);

}  // namespace kiln::interp
