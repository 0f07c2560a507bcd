// The `kiln` command: run, compile, validate, wast, inspect, help.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>
#include <iostream>
#include <new>
#include <string>
#include <vector>

#include "base/version.h"
#include "cli/commands.h"
#include "cli/run_options.h"

namespace {

bool is_subcommand(const std::string& arg) {
  return arg == "run" || arg == "wast" || arg == "validate" || arg == "inspect" || arg == "compile" || arg == "help";
}

// Returns the index of the first argument that is not an option or an option's
// value: the module file of `kiln run`. Everything after it belongs to the guest.
size_t find_module_argument(CLI::App& run, const std::vector<std::string>& args, size_t start) {
  for (size_t i = start; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") return i + 1;
    if (arg.size() < 2 || arg[0] != '-') return i;
    if (arg.find('=') != std::string::npos && arg.starts_with("--")) continue;  // --opt=value
    if (arg.size() > 2 && arg[1] != '-') continue;                             // -Wfuel=1: value attached
    const CLI::Option* option = run.get_option_no_throw(arg);
    // Skip the option's value; a flag has none (its type size is 1 all the same).
    if (option && option->get_expected_min() > 0) ++i;
  }
  return args.size();
}

void print_version() { std::cout << "kiln " << KILN_VERSION << "\n"; }

int run_main(std::vector<std::string> args) {
  // `kiln --version`, `kiln -V`: as Wasmtime's. (After a module file, -V is the guest's.)
  if (args.size() == 2 && (args[1] == "--version" || args[1] == "-V")) {
    print_version();
    return 0;
  }
  // `kiln [RUN OPTIONS] FILE.wasm ...` means `kiln run ...`, as with Wasmtime.
  bool help = args.size() >= 2 && (args[1] == "-h" || args[1] == "--help");
  if (args.size() >= 2 && !is_subcommand(args[1]) && !help) args.insert(args.begin() + 1, "run");

  CLI::App app{"Kiln: a WebAssembly runtime", "kiln"};
  app.require_subcommand(1);
  app.set_version_flag("-V,--version", "kiln " KILN_VERSION);
  app.footer("Run `kiln help COMMAND` for a command's options. `kiln FILE.wasm` is `kiln run FILE.wasm`.");

  kiln::cli::RunOptions run_options;
  CLI::App* run = app.add_subcommand("run", "Run a WebAssembly module (a .wasm binary or .wat text)");
  kiln::cli::add_run_options(*run, run_options);

  kiln::cli::WastCommandOptions wast_options;
  CLI::App* wast = app.add_subcommand("wast", "Run WebAssembly spec test scripts (.wast)");
  wast->add_option("files", wast_options.files, "Script files")->required();
  wast->add_flag("--wasm2", wast_options.wasm2, "Use the WebAssembly 2.0 rules (no multi-memory, memory64, tail calls)");
  wast->add_flag("-v,--verbose", wast_options.verbose, "Print per-file counts");
  wast->add_option("--tier", wast_options.tier, "Which tier compiles the modules: interp (default), llvm or auto")
      ->type_name("interp|llvm|auto");

  std::vector<std::string> validate_files;
  bool validate_wasm2 = false;
  CLI::App* validate = app.add_subcommand("validate", "Check that modules decode and validate");
  validate->add_option("files", validate_files, "The modules to check")->required();
  validate->add_flag("--wasm2", validate_wasm2, "Use the WebAssembly 2.0 rules");

  kiln::cli::CompileCommandOptions compile_options;
  CLI::App* compile = app.add_subcommand("compile", "Compile a module to native code ahead of time (a .kwasm)");
  compile->add_option("file", compile_options.file, "The module (.wasm or .wat)")->required();
  compile->add_option("-o,--output", compile_options.output, "Where to write it (default: FILE as .kwasm)");
  compile->add_flag("--wasm2", compile_options.wasm2, "Use the WebAssembly 2.0 rules");
  compile->add_flag("--consume-fuel", compile_options.consume_fuel, "Meter fuel, so `kiln run --fuel` can run it");
  compile->add_flag("--epoch-interruption", compile_options.epoch_interruption,
                    "Check epochs, so `kiln run --timeout` can run it");
  compile->add_option("-j,--threads", compile_options.threads, "Compile threads (default: every core)");
  compile->add_flag("-v,--verbose", compile_options.verbose, "Say how much was compiled, and what was not");

  kiln::cli::InspectOptions inspect_options;
  CLI::App* inspect = app.add_subcommand("inspect", "Describe a module: imports, exports, functions");
  inspect->add_option("file", inspect_options.file, "The module")->required();
  inspect->add_flag("--code", inspect_options.code, "Also list each function's interpreter code");
  inspect->add_option("--func", inspect_options.func, "Only this function (export name or index)");

  std::string help_topic;
  CLI::App* help_command = app.add_subcommand("help", "Print help for kiln or for one command");
  help_command->add_option("command", help_topic, "The command (run, compile, validate, wast, inspect)");

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
    int code = app.exit(e);  // prints help, the version or the problem
    return code == 0 ? 0 : kiln::cli::kExitUsage;
  }
  if (help_command->parsed()) {
    // Formatted directly: App::help() would describe the `help` command itself.
    if (help_topic.empty()) {
      std::cout << app.get_formatter()->make_help(&app, "kiln", CLI::AppFormatMode::Normal);
      return 0;
    }
    CLI::App* topic = is_subcommand(help_topic) ? app.get_subcommand(help_topic) : nullptr;
    if (!topic) {
      std::cerr << "error: no command named '" << help_topic << "' (run, compile, validate, wast, inspect)\n";
      return kiln::cli::kExitUsage;
    }
    std::cout << topic->get_formatter()->make_help(topic, "kiln " + help_topic, CLI::AppFormatMode::Normal);
    return 0;
  }
  if (run->parsed()) {
    if (!guest_args.empty()) run_options.args = guest_args;
    return kiln::cli::run_command(run_options);
  }
  if (wast->parsed()) return kiln::cli::wast_command(wast_options);
  if (validate->parsed()) return kiln::cli::validate_command(validate_files, validate_wasm2);
  if (inspect->parsed()) return kiln::cli::inspect_command(inspect_options);
  if (compile->parsed()) return kiln::cli::compile_command(compile_options);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // No exception ends kiln with std::terminate (exit 134, which means a trap):
  // whatever escapes is reported as an error of kiln's own.
  try {
    return run_main(std::vector<std::string>(argv, argv + argc));
  } catch (const std::bad_alloc&) {
    std::cerr << "error: out of memory\n";
  } catch (const std::exception& e) {
    std::cerr << "error: internal error: " << e.what() << "\n";
  }
  return kiln::cli::kExitError;
}
