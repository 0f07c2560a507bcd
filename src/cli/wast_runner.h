// Runs WAST spec scripts: modules, actions and every assertion form.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>

#include "ir/features.h"

namespace kiln::cli {

struct WastResult {
  uint64_t passed = 0;
  uint64_t failed = 0;
  bool parse_error = false;  // the script itself could not be parsed
};

struct WastOptions {
  ir::Features features;
  std::string tier = "interp";  // the engine's tier (commands.h: with_tier)
  bool verbose = false;  // also report passing commands
};

// Runs one script file; failures are printed to `out` as "file:line: why".
WastResult run_wast_file(const std::string& path, const WastOptions& options, std::ostream& out);

}  // namespace kiln::cli
