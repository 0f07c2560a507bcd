// The differential test: the same valid module run on the interpreter and on
// the LLVM tier must do the same observable things: the same calls to its
// imports with the same arguments, the same results, the same traps (kind,
// message and wasm backtrace), the same fuel use, and at the end the same
// memories, globals and tables.
//
//   kiln_differential_test FILE.wasm...        compares these modules
//   kiln_differential_test --generate [--seconds S | --modules N] [--seed S]
//                          [--findings DIR] [--ignore-fault-offsets]
//       makes modules with Binaryen's translate-to-fuzz mode (`wasm-opt -ttf`,
//       the Debian package binaryen) from random bytes and compares each;
//       a module on which the tiers differ is kept in DIR (default
//       build/differential-findings) and the run fails.
//
// Generated modules guard every loop and call with a "hang limit", so they
// end on their own; NaNs are replaced by zeros (`--denan`) because their bit
// patterns are nondeterministic in WebAssembly and may differ between tiers.
// Every export is called in order with zero arguments (as Binaryen's own
// fuzz-exec does), with "hangLimitInitializer" called before each; state
// carries over from one call to the next. Half the modules run with fuel, so
// that both tiers must also charge it alike.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "binary/instruction.h"
#include "fuzz/harness.h"
#include "interp/interpreter.h"
#include "native/compiler_process.h"
#include "native/tier.h"
#include "runtime/linker.h"
#include "runtime/store.h"

namespace kiln::fuzz {
namespace {

using Bytes = std::vector<uint8_t>;
constexpr uint64_t kFuelPerCall = 2'000'000;

runtime::EngineConfig base_config(bool fuel) {
  runtime::EngineConfig config;
  config.consume_fuel = fuel;
  config.max_memory_pages = 1024;  // 64 MiB per memory
  config.max_table_elements = 100000;
  return config;
}

// What a run did, one line per event, to be compared line by line.
using Transcript = std::vector<std::string>;

std::string hex(uint64_t bits) {
  char text[24];
  std::snprintf(text, sizeof text, "0x%llx", static_cast<unsigned long long>(bits));
  return text;
}

// A value as bits: references by what they refer to, not their address, which
// differs between the two stores.
std::string describe(const ir::ValType& type, const runtime::RawValue* slots) {
  switch (type.kind) {
    case ir::ValKind::I32:
    case ir::ValKind::F32: return hex(slots[0].i32);
    case ir::ValKind::I64:
    case ir::ValKind::F64: return hex(slots[0].i64);
    case ir::ValKind::V128: return "v128:" + hex(slots[0].i64) + ":" + hex(slots[1].i64);
    case ir::ValKind::Ref: break;
  }
  if (!slots[0].ref) return "null";
  if (type.heap != ir::HeapKind::Func) return "ref:nonnull";
  auto* f = static_cast<const runtime::Function*>(slots[0].ref);
  return f->is_host() ? "ref:host:" + f->debug_name : "ref:func" + std::to_string(f->func_index);
}

std::string describe(const runtime::Value& value) {
  runtime::RawValue slots[2] = {};
  runtime::store_value(value, slots);
  return describe(value.type, slots);
}

// --ignore-fault-offsets: the sanitizer build's interpreter cannot always find
// a fault's offset (it scans saved registers for a pointer into its code, and
// the sanitizers' code keeps it elsewhere in some handlers).
bool g_ignore_fault_offsets = false;

// `m`: the module whose functions the trace names. Where an access faulted is
// compared only as "an access of this function": LLVM may merge the loads of
// an if's two arms into one (InstCombine, for the value the if produces), and
// a fault there names one of them (docs/architecture.md).
std::string describe(const Error& error, const ir::Module& m, const ir::Features& features) {
  std::string text = "error kind " + std::to_string(static_cast<int>(error.kind)) + " trap " +
                     std::to_string(static_cast<int>(error.trap)) + ": " + error.message;
  for (size_t i = 0; i < error.trace.size(); ++i) {
    const TraceFrame& frame = error.trace[i];
    text += "\n  at func " + std::to_string(frame.func_index);
    if (frame.host) text += " (host)";
    if (!frame.offset) continue;
    bool fault = i == 0 && error.trap == TrapCode::MemoryOutOfBounds && frame.func_index >= m.num_imported_funcs;
    if (fault && g_ignore_fault_offsets) continue;
    if (fault && binary::last_memory_access(m, frame.func_index - m.num_imported_funcs, *frame.offset, features) ==
                     frame.offset)
      text += " +(a memory access)";
    else
      text += " +" + hex(*frame.offset);
  }
  return text;
}

// Imported functions record their arguments in the transcript and return
// zeros.
MakeHostFunction recording_into(Transcript& out) {
  return [&out](const ir::FuncType& type, const std::string& name) -> runtime::HostCallback {
    return [type, name, &out](runtime::HostCallContext&, runtime::RawValue* slots) -> Expected<void> {
      std::string line = "import " + name + "(";
      size_t at = 0;
      for (const ir::ValType& t : type.params) {
        line += describe(t, &slots[at]) + " ";
        at += t.byte_size() / 8;
      }
      out.push_back(line + ")");
      size_t results = 0;
      for (const ir::ValType& t : type.results) results += t.byte_size() / 8;
      for (size_t i = 0; i < results; ++i) slots[i].i64 = 0;
      return {};
    };
  };
}

// 64-bit FNV-1a.
uint64_t hash_bytes(const uint8_t* data, size_t size) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (size_t i = 0; i < size; ++i) h = (h ^ data[i]) * 0x100000001b3ull;
  return h;
}

void record_final_state(const runtime::Instance& instance, Transcript& out) {
  for (size_t i = 0; i < instance.memories.size(); ++i) {
    const runtime::Memory& memory = *instance.memories[i];
    out.push_back("memory " + std::to_string(i) + " pages " + std::to_string(memory.pages()) + " hash " +
                  hex(hash_bytes(memory.data(), memory.size_bytes())));
  }
  for (size_t i = 0; i < instance.globals.size(); ++i)
    out.push_back("global " + std::to_string(i) + " " + describe(instance.globals[i]->type.type, instance.globals[i]->value));
  for (size_t i = 0; i < instance.tables.size(); ++i) {
    const runtime::Table& table = *instance.tables[i];
    std::string line = "table " + std::to_string(i) + " size " + std::to_string(table.size()) + ":";
    runtime::RawValue slot;
    for (uint64_t e = 0; e < table.size(); ++e) {
      slot.ref = table.get(e);
      line += " " + describe(table.type().elem, &slot);
    }
    out.push_back(line);
  }
}

struct RunStats {
  size_t functions = 0;        // defined functions that ran
  size_t native_functions = 0; // of which the tier ran natively
};

// Instantiates `module` in a fresh store of `engine` and calls its exports.
Transcript run(runtime::Engine& engine, const std::shared_ptr<runtime::Module>& module, RunStats* stats) {
  Transcript out;
  runtime::Store store(engine);
  bool fuel = engine.config().consume_fuel;
  if (fuel) (void)store.set_fuel(kFuelPerCall);
  const ir::Module& m = module->ir();
  std::vector<runtime::Extern> imports;
  for (const ir::Import& imp : m.imports) {
    runtime::Extern e = made_up_import(store, m, imp, recording_into(out));
    if (!e.object || !runtime::check_import(m, imp, e, engine)) {
      out.push_back("cannot make import " + imp.module + "." + imp.name);
      return out;
    }
    imports.push_back(e);
  }
  Expected<runtime::Instance*> instance = store.instantiate(module, imports);
  if (!instance) {
    out.push_back("instantiate: " + describe(instance.error(), m, engine.config().features));
    return out;
  }
  runtime::Function* hang_limit_initializer = nullptr;
  for (const ir::Export& exp : m.exports)
    if (exp.kind == ir::ExternKind::Func && exp.name == "hangLimitInitializer")
      hang_limit_initializer = (*instance)->funcs[exp.index];
  for (const ir::Export& exp : m.exports) {
    if (exp.kind != ir::ExternKind::Func || exp.name == "hangLimitInitializer") continue;
    if (hang_limit_initializer) (void)store.call(hang_limit_initializer, {});
    runtime::Function* f = (*instance)->funcs[exp.index];
    std::vector<runtime::Value> args;
    for (const ir::ValType& t : f->type().params) args.push_back(runtime::Value::zero(t));
    out.push_back("call " + exp.name);
    Expected<std::vector<runtime::Value>> results = store.call(f, args);
    if (!results) {
      out.push_back(describe(results.error(), m, engine.config().features));
    } else {
      std::string line = "results";
      for (const runtime::Value& v : *results) line += " " + describe(v);
      out.push_back(line);
    }
    if (fuel) {
      Expected<uint64_t> left = store.fuel();
      out.push_back("fuel left " + (left ? std::to_string(*left) : left.error().message));
      (void)store.set_fuel(kFuelPerCall);
    }
  }
  record_final_state(**instance, out);
  if (stats) {
    for (runtime::Function* f : (*instance)->funcs) {
      if (f->is_host() || !f->code) continue;
      ++stats->functions;
      if (f->native) ++stats->native_functions;
    }
  }
  return out;
}

// Prints where two transcripts part, with a little context.
void report_difference(const Transcript& interp, const Transcript& llvm) {
  size_t i = 0;
  while (i < interp.size() && i < llvm.size() && interp[i] == llvm[i]) ++i;
  size_t from = i >= 3 ? i - 3 : 0;
  for (size_t k = i; k-- > 0;)
    if (interp[k].rfind("call ", 0) == 0) {
      std::cerr << "  in " << interp[k] << "\n";
      break;
    }
  auto show = [&](const char* name, const Transcript& t) {
    std::cerr << "  " << name << ":\n";
    for (size_t k = from; k < std::min(t.size(), i + 3); ++k) std::cerr << (k == i ? "  > " : "    ") << t[k] << "\n";
    if (i >= t.size()) std::cerr << "  > (end)\n";
  };
  show("interpreter", interp);
  show("llvm", llvm);
}

struct Tiers {
  // Indexed by whether fuel is on.
  std::unique_ptr<runtime::Engine> interp[2];
  std::unique_ptr<runtime::Engine> llvm[2];

  Tiers() {
    for (int fuel = 0; fuel < 2; ++fuel) {
      interp[fuel] = std::make_unique<runtime::Engine>(interp::with_interpreter(base_config(fuel)));
      llvm[fuel] = std::make_unique<runtime::Engine>(native::with_llvm(base_config(fuel), interp::interpreter_tier()));
    }
  }
};

enum class Verdict { Same, Different, Rejected };

Verdict compare(Tiers& tiers, const Bytes& bytes, bool fuel, RunStats& stats, std::string& why) {
  Expected<std::shared_ptr<runtime::Module>> a = runtime::Module::from_binary(*tiers.interp[fuel], bytes);
  Expected<std::shared_ptr<runtime::Module>> b = runtime::Module::from_binary(*tiers.llvm[fuel], bytes);
  if (!a || !b) {
    why = !a ? a.error().to_string() : b.error().to_string();
    // Both must agree that it is invalid, too.
    return bool(a) == bool(b) ? Verdict::Rejected : Verdict::Different;
  }
  Transcript interp = run(*tiers.interp[fuel], *a, nullptr);
  Transcript llvm = run(*tiers.llvm[fuel], *b, &stats);
  if (interp == llvm) return Verdict::Same;
  std::cerr << "the tiers differ" << (fuel ? " (with fuel)" : "") << ":\n";
  report_difference(interp, llvm);
  return Verdict::Different;
}

Expected<Bytes> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error(ErrorKind::Io, "cannot read " + path);
  return Bytes(std::istreambuf_iterator<char>(in), {});
}

// The Binaryen features Kiln has in the form Binaryen 108 emits them (its
// reference types are an older draft, with funcref a subtype of anyref).
const char* const kFeatures[] = {"--enable-sign-ext",   "--enable-mutable-globals", "--enable-nontrapping-float-to-int",
                                 "--enable-bulk-memory", "--enable-multivalue",      "--enable-extended-const"};
// Used in every other module: SIMD, and tail calls, of which the LLVM tier
// leaves those of another signature to the interpreter (so calls cross the
// tiers) and compiles the others only where a module has no interpreted
// function.
const char* const kMixedTierFeatures[] = {"--enable-simd", "--enable-tail-call"};

// Runs wasm-opt to turn `input` (random bytes) into a valid module at `output`.
bool generate(const std::string& input, const std::string& output, bool mixed_tiers, bool optimize) {
  std::vector<std::string> args = {"wasm-opt", input, "-ttf", "--denan", "-o", output};
  for (const char* f : kFeatures) args.push_back(f);
  if (mixed_tiers)
    for (const char* f : kMixedTierFeatures) args.push_back(f);
  if (optimize) args.push_back("-O2");
  pid_t pid = fork();
  if (pid == 0) {
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    int null_fd = open("/dev/null", O_WRONLY);
    dup2(null_fd, 1);
    dup2(null_fd, 2);
    execvp("wasm-opt", argv.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

struct Options {
  bool generate = false;
  double seconds = 0;
  uint64_t modules = 0;
  uint64_t seed = 1;
  std::string findings = "build/differential-findings";
  std::vector<std::string> files;
};

int compare_files(const Options& options) {
  Tiers tiers;
  size_t failures = 0;
  for (const std::string& path : options.files) {
    Expected<Bytes> bytes = read_file(path);
    if (!bytes) {
      std::cerr << bytes.error().message << "\n";
      return 2;
    }
    bool failed = false;
    for (bool fuel : {false, true}) {
      RunStats stats;
      std::string why;
      Verdict verdict = compare(tiers, *bytes, fuel, stats, why);
      if (verdict == Verdict::Different) std::cerr << path << ": the tiers differ\n";
      else if (verdict == Verdict::Rejected) std::cerr << path << ": " << why << "\n";
      failed = failed || verdict != Verdict::Same;
    }
    failures += failed;
  }
  std::cout << options.files.size() - failures << " passed, " << failures << " failed\n";
  return failures ? 1 : 0;
}

int generate_and_compare(const Options& options) {
  if (native::compiler_path().empty()) {
    std::cerr << "kiln_differential_test: kiln-llvm not found (build it, or set KILN_LLVM)\n";
    return 2;
  }
  Tiers tiers;
  std::mt19937_64 rng(options.seed);
  std::filesystem::create_directories(options.findings);
  std::string work = options.findings + "/work-" + std::to_string(getpid());
  std::filesystem::create_directories(work);
  std::string input = work + "/input.dat", module_path = work + "/module.wasm";
  auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
  uint64_t compared = 0, rejected = 0, findings = 0, not_generated = 0;
  RunStats stats;
  for (uint64_t n = 0;; ++n) {
    if (options.modules ? compared + rejected >= options.modules : elapsed() >= options.seconds) break;
    Bytes random(256 + rng() % 16384);
    for (uint8_t& b : random) b = static_cast<uint8_t>(rng());
    std::ofstream(input, std::ios::binary).write(reinterpret_cast<const char*>(random.data()), random.size());
    bool mixed_tiers = n % 2 == 1, optimize = n % 3 == 2, fuel = (n / 2) % 2 == 1;
    if (!generate(input, module_path, mixed_tiers, optimize)) {
      // A test that compares nothing must not pass (nor loop forever).
      if (++not_generated > 20 + compared / 10) {
        std::cerr << "kiln_differential_test: wasm-opt (Debian's binaryen) makes no modules: is it installed?\n";
        return 2;
      }
      continue;
    }
    Expected<Bytes> bytes = read_file(module_path);
    if (!bytes) continue;
    std::string why;
    Verdict verdict = compare(tiers, *bytes, fuel, stats, why);
    if (verdict == Verdict::Rejected) {
      // Binaryen made something Kiln rejects: worth a look, not a tier bug.
      if (rejected++ < 5) std::cerr << "module " << n << " rejected: " << why << "\n";
      continue;
    }
    ++compared;
    if (verdict == Verdict::Different) {
      ++findings;
      std::string kept = options.findings + "/seed" + std::to_string(options.seed) + "-" + std::to_string(n) +
                         (fuel ? "-fuel" : "") + ".wasm";
      std::filesystem::copy_file(module_path, kept, std::filesystem::copy_options::overwrite_existing);
      std::cerr << "kept as " << kept << "\n";
    }
  }
  std::filesystem::remove_all(work);
  std::cout << "differential test: " << compared << " modules compared in " << static_cast<int>(elapsed())
            << " s (seed " << options.seed << "), " << stats.native_functions << " of " << stats.functions
            << " functions that ran were native; " << rejected << " rejected, " << not_generated
            << " not generated; " << findings << " differences\n";
  return findings ? 1 : 0;
}

}  // namespace
}  // namespace kiln::fuzz

int main(int argc, char** argv) {
  kiln::fuzz::Options options;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::cerr << arg << " needs a value\n";
        std::exit(2);
      }
      return argv[++i];
    };
    if (arg == "--generate") options.generate = true;
    else if (arg == "--seconds") options.seconds = std::stod(value());
    else if (arg == "--modules") options.modules = std::stoull(value());
    else if (arg == "--seed") options.seed = std::stoull(value());
    else if (arg == "--findings") options.findings = value();
    else if (arg == "--ignore-fault-offsets") kiln::fuzz::g_ignore_fault_offsets = true;
    else if (!arg.empty() && arg[0] == '-') {
      std::cerr << "unknown option " << arg << "\n";
      return 2;
    } else options.files.push_back(arg);
  }
  if (options.generate) {
    if (!options.seconds && !options.modules) options.modules = 100;
    return kiln::fuzz::generate_and_compare(options);
  }
  if (options.files.empty()) {
    std::cerr << "usage: kiln_differential_test FILE.wasm... | --generate [--seconds S | --modules N] [--seed S]\n";
    return 2;
  }
  return kiln::fuzz::compare_files(options);
}
