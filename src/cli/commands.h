// The subcommands of the `kiln` tool.
#pragma once

#include <string>
#include <vector>

#include "cli/limits.h"

namespace kiln::cli {

// Exit codes of `kiln` (documented in docs/cli.md).
inline constexpr int kExitError = 1;  // unreadable, malformed, invalid or unlinkable module; bad arguments
inline constexpr int kExitUsage = 2;  // the command line itself is wrong
inline constexpr int kExitTrap = 134;  // the module trapped (as 128 + SIGABRT, like Wasmtime)

struct RunOptions {
  std::string file;
  std::string invoke;
  std::vector<std::string> args;
  // WASI (docs/wasi.md)
  std::vector<std::string> dirs;       // HOST[::GUEST]
  std::vector<std::string> envs;       // NAME=VALUE, or NAME for the host's value
  bool inherit_env = false;
  std::vector<std::string> tcplisten;  // HOST:PORT
  // Resource limits (docs/cli.md)
  LimitOptions limits;
};

struct WastCommandOptions {
  std::vector<std::string> files;
  bool wasm2 = false;
  bool verbose = false;
};

struct InspectOptions {
  std::string file;
  bool code = false;
  std::string func;
};

int run_command(const RunOptions& options);
int inspect_command(const InspectOptions& options);
int wast_command(const WastCommandOptions& options);
int validate_command(const std::string& file, bool wasm2);

// Reads a whole file; false (with a message on stderr) when it cannot.
bool read_file(const std::string& path, std::vector<uint8_t>& out);

}  // namespace kiln::cli
