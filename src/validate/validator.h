// Module validation: every rule of the spec's validation chapter.
#pragma once

#include <cstdint>
#include <vector>

#include "base/error.h"
#include "ir/features.h"
#include "ir/module.h"

namespace kiln::validate {

// Validates a decoded module. On success, returns the sorted set of functions that
// `ref.func` may name inside function bodies (the spec's C.refs), which compilers
// need when they re-walk bodies.
Expected<std::vector<uint32_t>> validate_module(const ir::Module& module, const ir::Features& features = {});

}  // namespace kiln::validate
