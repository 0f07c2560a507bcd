// The `kiln` command: run, wast, validate.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.h"

namespace {

bool is_subcommand(const std::string& arg) {
  return arg == "run" || arg == "wast" || arg == "validate" || arg == "inspect" || arg == "help";
}

// Returns the index of the first argument that is not an option or an option's
// value: the module file of `kiln run`. Everything after it belongs to the guest.
size_t find_module_argument(CLI::App& run, const std::vector<std::string>& args, size_t start) {
  for (size_t i = start; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") return i + 1;
    if (arg.size() < 2 || arg[0] != '-') return i;
    if (arg.find('=') != std::string::npos) continue;  // --opt=value
    const CLI::Option* option = run.get_option_no_throw(arg);
    if (option && option->get_type_size() != 0) ++i;  // skip the option's value
  }
  return args.size();
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv, argv + argc);
  // `kiln [RUN OPTIONS] FILE.wasm ...` means `kiln run ...`, as with Wasmtime.
  bool help = args.size() >= 2 && (args[1] == "-h" || args[1] == "--help");
  if (args.size() >= 2 && !is_subcommand(args[1]) && !help) args.insert(args.begin() + 1, "run");

  CLI::App app{"Kiln: a WebAssembly runtime"};
  app.require_subcommand(1);

  kiln::cli::RunOptions run_options;
  CLI::App* run = app.add_subcommand("run", "Run a WebAssembly module (a .wasm binary or .wat text)");
  run->add_option("--invoke", run_options.invoke, "Call this exported function instead of _start");
  run->add_option("--dir", run_options.dirs, "Give the guest the host directory HOST, named GUEST (default: HOST)")
      ->type_name("HOST[::GUEST]")
      ->allow_extra_args(false);
  run->add_option("--env", run_options.envs, "Set a guest environment variable (NAME alone: the host's value)")
      ->type_name("NAME[=VALUE]")
      ->allow_extra_args(false);
  run->add_flag("--inherit-env", run_options.inherit_env, "Give the guest the host's whole environment");
  run->add_option("--tcplisten", run_options.tcplisten, "Listen on a TCP socket the guest can sock_accept on (HOST: an IP address or localhost)")
      ->type_name("HOST:PORT")
      ->allow_extra_args(false);
  run->add_option("--fuel", run_options.limits.fuel, "Trap with 'all fuel consumed' after about N instructions");
  run->add_option("--timeout", run_options.limits.timeout, "Interrupt the module after a duration (500ms, 2s, 1m)");
  run->add_option("--max-memory", run_options.limits.max_memory, "Largest size of any linear memory (64MiB, 1GiB)");
  run->add_option("--max-table-elements", run_options.limits.max_table_elements, "Largest size of any table");
  run->add_option("--max-stack", run_options.limits.max_stack, "Size of the wasm value stack (1MiB); also bounds call depth");
  run->add_option("file", run_options.file, "The module to run")->required();
  run->add_option("args", run_options.args, "Arguments for the module (or for --invoke)");

  kiln::cli::WastCommandOptions wast_options;
  CLI::App* wast = app.add_subcommand("wast", "Run WebAssembly spec test scripts (.wast)");
  wast->add_option("files", wast_options.files, "Script files")->required();
  wast->add_flag("--wasm2", wast_options.wasm2, "Use the WebAssembly 2.0 rules (no multi-memory, memory64, tail calls)");
  wast->add_flag("-v,--verbose", wast_options.verbose, "Print per-file counts");

  std::string validate_file;
  bool validate_wasm2 = false;
  CLI::App* validate = app.add_subcommand("validate", "Check that a module decodes and validates");
  validate->add_option("file", validate_file, "The module to check")->required();
  validate->add_flag("--wasm2", validate_wasm2, "Use the WebAssembly 2.0 rules");

  kiln::cli::InspectOptions inspect_options;
  CLI::App* inspect = app.add_subcommand("inspect", "Describe a module: imports, exports, functions");
  inspect->add_option("file", inspect_options.file, "The module")->required();
  inspect->add_flag("--code", inspect_options.code, "Also list each function's interpreter code");
  inspect->add_option("--func", inspect_options.func, "Only this function (export name or index)");

  // For `run`, stop CLI parsing at the module file: later arguments are the guest's.
  std::vector<std::string> guest_args;
  if (args.size() >= 2 && args[1] == "run") {
    size_t file_index = find_module_argument(*run, args, 2);
    if (file_index < args.size()) {
      guest_args.assign(args.begin() + file_index + 1, args.end());
      if (!guest_args.empty() && guest_args[0] == "--") guest_args.erase(guest_args.begin());  // FILE -- ARGS
      args.resize(file_index + 1);
    }
  }
  std::vector<std::string> reversed(args.rbegin(), args.rend() - 1);  // CLI11 wants them reversed, minus argv[0]
  try {
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);  // prints help or the problem
    return code == 0 ? 0 : kiln::cli::kExitUsage;
  }
  if (run->parsed()) {
    if (!guest_args.empty()) run_options.args = guest_args;
    return kiln::cli::run_command(run_options);
  }
  if (wast->parsed()) return kiln::cli::wast_command(wast_options);
  if (validate->parsed()) return kiln::cli::validate_command(validate_file, validate_wasm2);
  if (inspect->parsed()) return kiln::cli::inspect_command(inspect_options);
  return 0;
}
