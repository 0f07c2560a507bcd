// In-process measurements of the Kiln runtime, with Google Benchmark:
//
//   call/host_to_wasm   one call of a trivial export (i32 -> i32) per item, on the
//                       typed-call path (raw slots)
//   call/cpp_typed      the same through the C++ API's typed call (TypedFunc::call),
//                       10 million calls
//   call/cpp_dynamic    the same through Func::call (checked, dynamically typed Vals)
//   call/wasm_func_call the same through the standard C API (wasm_func_call)
//   call/wasm_to_wasm   the same function called from a wasm loop (per item: one call)
//   call/wasm_to_host   a trivial host function called from a wasm loop (per item: one call)
//   store/new           a new Store alone (the fixed cost in the two below)
//   instantiate/small   new Store + instantiate a tiny module (no imports, one page)
//   instantiate/program new Store + stub imports + instantiate PROGRAM.wasm (first file)
//   decode_validate     Module::from_binary over every FILE (bytes/s: whole modules)
//   translate           interpreter translation of every function of every FILE
//                       (bytes/s: function bodies)
//
// usage: kiln_micro_bench [google-benchmark flags] [FILE.wasm...]
// bench/run passes the benchmark programs and reads --benchmark_format=json.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "binary/decoder.h"
#include "interp/interpreter.h"
#include "runtime/call.h"
#include "kiln/kiln.hpp"
#include "runtime/engine.h"
#include "runtime/module.h"
#include "runtime/store.h"
#include "wasm.h"

namespace {

using namespace kiln;
using runtime::Engine;
using runtime::Extern;
using runtime::Function;
using runtime::Module;
using runtime::Store;

[[noreturn]] void fail(const std::string& what, const Error& error) {
  std::fprintf(stderr, "kiln_micro_bench: %s: %s\n", what.c_str(), error.to_string().c_str());
  std::exit(1);
}

template <class T>
T must(Expected<T> value, const std::string& what) {
  if (!value) fail(what, value.error());
  return std::move(*value);
}

// The one place where the benchmarks call into wasm: the path of the typed
// C++ call (TypedFunc::call), the arguments and results in raw slots, without
// the type checks and result vector of the dynamic Store::call.
inline uint32_t call_i32(Store& store, Function* function, uint32_t arg) {
  runtime::RawValue slots[1];
  slots[0].i64 = arg;
  Expected<void> status = runtime::invoke(store.thread(), *function, slots);
  if (!status) fail("call", status.error());
  return slots[0].i32;
}

// An exported function that calls `callee` (i32 -> i32) n times, feeding each
// result to the next call; it returns n.
std::string call_loop(const std::string& name, const std::string& callee) {
  return "(func (export \"" + name + "\") (param $n i32) (result i32) (local $acc i32)\n"
         "  block $done\n"
         "    loop $again\n"
         "      local.get $n\n"
         "      i32.eqz\n"
         "      br_if $done\n"
         "      local.get $acc\n"
         "      call " + callee + "\n"
         "      local.set $acc\n"
         "      local.get $n\n"
         "      i32.const 1\n"
         "      i32.sub\n"
         "      local.set $n\n"
         "      br $again\n"
         "    end\n"
         "  end\n"
         "  local.get $acc)\n";
}

std::string call_module() {
  return "(module\n"
         "(import \"env\" \"host_inc\" (func $host_inc (param i32) (result i32)))\n"
         "(func $inc (export \"inc\") (param i32) (result i32) local.get 0 i32.const 1 i32.add)\n" +
         call_loop("loop_wasm", "$inc") + call_loop("loop_host", "$host_inc") + ")";
}

constexpr const char* kSmallModule = R"((module
  (memory (export "memory") 1)
  (global $g (mut i32) (i32.const 0))
  (table 4 funcref)
  (func $f (export "f") (result i32) global.get $g)
  (elem (i32.const 0) $f)
  (data (i32.const 16) "hello, world"))
)";

constexpr uint32_t kLoopCalls = 1000000;

Engine& engine() {
  static Engine instance(interp::with_interpreter({}));
  return instance;
}

Function* host_inc(Store& store) {
  ir::FuncType type;
  type.params = {ir::ValType::i32()};
  type.results = {ir::ValType::i32()};
  return store.create_host_function(
      type,
      [](runtime::HostCallContext&, runtime::RawValue* slots) -> Expected<void> {
        slots[0].i32 += 1;
        return {};
      },
      "host_inc");
}

// One store with the call module instantiated, shared by the call benchmarks.
struct CallFixture {
  std::shared_ptr<Module> module = must(Module::from_text(engine(), call_module()), "call module");
  Store store{engine()};
  runtime::Instance* instance = nullptr;
  Function* inc = nullptr;
  Function* loop_wasm = nullptr;
  Function* loop_host = nullptr;

  CallFixture() {
    const Extern imports[1] = {Extern::func(host_inc(store))};
    instance = must(store.instantiate(module, imports), "instantiate call module");
    inc = instance->find_export("inc")->as_func();
    loop_wasm = instance->find_export("loop_wasm")->as_func();
    loop_host = instance->find_export("loop_host")->as_func();
  }
  static CallFixture& get() {
    static CallFixture fixture;
    return fixture;
  }
};

void BM_CallHostToWasm(benchmark::State& state) {
  CallFixture& f = CallFixture::get();
  uint32_t x = 0;
  for (auto _ : state) x = call_i32(f.store, f.inc, x);
  if (x != state.iterations()) state.SkipWithError("wrong result");
  state.SetItemsProcessed(state.iterations());
}

// The embedding APIs calling the same export: the C++ API (typed and dynamic)
// and the standard C API.
constexpr const char* kIncModule =
    "(module (func (export \"inc\") (param i32) (result i32) local.get 0 i32.const 1 i32.add))";

struct CppFixture {
  kiln::Engine engine;
  kiln::Store store{engine};
  kiln::Instance instance = must(kiln::Linker(engine).instantiate(
      store, must(kiln::Module::from_text(engine, kIncModule), "inc module")), "instantiate inc module");
};

void BM_CallCppTyped(benchmark::State& state) {
  CppFixture f;
  auto inc = must(f.instance.get_typed_func<int32_t(int32_t)>("inc"), "typed inc");
  int32_t x = 0;
  for (auto _ : state) x = must(inc.call(x), "call");
  if (x != state.iterations()) state.SkipWithError("wrong result");
  state.SetItemsProcessed(state.iterations());
}

void BM_CallCppDynamic(benchmark::State& state) {
  CppFixture f;
  kiln::Func inc = *f.instance.get_func("inc");
  int32_t x = 0;
  for (auto _ : state) {
    const kiln::Val args[1] = {kiln::Val(x)};
    x = must(inc.call(args), "call")[0].i32();
  }
  if (x != state.iterations()) state.SkipWithError("wrong result");
  state.SetItemsProcessed(state.iterations());
}

void BM_CallWasmFuncCall(benchmark::State& state) {
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  wasm_byte_vec_t text;
  wasm_byte_vec_new(&text, std::strlen(kIncModule), kIncModule);  // Kiln also takes the text format
  wasm_module_t* module = wasm_module_new(store, &text);
  wasm_byte_vec_delete(&text);
  wasm_instance_t* instance = wasm_instance_new(store, module, nullptr, nullptr);
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  const wasm_func_t* inc = wasm_extern_as_func(exports.data[0]);
  wasm_val_t arg[1] = {WASM_I32_VAL(0)};
  wasm_val_t result[1] = {WASM_I32_VAL(0)};
  wasm_val_vec_t args = WASM_ARRAY_VEC(arg);
  wasm_val_vec_t results = WASM_ARRAY_VEC(result);
  for (auto _ : state) {
    if (wasm_trap_t* trap = wasm_func_call(inc, &args, &results)) {
      wasm_trap_delete(trap);
      state.SkipWithError("trap");
      break;
    }
    arg[0].of.i32 = result[0].of.i32;
  }
  if (result[0].of.i32 != state.iterations()) state.SkipWithError("wrong result");
  state.SetItemsProcessed(state.iterations());
  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
}

void loop_benchmark(benchmark::State& state, Function* CallFixture::*which) {
  CallFixture& f = CallFixture::get();
  for (auto _ : state) {
    if (call_i32(f.store, f.*which, kLoopCalls) != kLoopCalls) state.SkipWithError("wrong result");
  }
  state.SetItemsProcessed(state.iterations() * int64_t{kLoopCalls});
}

void BM_CallWasmToWasm(benchmark::State& state) { loop_benchmark(state, &CallFixture::loop_wasm); }
void BM_CallWasmToHost(benchmark::State& state) { loop_benchmark(state, &CallFixture::loop_host); }

// A Store alone (its execution thread and stacks), the fixed part of the next two.
void BM_NewStore(benchmark::State& state) {
  for (auto _ : state) {
    Store store(engine());
    benchmark::DoNotOptimize(&store);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_InstantiateSmall(benchmark::State& state) {
  std::shared_ptr<Module> module = must(Module::from_text(engine(), kSmallModule), "small module");
  for (auto _ : state) {
    Store store(engine());
    benchmark::DoNotOptimize(must(store.instantiate(module, {}), "instantiate small module"));
  }
  state.SetItemsProcessed(state.iterations());
}

std::vector<uint8_t> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "kiln_micro_bench: cannot read %s\n", path.c_str());
    std::exit(1);
  }
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Every function import becomes a host function of its type that traps if called.
std::vector<Extern> stub_imports(Store& store, const Module& module) {
  std::vector<Extern> imports;
  const ir::Module& m = module.ir();
  for (const ir::Import& import : m.imports) {
    if (import.kind != ir::ExternKind::Func) {
      std::fprintf(stderr, "kiln_micro_bench: only function imports can be stubbed (%s.%s)\n",
                   import.module.c_str(), import.name.c_str());
      std::exit(1);
    }
    imports.push_back(Extern::func(store.create_host_function(
        m.types[import.type_index],
        [](runtime::HostCallContext&, runtime::RawValue*) -> Expected<void> {
          return Error(ErrorKind::Trap, "stub import called");
        },
        import.name)));
  }
  return imports;
}

void BM_InstantiateProgram(benchmark::State& state, std::vector<uint8_t> bytes) {
  std::shared_ptr<Module> module = must(Module::from_binary(engine(), std::move(bytes)), "program");
  for (auto _ : state) {
    Store store(engine());
    std::vector<Extern> imports = stub_imports(store, *module);
    benchmark::DoNotOptimize(must(store.instantiate(module, imports), "instantiate program"));
  }
  state.SetItemsProcessed(state.iterations());
}

// Decoding alone (sections, no function bodies): the part of loading that
// validation does not do.
void BM_Decode(benchmark::State& state, const std::vector<std::vector<uint8_t>>* files) {
  int64_t bytes = 0;
  for (auto _ : state) {
    for (const std::vector<uint8_t>& file : *files) {
      benchmark::DoNotOptimize(must(binary::decode_module(file), "decode"));
      bytes += int64_t(file.size());
    }
  }
  state.SetBytesProcessed(bytes);
}

void BM_DecodeValidate(benchmark::State& state, const std::vector<std::vector<uint8_t>>* files) {
  int64_t bytes = 0;
  for (auto _ : state) {
    for (const std::vector<uint8_t>& file : *files) {
      benchmark::DoNotOptimize(must(Module::from_binary(engine(), file), "decode"));
      bytes += int64_t(file.size());
    }
  }
  state.SetBytesProcessed(bytes);
}

void BM_Translate(benchmark::State& state, const std::vector<std::vector<uint8_t>>* files) {
  int64_t bytes = 0;
  for (auto _ : state) {
    // Translations are cached in the Module, so each round decodes afresh (untimed).
    state.PauseTiming();
    std::vector<std::shared_ptr<Module>> modules;
    for (const std::vector<uint8_t>& file : *files) modules.push_back(must(Module::from_binary(engine(), file), "decode"));
    state.ResumeTiming();
    for (const std::shared_ptr<Module>& module : modules) {
      const ir::Module& m = module->ir();
      for (uint32_t i = 0; i < m.codes.size(); ++i) {
        benchmark::DoNotOptimize(must(module->compiled(i), "translate"));
        bytes += m.codes[i].whole.size;
      }
    }
    state.PauseTiming();
    modules.clear();  // freeing is not translation
    state.ResumeTiming();
  }
  state.SetBytesProcessed(bytes);
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  std::vector<std::string> paths(argv + 1, argv + argc);
  for (const std::string& p : paths) {
    if (p.rfind("--", 0) == 0) {
      std::fprintf(stderr, "kiln_micro_bench: unknown flag %s\n", p.c_str());
      return 2;
    }
  }

  benchmark::RegisterBenchmark("call/host_to_wasm", BM_CallHostToWasm);
  benchmark::RegisterBenchmark("call/cpp_typed", BM_CallCppTyped)->Iterations(10000000);
  benchmark::RegisterBenchmark("call/cpp_dynamic", BM_CallCppDynamic);
  benchmark::RegisterBenchmark("call/wasm_func_call", BM_CallWasmFuncCall)->Iterations(10000000);
  benchmark::RegisterBenchmark("call/wasm_to_wasm", BM_CallWasmToWasm)->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("call/wasm_to_host", BM_CallWasmToHost)->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("store/new", BM_NewStore)->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("instantiate/small", BM_InstantiateSmall)->Unit(benchmark::kMicrosecond);

  static std::vector<std::vector<uint8_t>> files;
  for (const std::string& p : paths) files.push_back(read_file(p));
  if (!files.empty()) {
    benchmark::RegisterBenchmark("instantiate/program", BM_InstantiateProgram, files[0])->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark("decode", BM_Decode, &files)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("decode_validate", BM_DecodeValidate, &files)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("translate", BM_Translate, &files)->Unit(benchmark::kMillisecond);
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
