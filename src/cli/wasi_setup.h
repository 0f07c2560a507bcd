// `kiln run`'s WASI options turned into a wasi::WasiConfig.
#pragma once

#include "cli/commands.h"
#include "wasi/wasi.h"

namespace kiln::cli {

// argv is the module path as given, then the guest arguments (none with
// --invoke, whose arguments are the function's); --tcplisten sockets are
// opened here. Usage or Io errors for a bad --tcplisten.
Expected<wasi::WasiConfig> wasi_config_for(const RunOptions& options);

}  // namespace kiln::cli
