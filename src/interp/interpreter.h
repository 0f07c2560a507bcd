// The dispatch loop: runs translated code (code.h) with direct threading.
#pragma once

#include "base/error.h"
#include "interp/thread.h"
#include "runtime/value.h"

namespace kiln::runtime {
class Function;
}

namespace kiln::interp {

// Calls `function` (wasm or host) with arguments in `slots`; on success its results
// are in `slots` (which must hold max(params, results) slots).
Expected<void> invoke(Thread& thread, runtime::Function* function, runtime::RawValue* slots);

}  // namespace kiln::interp
