#include "cli/commands.h"

#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>

#include "cli/wasi_setup.h"
#include "cli/wast_runner.h"
#include "runtime/linker.h"
#include "runtime/store.h"

namespace kiln::cli {

using ir::ValType;
using runtime::Value;

bool read_file(const std::string& path, std::vector<uint8_t>& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "error: cannot read " << path << ": " << std::strerror(errno) << "\n";
    return false;
  }
  // One read of the whole file where its size is known (a regular file): part
  // of every `kiln run`'s startup. Else (a pipe, say) byte by byte.
  in.seekg(0, std::ios::end);
  std::streamoff size = in.tellg();
  in.seekg(0, std::ios::beg);
  if (size > 0 && in) {
    out.resize(static_cast<size_t>(size));
    in.read(reinterpret_cast<char*>(out.data()), size);
    out.resize(static_cast<size_t>(in.gcount()));
    return true;
  }
  in.clear();
  out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return true;
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

}  // namespace

int run_command(const RunOptions& options) {
  std::vector<uint8_t> bytes;
  if (!read_file(options.file, bytes)) return kExitError;
  runtime::EngineConfig config;
  if (Expected<void> ok = configure_engine(options.limits, config); !ok) return finish_with(ok.error());
  runtime::Engine engine(config);
  Expected<std::shared_ptr<runtime::Module>> module = runtime::Module::from_bytes_or_text(engine, std::move(bytes));
  if (!module) {
    print_error(module.error());
    return kExitError;
  }
  runtime::Store store(engine);
  if (Expected<void> ok = configure_store(options.limits, store); !ok) return finish_with(ok.error());
  // The timeout runs from here: instantiation (a start function) counts too.
  std::optional<Watchdog> watchdog;
  if (!options.limits.timeout.empty()) watchdog.emplace(engine, *parse_duration(options.limits.timeout));
  runtime::Linker linker(engine);
  Expected<wasi::WasiConfig> wasi_config = wasi_config_for(options);
  if (!wasi_config) return finish_with(wasi_config.error());
  Expected<std::shared_ptr<wasi::WasiContext>> wasi = wasi::add_to_linker(linker, store, *wasi_config);
  if (!wasi) return finish_with(wasi.error());
  Expected<runtime::Instance*> instance = linker.instantiate(store, *module);
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
  if (call_args.size() != function->type.params.size()) {
    std::cerr << "error: '" << entry << "' takes " << function->type.params.size() << " arguments, "
              << call_args.size() << " given\n";
    return kExitError;
  }
  std::vector<Value> args;
  for (size_t i = 0; i < call_args.size(); ++i) {
    Expected<Value> v = parse_argument(call_args[i], function->type.params[i]);
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

int validate_command(const std::string& file, bool wasm2) {
  std::vector<uint8_t> bytes;
  if (!read_file(file, bytes)) return kExitError;
  runtime::EngineConfig config;
  if (wasm2) config.features = ir::Features::wasm2();
  runtime::Engine engine(config);
  Expected<std::shared_ptr<runtime::Module>> module = runtime::Module::from_bytes_or_text(engine, std::move(bytes));
  if (!module) {
    print_error(module.error());
    return kExitError;
  }
  std::cout << "ok\n";
  return 0;
}

}  // namespace kiln::cli
