// The runtime uses the public ResourceLimiter interface (include/kiln/limits.hpp).
#pragma once

#include "kiln/limits.hpp"

namespace kiln::runtime {
using kiln::ResourceLimiter;
}  // namespace kiln::runtime
