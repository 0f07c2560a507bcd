// `kiln run`'s command line: its flags, and Wasmtime's grouped options
// (-W for wasm and limits, -S for WASI) folded into the same RunOptions.
#pragma once

#include <CLI/CLI.hpp>

#include "base/error.h"
#include "cli/commands.h"

namespace kiln::cli {

// Declares every `kiln run` option on `run`, writing into `options`.
void add_run_options(CLI::App& run, RunOptions& options);

// Applies the -W and -S options collected by add_run_options (each a
// comma-separated list of KEY[=VALUE]) to `options`; Usage errors name the
// option and list the keys Kiln knows.
Expected<void> apply_grouped_options(RunOptions& options);

}  // namespace kiln::cli
