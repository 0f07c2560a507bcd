#include "cli/commands.h"

#include <fcntl.h>
#include <unistd.h>

#include <charconv>
#include <cmath>
#include <cstring>
#include <iostream>
#include <map>
#include <variant>

#include "cli/run_options.h"
#include "cli/wasi_setup.h"
#include "cli/wast_runner.h"
#include "base/file.h"
#include "native/artifact.h"
#include "native/cache.h"
#include "native/compiler_process.h"
#include "native/tier.h"
#include "interp/interpreter.h"
#include "runtime/linker.h"
#include "runtime/store.h"

namespace kiln::cli {

using ir::ValType;
using runtime::Value;

// Loads a module file; on failure reports why, naming the file, and returns null.
bool is_artifact_file(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  uint8_t start[sizeof native::kArtifactMagic] = {};
  ssize_t n = read(fd, start, sizeof start);
  close(fd);
  return n == static_cast<ssize_t>(sizeof start) && native::is_artifact(start);
}

std::shared_ptr<runtime::Module> load_module(runtime::Engine& engine, const std::string& path) {
  Expected<std::shared_ptr<runtime::Module>> module = Error(ErrorKind::Io, "");
  if (is_artifact_file(path)) {
    Expected<std::shared_ptr<const MappedFile>> file = MappedFile::open(path);
    if (file) module = native::load_artifact(engine, *file, (*file)->bytes(), path);
    else module = file.error();
    // Its messages name the file already.
    if (!module) std::cerr << "error: " << module.error().to_string() << "\n";
    return module ? std::move(*module) : nullptr;
  }
  module = runtime::Module::from_file(engine, path);
  if (module) return std::move(*module);
  // Io errors already name the file ("cannot read x.wasm: is a directory").
  if (module.error().kind == ErrorKind::Io) std::cerr << "error: " << module.error().message << "\n";
  else std::cerr << "error: " << path << ": " << module.error().to_string() << "\n";
  return nullptr;
}

Expected<runtime::EngineConfig> with_tier(runtime::EngineConfig config, const std::string& tier, bool compiles) {
  if (tier == "interp") return interp::with_interpreter(config);
  if (tier == "llvm") {
    // Asked for by name, the tier must exist (a run under auto just interprets).
    if (compiles && native::compiler_path().empty())
      return Error(ErrorKind::Unsupported,
                   "--tier llvm needs kiln-llvm, the LLVM tier's compiler, which is not installed beside kiln "
                   "(or set KILN_LLVM to its path)");
    return native::with_llvm(config, interp::interpreter_tier());
  }
  // Without kiln-llvm, auto stays interpreted (the tier reports why with KILN_LOG=tier).
  if (tier == "auto") return native::with_auto(config, interp::interpreter_tier());
  return Error(ErrorKind::Usage, "--tier wants interp, llvm or auto, not '" + tier + "'");
}

namespace {

void print_error(const Error& error) {
  std::cerr << "error: " << error.to_string() << "\n";
  if (error.trace.empty()) return;
  std::cerr << "wasm backtrace:\n";
  for (size_t i = 0; i < error.trace.size(); ++i) {
    const TraceFrame& f = error.trace[i];
    std::cerr << "  " << i << ": ";
    if (f.host) {
      std::cerr << "<host> " << (f.function.empty() ? "<unknown>" : f.function) << "\n";
      continue;
    }
    if (f.offset) std::cerr << "0x" << std::hex << *f.offset << std::dec << " - ";
    if (!f.module.empty()) std::cerr << f.module << "!";
    if (f.function.empty()) std::cerr << "<wasm function " << f.func_index << ">";
    else std::cerr << f.function;
    std::cerr << "\n";
  }
  if (error.trace_omitted) std::cerr << "  ... " << error.trace_omitted << " more frames\n";
}

int exit_code_for(const Error& error) {
  if (error.kind == ErrorKind::Exit) return error.exit_code;
  return error.kind == ErrorKind::Trap || error.kind == ErrorKind::Exhaustion ? kExitTrap : kExitError;
}

// How `kiln run` ends after an error: a guest's proc_exit is its exit status,
// silently; anything else is reported first.
int finish_with(const Error& error) {
  if (error.kind != ErrorKind::Exit) print_error(error);
  return exit_code_for(error);
}

// Defines what `kiln run` links besides WASI: stand-ins for unknown function
// imports (-W unknown-imports-*) of `module`.
void define_unknown_imports(const RunOptions& options, runtime::Linker& linker, runtime::Store& store,
                            const runtime::Module& module) {
  if (options.unknown_imports == UnknownImports::Fail) return;
  linker.define_unknown_imports(store, module, options.unknown_imports == UnknownImports::Trap
                                                   ? runtime::Linker::UnknownImports::Trap
                                                   : runtime::Linker::UnknownImports::Default);
}

// --preload NAME=FILE: instantiates FILE (with WASI and the preloads before it)
// and defines its exports under NAME. Returns an exit status, or -1 to go on.
int preload_modules(const RunOptions& options, runtime::Engine& engine, runtime::Linker& linker,
                    runtime::Store& store) {
  for (const std::string& spec : options.preloads) {
    size_t equals = spec.find('=');
    if (equals == std::string::npos || equals == 0 || equals + 1 == spec.size()) {
      std::cerr << "error: --preload wants NAME=FILE, not '" << spec << "'\n";
      return kExitError;
    }
    std::string name = spec.substr(0, equals), path = spec.substr(equals + 1);
    std::shared_ptr<runtime::Module> module = load_module(engine, path);
    if (!module) return kExitError;
    define_unknown_imports(options, linker, store, *module);
    Expected<runtime::Instance*> instance = linker.instantiate(store, module);
    if (!instance) {
      std::cerr << "error: --preload " << spec << ": " << instance.error().to_string() << "\n";
      return exit_code_for(instance.error());
    }
    linker.define_instance(name, **instance);
  }
  return -1;
}

// Parses a command-line argument as a value of `type`.
Expected<Value> parse_argument(const std::string& text, ValType type) {
  auto bad = [&] { return Error(ErrorKind::Usage, "cannot parse '" + text + "' as " + ir::to_string(type)); };
  const char* begin = text.data();
  const char* end = begin + text.size();
  switch (type.kind) {
    case ir::ValKind::I32:
    case ir::ValKind::I64: {
      bool negative = !text.empty() && text[0] == '-';
      const char* p = begin + (negative || (!text.empty() && text[0] == '+'));
      int base = 10;
      if (end - p > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        base = 16;
        p += 2;
      }
      uint64_t magnitude = 0;
      auto [ptr, ec] = std::from_chars(p, end, magnitude, base);
      if (ec != std::errc() || ptr != end || p == end) return bad();
      bool is32 = type.kind == ir::ValKind::I32;
      uint64_t limit = is32 ? (negative ? 0x80000000ull : 0xffffffffull)
                            : (negative ? 0x8000000000000000ull : UINT64_MAX);
      if (magnitude > limit) return bad();
      uint64_t bits = negative ? 0 - magnitude : magnitude;
      return is32 ? Value::i32(static_cast<uint32_t>(bits)) : Value::i64(bits);
    }
    case ir::ValKind::F32:
    case ir::ValKind::F64: {
      char* parsed_end = nullptr;
      double d = std::strtod(text.c_str(), &parsed_end);
      if (text.empty() || parsed_end != text.c_str() + text.size()) return bad();
      if (type.kind == ir::ValKind::F32) return Value::f32(std::strtof(text.c_str(), nullptr));
      return Value::f64(d);
    }
    default:
      return Error(ErrorKind::Usage, "cannot pass " + ir::to_string(type) + " arguments from the command line");
  }
}

// Prints a result the way a user expects to read it: integers signed, floats
// in their shortest round-trip form.
std::string format_result(const Value& v) {
  char buf[64];
  switch (v.type.kind) {
    case ir::ValKind::I32: return std::to_string(static_cast<int32_t>(v.as_i32()));
    case ir::ValKind::I64: return std::to_string(static_cast<int64_t>(v.as_i64()));
    case ir::ValKind::F32: {
      if (std::isnan(v.as_f32())) return "nan";
      auto r = std::to_chars(buf, buf + sizeof buf, v.as_f32());
      return std::string(buf, r.ptr);
    }
    case ir::ValKind::F64: {
      if (std::isnan(v.as_f64())) return "nan";
      auto r = std::to_chars(buf, buf + sizeof buf, v.as_f64());
      return std::string(buf, r.ptr);
    }
    default:
      return runtime::to_string(v);
  }
}

// The objects of a `kiln run`, which are not destroyed when it ends: the OS
// takes a process's memory back faster than destructors hand it back object by
// object (yosys' compiled `-V` spent 12 of its 74 ms freeing its module,
// instance and native code), as clang does with -disable-free. Nothing in them
// needs a destructor to run at exit: files are closed by the OS, compiles in
// the background are detached threads either way. Kept reachable, so that a
// leak checker does not report them.
struct RunObjects {
  explicit RunObjects(const runtime::EngineConfig& config) : engine(config), store(engine), linker(engine) {}
  runtime::Engine engine;
  runtime::Store store;
  runtime::Linker linker;
  std::vector<std::shared_ptr<const void>> kept;  // the module, WASI's context
};
RunObjects* kept_until_exit = nullptr;

}  // namespace

int run_command(RunOptions options) {
  if (Expected<void> ok = apply_grouped_options(options); !ok) return finish_with(ok.error());
  runtime::EngineConfig config;
  if (Expected<void> ok = configure_engine(options.limits, config); !ok) return finish_with(ok.error());
  if (!options.no_cache) config.cache_dir = native::default_cache_dir();
  // A compiled module (.kwasm) runs its native code: the LLVM tier, without
  // compiling anything, unless the interpreter was asked for.
  bool artifact = is_artifact_file(options.file);
  std::string tier = !options.tier.empty() ? options.tier : artifact ? "llvm" : "auto";
  Expected<runtime::EngineConfig> tiered = with_tier(config, tier, !artifact);
  if (!tiered) return finish_with(tiered.error());
  kept_until_exit = new RunObjects(*tiered);
  runtime::Engine& engine = kept_until_exit->engine;
  runtime::Store& store = kept_until_exit->store;
  runtime::Linker& linker = kept_until_exit->linker;
  std::shared_ptr<runtime::Module> module = load_module(engine, options.file);
  if (!module) return kExitError;
  kept_until_exit->kept.push_back(module);
  if (Expected<void> ok = configure_store(options.limits, store); !ok) return finish_with(ok.error());
  // The timeout runs from here: instantiation (a start function) counts too.
  std::optional<Watchdog> watchdog;
  if (!options.limits.timeout.empty()) watchdog.emplace(engine, *parse_duration(options.limits.timeout));
  Expected<wasi::WasiConfig> wasi_config = wasi_config_for(options);
  if (!wasi_config) return finish_with(wasi_config.error());
  Expected<std::shared_ptr<wasi::WasiContext>> wasi = wasi::add_to_linker(linker, store, *wasi_config);
  if (!wasi) return finish_with(wasi.error());
  kept_until_exit->kept.push_back(*wasi);
  if (int status = preload_modules(options, engine, linker, store); status >= 0) return status;
  define_unknown_imports(options, linker, store, *module);
  Expected<runtime::Instance*> instance = linker.instantiate(store, module);
  if (!instance) return finish_with(instance.error());
  // A WASI reactor initializes itself before any of its exports is called.
  const runtime::Extern* initialize = (*instance)->find_export("_initialize");
  if (!options.invoke.empty() && initialize && initialize->as_func()) {
    Expected<std::vector<Value>> done = store.call(initialize->as_func(), {});
    if (!done) return finish_with(done.error());
  }
  std::string entry = options.invoke.empty() ? "_start" : options.invoke;
  const runtime::Extern* e = (*instance)->find_export(entry);
  if (!e || !e->as_func()) {
    if (options.invoke.empty()) return 0;  // a module without _start: instantiation was the run
    std::cerr << "error: no exported function named '" << entry << "'\n";
    return kExitError;
  }
  runtime::Function* function = e->as_func();
  // Without --invoke the arguments are the guest's argv; with it, the function's.
  const std::vector<std::string> no_args;
  const std::vector<std::string>& call_args = options.invoke.empty() ? no_args : options.args;
  if (call_args.size() != function->type().params.size()) {
    std::cerr << "error: '" << entry << "' takes " << function->type().params.size() << " arguments, "
              << call_args.size() << " given\n";
    return kExitError;
  }
  std::vector<Value> args;
  for (size_t i = 0; i < call_args.size(); ++i) {
    Expected<Value> v = parse_argument(call_args[i], function->type().params[i]);
    if (!v) {
      print_error(v.error());
      return kExitError;
    }
    args.push_back(*v);
  }
  Expected<std::vector<Value>> results = store.call(function, args);
  if (!results) return finish_with(results.error());
  for (const Value& v : *results) std::cout << format_result(v) << "\n";
  return 0;
}

int wast_command(const WastCommandOptions& options) {
  WastOptions wast;
  if (options.wasm2) wast.features = ir::Features::wasm2();
  wast.tier = options.tier;
  if (Expected<runtime::EngineConfig> ok = with_tier({}, options.tier, true); !ok) {
    std::cerr << "error: " << ok.error().message << "\n";
    return kExitUsage;
  }
  uint64_t passed = 0, failed = 0;
  for (const std::string& file : options.files) {
    WastResult r = run_wast_file(file, wast, std::cout);
    if (options.verbose) std::cout << file << ": " << r.passed << " passed, " << r.failed << " failed\n";
    passed += r.passed;
    failed += r.failed;
  }
  std::cout << passed << " passed, " << failed << " failed" << std::endl;
  return failed ? 1 : 0;
}

int validate_command(const std::vector<std::string>& files, bool wasm2) {
  runtime::EngineConfig config;
  if (wasm2) config.features = ir::Features::wasm2();
  runtime::Engine engine(interp::with_interpreter(config));
  int status = 0;
  for (const std::string& file : files) {
    if (!load_module(engine, file)) {
      status = kExitError;
      continue;
    }
    // One file: "ok", as before; several: which one is.
    if (files.size() == 1) std::cout << "ok\n";
    else std::cout << file << ": ok\n";
  }
  return status;
}

namespace {

// app.wasm -> app.kwasm, app.wat -> app.kwasm, app -> app.kwasm.
std::string default_output(const std::string& input) {
  std::string base = input;
  size_t slash = base.find_last_of('/');
  size_t dot = base.find_last_of('.');
  if (dot != std::string::npos && (slash == std::string::npos || dot > slash)) base.resize(dot);
  return base + ".kwasm";
}

}  // namespace

int compile_command(const CompileCommandOptions& options) {
  runtime::EngineConfig config;
  if (options.wasm2) config.features = ir::Features::wasm2();
  config.consume_fuel = options.consume_fuel;
  config.epoch_interruption = options.epoch_interruption;
  config.compile_threads = options.threads;
  Expected<runtime::EngineConfig> tiered = with_tier(config, "llvm", true);
  if (!tiered) return finish_with(tiered.error());
  if (is_artifact_file(options.file)) {
    std::cerr << "error: " << options.file << " is compiled already\n";
    return kExitError;
  }
  runtime::Engine engine(*tiered);
  std::shared_ptr<runtime::Module> module = load_module(engine, options.file);
  if (!module) return kExitError;
  Expected<std::vector<uint8_t>> artifact = native::compile_artifact(*module);
  if (!artifact) {
    std::cerr << "error: " << options.file << ": " << artifact.error().to_string() << "\n";
    return kExitError;
  }
  std::string output = options.output.empty() ? default_output(options.file) : options.output;
  if (Expected<void> written = write_file_atomically(output, *artifact); !written) return finish_with(written.error());
  if (options.verbose) {
    Expected<std::shared_ptr<const native::Artifact>> opened =
        native::Artifact::open(nullptr, *artifact, output);
    size_t functions = module->ir().codes.size(), interpreted = 0;
    std::map<std::string, size_t> reasons;
    for (uint32_t f = 0; opened && f < functions; ++f) {
      auto where = (*opened)->function(f);
      if (const std::string* why = std::get_if<std::string>(&where)) {
        ++interpreted;
        ++reasons[*why];
      }
    }
    std::cerr << output << ": " << functions - interpreted << " of " << functions << " functions compiled, "
              << artifact->size() << " bytes\n";
    for (const auto& [why, count] : reasons) std::cerr << "  " << count << " interpreted: " << why << "\n";
  }
  return 0;
}

}  // namespace kiln::cli
