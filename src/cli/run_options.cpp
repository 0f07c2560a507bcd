#include "cli/run_options.h"

#include <string_view>

namespace kiln::cli {

namespace {

Error usage(const std::string& what) { return Error(ErrorKind::Usage, what); }

// Wasmtime's spellings of a boolean option's value; a bare KEY means yes.
Expected<bool> parse_yes_no(const std::string& option, const std::string& value) {
  if (value.empty() || value == "y" || value == "yes" || value == "true") return true;
  if (value == "n" || value == "no" || value == "false") return false;
  return usage(option + ": expected y or n, not '" + value + "'");
}

struct GroupedOption {
  std::string_view key;
  std::string_view help;
  // Applies the value (empty when given as a bare KEY).
  Expected<void> (*apply)(RunOptions& options, const std::string& option, const std::string& value);
};

Expected<void> unknown_imports(RunOptions& options, const std::string& option, const std::string& value,
                               UnknownImports how) {
  bool on = KILN_TRY(parse_yes_no(option, value));
  if (on) options.unknown_imports = how;
  else if (options.unknown_imports == how) options.unknown_imports = UnknownImports::Fail;
  return {};
}

// Sets a string-valued limit; the value is checked later with the flag's own rules.
Expected<void> set_value(std::string& field, const std::string& option, const std::string& value) {
  if (value.empty()) return usage(option + " needs a value (" + option + "=VALUE)");
  field = value;
  return {};
}

// -W: wasm semantics and resource limits, with Wasmtime's key names.
constexpr GroupedOption kWasmOptions[] = {
    {"fuel", "N: trap after about N instructions (--fuel)",
     [](RunOptions& o, const std::string& opt, const std::string& v) { return set_value(o.limits.fuel, opt, v); }},
    {"timeout", "DURATION: interrupt after 500ms, 2s, 1m (--timeout)",
     [](RunOptions& o, const std::string& opt, const std::string& v) { return set_value(o.limits.timeout, opt, v); }},
    {"max-memory-size", "SIZE: largest linear memory, bytes or 64MiB (--max-memory)",
     [](RunOptions& o, const std::string& opt, const std::string& v) { return set_value(o.limits.max_memory, opt, v); }},
    {"max-table-elements", "N: largest table (--max-table-elements)",
     [](RunOptions& o, const std::string& opt, const std::string& v) {
       return set_value(o.limits.max_table_elements, opt, v);
     }},
    {"max-wasm-stack", "SIZE: wasm stack size (--max-stack)",
     [](RunOptions& o, const std::string& opt, const std::string& v) { return set_value(o.limits.max_stack, opt, v); }},
    {"unknown-imports-trap", "[y|n]: undefined function imports trap when called",
     [](RunOptions& o, const std::string& opt, const std::string& v) {
       return unknown_imports(o, opt, v, UnknownImports::Trap);
     }},
    {"unknown-imports-default", "[y|n]: undefined function imports return zeros",
     [](RunOptions& o, const std::string& opt, const std::string& v) {
       return unknown_imports(o, opt, v, UnknownImports::Default);
     }},
};

// -S: WASI, with Wasmtime's key names.
constexpr GroupedOption kWasiOptions[] = {
    {"inherit-env", "[y|n]: the guest gets the host's environment (--inherit-env)",
     [](RunOptions& o, const std::string& opt, const std::string& v) -> Expected<void> {
       o.inherit_env = KILN_TRY(parse_yes_no(opt, v));
       return {};
     }},
    {"tcplisten", "HOST:PORT: a listening socket for sock_accept (--tcplisten)",
     [](RunOptions& o, const std::string& opt, const std::string& v) -> Expected<void> {
       if (v.empty()) return usage(opt + " needs an address (tcplisten=HOST:PORT)");
       o.tcplisten.push_back(v);
       return {};
     }},
    {"cli", "y: WASI preview1 for the guest (always on in Kiln)",
     [](RunOptions&, const std::string& opt, const std::string& v) -> Expected<void> {
       if (!KILN_TRY(parse_yes_no(opt, v))) return usage(opt + ": Kiln always gives the guest WASI");
       return {};
     }},
};

std::string list_keys(std::span<const GroupedOption> table) {
  std::string out;
  for (const GroupedOption& option : table) out += (out.empty() ? "" : ", ") + std::string(option.key);
  return out;
}

Expected<void> apply_group(RunOptions& options, const std::vector<std::string>& given, char flag,
                           std::span<const GroupedOption> table) {
  for (const std::string& list : given) {
    size_t start = 0;
    while (start <= list.size()) {
      size_t comma = list.find(',', start);
      std::string item = list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      start = comma == std::string::npos ? list.size() + 1 : comma + 1;
      if (item.empty()) continue;
      size_t equals = item.find('=');
      std::string key = item.substr(0, equals);
      std::string value = equals == std::string::npos ? "" : item.substr(equals + 1);
      std::string option = std::string("-") + flag + " " + key;
      const GroupedOption* match = nullptr;
      for (const GroupedOption& candidate : table)
        if (candidate.key == key) match = &candidate;
      if (!match) return usage("unknown option " + option + " (Kiln knows: " + list_keys(table) + ")");
      KILN_TRY_VOID(match->apply(options, option, value));
    }
  }
  return {};
}

std::string describe_group(std::span<const GroupedOption> table) {
  std::string out;
  for (const GroupedOption& option : table) out += "\n  " + std::string(option.key) + "=" + std::string(option.help);
  return out;
}

}  // namespace

void add_run_options(CLI::App& run, RunOptions& options) {
  run.add_option("--invoke", options.invoke, "Call this exported function instead of _start");
  run.add_option("--tier", options.tier,
                 "Which tier compiles the module: auto (default: interpreted, native code once hot), interp, "
                 "or llvm (native code from the start; a .kwasm's default)")
      ->type_name("auto|interp|llvm");
  run.add_flag("--no-cache", options.no_cache, "Neither reuse nor keep compiled code (the code cache, docs/cli.md)");
  run.add_option("--dir", options.dirs, "Give the guest the host directory HOST, named GUEST (default: HOST)")
      ->type_name("HOST[::GUEST]")
      ->allow_extra_args(false);
  run.add_option("--env", options.envs, "Set a guest environment variable (NAME alone: the host's value)")
      ->type_name("NAME[=VALUE]")
      ->allow_extra_args(false);
  run.add_flag("--inherit-env", options.inherit_env, "Give the guest the host's whole environment");
  run.add_option("--tcplisten", options.tcplisten, "Listen on a TCP socket the guest can sock_accept on (HOST: an IP address or localhost)")
      ->type_name("HOST:PORT")
      ->allow_extra_args(false);
  run.add_option("--preload", options.preloads, "Instantiate FILE first and let the module import its exports as NAME")
      ->type_name("NAME=FILE")
      ->allow_extra_args(false);
  run.add_option("--fuel", options.limits.fuel, "Trap with 'all fuel consumed' after about N instructions");
  run.add_option("--timeout", options.limits.timeout, "Interrupt the module after a duration (500ms, 2s, 1m)");
  run.add_option("--max-memory", options.limits.max_memory, "Largest size of any linear memory (64MiB, 1GiB)");
  run.add_option("--max-table-elements", options.limits.max_table_elements, "Largest size of any table");
  run.add_option("--max-stack", options.limits.max_stack, "Size of the wasm value stack (1MiB); also bounds call depth");
  auto add_group = [&](const char* flag, std::vector<std::string>& into, const char* what,
                       std::span<const GroupedOption> table) {
    run.add_option(flag, into, std::string("Wasmtime-style ") + what + " options, KEY[=VALUE][,...]:" + describe_group(table))
        ->type_name("KEY[=VALUE]")
        ->allow_extra_args(false);
  };
  add_group("-W", options.wasm_options, "wasm", kWasmOptions);
  add_group("-S", options.wasi_options, "WASI", kWasiOptions);
  run.add_option("file", options.file, "The module to run")->required();
  run.add_option("args", options.args, "Arguments for the module (or for --invoke)");
}

Expected<void> apply_grouped_options(RunOptions& options) {
  KILN_TRY_VOID(apply_group(options, options.wasm_options, 'W', kWasmOptions));
  KILN_TRY_VOID(apply_group(options, options.wasi_options, 'S', kWasiOptions));
  return {};
}

}  // namespace kiln::cli
