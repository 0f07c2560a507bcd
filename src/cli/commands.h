// The subcommands of the `kiln` tool.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cli/limits.h"
#include "runtime/module.h"

namespace kiln::cli {

// Exit codes of `kiln` (documented in docs/cli.md).
inline constexpr int kExitError = 1;  // unreadable, malformed, invalid or unlinkable module; bad arguments
inline constexpr int kExitUsage = 2;  // the command line itself is wrong
inline constexpr int kExitTrap = 134;  // the module trapped (as 128 + SIGABRT, like Wasmtime)

// What a function import that nothing defines becomes (-W unknown-imports-*).
enum class UnknownImports { Fail, Trap, Default };

struct RunOptions {
  std::string file;
  std::string tier;  // --tier; empty: interp, or llvm for a compiled module
  bool no_cache = false;  // --no-cache
  std::string invoke;
  std::vector<std::string> args;
  std::vector<std::string> preloads;   // NAME=FILE: FILE's exports importable as NAME
  UnknownImports unknown_imports = UnknownImports::Fail;
  // WASI (docs/wasi.md)
  std::vector<std::string> dirs;       // HOST[::GUEST]
  std::vector<std::string> envs;       // NAME=VALUE, or NAME for the host's value
  bool inherit_env = false;
  std::vector<std::string> tcplisten;  // HOST:PORT
  // Resource limits (docs/cli.md)
  LimitOptions limits;
  // Wasmtime's grouped options as given, KEY[=VALUE][,...] (run_options.h).
  std::vector<std::string> wasm_options;  // -W
  std::vector<std::string> wasi_options;  // -S
};

struct WastCommandOptions {
  std::vector<std::string> files;
  std::string tier = "interp";
  bool wasm2 = false;
  bool verbose = false;
};

struct CompileCommandOptions {
  std::string file;
  std::string output;  // -o; default: FILE with the extension .kwasm
  bool wasm2 = false;
  bool consume_fuel = false;        // code that --fuel can run
  bool epoch_interruption = false;  // code that --timeout can run
  uint32_t threads = 0;             // 0: every core
  bool verbose = false;
};

struct InspectOptions {
  std::string file;
  bool code = false;
  std::string func;
};

int run_command(RunOptions options);
int inspect_command(const InspectOptions& options);
int wast_command(const WastCommandOptions& options);
int validate_command(const std::vector<std::string>& files, bool wasm2);
int compile_command(const CompileCommandOptions& options);

// The engine configuration with the tier a --tier option names ("interp",
// "llvm"); Usage error for another name. `compiles`: the run may compile, so
// the LLVM tier needs kiln-llvm (running a compiled module does not).
Expected<runtime::EngineConfig> with_tier(runtime::EngineConfig config, const std::string& tier, bool compiles);

// Whether the file is a compiled module (kiln compile's .kwasm).
bool is_artifact_file(const std::string& path);

// Loads a module file (runtime::Module::from_file, or a compiled module's
// artifact); on failure prints why, naming the file, and returns null.
std::shared_ptr<runtime::Module> load_module(runtime::Engine& engine, const std::string& path);

}  // namespace kiln::cli
