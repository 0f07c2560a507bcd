// The C++ API in one program, the pieces docs/embedding.md shows: each piece
// stands between a "docs: begin NAME" and a "docs: end NAME" line, and
// tests/docs/run.sh checks that the docs show exactly those lines, builds this
// file against the installed Kiln and compares its output with cpp_api.out.
// Run it where tour.wat is.
#include <cinttypes>
#include <cstdio>
#include <optional>
#include <span>
#include <tuple>
#include <vector>

#include <kiln/kiln.hpp>

// docs: begin limiter
// Caps the memory of every instance in a store, together.
class MemoryBudget : public kiln::ResourceLimiter {
 public:
  explicit MemoryBudget(uint64_t bytes) : left_(bytes) {}
  bool memory_growing(uint64_t current, uint64_t desired, std::optional<uint64_t>) override {
    if (desired - current > left_) return false;  // memory.grow returns -1
    left_ -= desired - current;
    return true;
  }
  bool table_growing(uint64_t, uint64_t, std::optional<uint64_t>) override { return true; }

 private:
  uint64_t left_;
};
// docs: end limiter

int main() {
  // docs: begin config
  kiln::Config config;
  config.tier = kiln::Tier::Interpreter;  // or Tier::Llvm (native code, compiled first), Tier::Auto
  config.max_memory_pages = 16;       // per linear memory, in 64 KiB pages (default 65536 = 4 GiB)
  config.max_table_elements = 10000;  // per table (default 10 000 000)
  config.max_stack_bytes = 1 << 20;   // interpreter value stack per store (default 64 MiB)
  config.max_call_depth = 10000;      // nested calls (default 100 000)
  config.consume_fuel = true;         // see Store::set_fuel
  config.epoch_interruption = true;   // see Store::set_epoch_deadline
  config.wasm2_only = false;          // true: reject WebAssembly 3.0 features
  kiln::Engine engine(config);
  // docs: end config

  // docs: begin module
  kiln::Expected<kiln::Module> module = kiln::Module::from_file(engine, "tour.wat");  // binary or text
  if (!module) {
    std::printf("%s\n", module.error().to_string().c_str());
    return 1;
  }
  for (const kiln::ImportType& import : module->imports())
    std::printf("import %s.%s: %s\n", import.module.c_str(), import.name.c_str(),
                kiln::to_string(import.type.func).c_str());
  for (const kiln::ExportType& e : module->exports()) std::printf("export %s\n", e.name.c_str());

  const std::vector<uint8_t> empty = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};  // "\0asm", version 1
  kiln::Expected<void> valid = kiln::Module::validate(engine, empty);      // binary only
  kiln::Expected<kiln::Module> binary = kiln::Module::compile(engine, empty);  // binary only
  kiln::Expected<kiln::Module> text = kiln::Module::from_text(engine, "(module)");
  kiln::Expected<kiln::Module> either = kiln::Module::from_bytes(engine, empty);  // text if it starts like text
  std::printf("validate, compile, from_text, from_bytes: %d %d %d %d\n", valid.has_value(), binary.has_value(),
              text.has_value(), either.has_value());
  // docs: end module

  // docs: begin store
  kiln::Store store(engine);
  MemoryBudget budget(4 << 16);    // 4 pages for the whole store
  store.set_limiter(&budget);      // asked before every memory or table growth and instantiation
  if (!store.set_fuel(1'000'000))  // needs config.consume_fuel; code traps with "all fuel consumed"
    return 1;
  store.set_epoch_deadline(1'000'000);  // needs config.epoch_interruption: code traps once the
                                        // engine's epoch has advanced this many times
  // docs: end store

  // docs: begin linker
  kiln::Linker linker(engine);
  // Any callable with wasm-typed parameters and result (int32_t, int64_t, float,
  // double, kiln::V128; void, a std::tuple for several results, or an
  // Expected<...> to trap). A leading kiln::Caller& gives the caller's exports.
  linker.func_wrap("env", "weight", [](int32_t step) -> int32_t { return step * step; });
  linker.func_wrap("env", "log", [](kiln::Caller& caller, int32_t ptr, int32_t len) -> kiln::Expected<void> {
    std::span<uint8_t> memory = caller.memory()->span();
    if (ptr < 0 || len < 0 || uint64_t(ptr) + uint64_t(len) > memory.size())
      return kiln::Error(kiln::ErrorKind::Trap, "log: bad pointer");
    std::printf("log: %.*s\n", len, reinterpret_cast<const char*>(memory.data() + ptr));
    return {};
  });
  // Dynamically typed: the type is given, the callback reads Vals and writes Vals.
  linker.func_new("env", "double", kiln::FuncType{{kiln::ValKind::I32}, {kiln::ValKind::I64}},
                  [](kiln::Caller&, std::span<const kiln::Val> args, std::span<kiln::Val> results) -> kiln::Expected<void> {
                    results[0] = kiln::Val(int64_t{args[0].i32()} * 2);
                    return {};
                  });
  kiln::Expected<kiln::Instance> instance = linker.instantiate(store, *module);
  if (!instance) {
    std::printf("%s\n", instance.error().to_string().c_str());
    return 1;
  }
  // docs: end linker

  // docs: begin define
  // Another module importing the first one's memory and step function.
  linker.define_instance("tour", *instance);                     // all exports of an instance
  linker.define("alias", "step", *instance->get_export("step"));  // one object of a store
  kiln::Expected<kiln::Module> user = kiln::Module::from_text(engine, R"((module
      (import "tour" "memory" (memory 1))
      (import "alias" "step" (func $step (param i32) (result i32)))
      (func (export "steps") (result i32) (drop (call $step (i32.const 1))) (call $step (i32.const 2)))))");
  kiln::Expected<kiln::Instance> second = linker.instantiate(store, *user);
  std::printf("steps: %" PRId32 "\n", *second->get_typed_func<int32_t()>("steps")->call());
  // docs: end define

  // docs: begin calls
  auto step = instance->get_typed_func<int32_t(int32_t)>("step");  // checks the signature once
  kiln::Expected<int32_t> total = step->call(3);                     // then calls directly
  std::printf("step(3): %" PRId32 "\n", *total);

  auto swap = instance->get_typed_func<std::tuple<int32_t, int64_t>(int64_t, int32_t)>("swap");
  auto [i32, i64] = *swap->call(7, 8);
  std::printf("swap(7, 8): %" PRId32 " %" PRId64 "\n", i32, i64);

  kiln::Func twice = *instance->get_func("twice");  // dynamic: checked per call
  kiln::Expected<std::vector<kiln::Val>> results = twice.call({kiln::Val(int32_t{21})});
  std::printf("twice(21): %s\n", kiln::to_string((*results)[0]).c_str());
  // docs: end calls

  // docs: begin memory
  kiln::Memory memory = *instance->get_memory("memory");
  uint8_t* base = memory.data();             // never moves, even when the memory grows
  std::span<uint8_t> bytes = memory.span();  // covers the size *now*
  kiln::Expected<uint64_t> old_pages = memory.grow(1);  // the old size in pages
  // `bytes` still has the old size: take a new span after anything that may grow
  // the memory (a grow from the host, or any call into wasm).
  std::printf("grew from %" PRIu64 " pages; span %zu bytes, now %zu; data() moved: %s\n", *old_pages, bytes.size(),
              memory.span().size(), base == memory.data() ? "no" : "yes");
  kiln::Expected<uint64_t> refused = memory.grow(8);  // past the budget of the limiter
  std::printf("grow(8): %s\n", refused ? "grew" : refused.error().to_string().c_str());
  // docs: end memory

  // docs: begin errors
  kiln::Expected<int32_t> ratio = instance->get_typed_func<int32_t(int32_t)>("ratio")->call(0);
  const kiln::Error& error = ratio.error();
  std::printf("%s\n", error.to_string().c_str());
  for (const kiln::TraceFrame& frame : error.trace)
    std::printf("  in function %" PRIu32 " at offset 0x%" PRIx32 "\n", frame.func_index, frame.offset.value_or(0));

  kiln::Expected<void> spin = instance->get_typed_func<void()>("spin")->call();
  std::printf("spin: %s\n", spin.error().to_string().c_str());  // the fuel ran out
  if (!store.set_fuel(1'000'000)) return 1;
  store.set_epoch_deadline(1);
  engine.increment_epoch();  // from any thread, e.g. a timer
  spin = instance->get_typed_func<void()>("spin")->call();
  std::printf("spin: %s\n", spin.error().to_string().c_str());

  const uint8_t garbage[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01};
  std::printf("%s\n", kiln::Module::compile(engine, garbage).error().to_string().c_str());
  kiln::Linker empty_linker(engine);
  std::printf("%s\n", empty_linker.instantiate(store, *module).error().to_string().c_str());
  kiln::Linker wrong(engine);
  wrong.func_wrap("env", "weight", [](int64_t) {});
  std::printf("%s\n", wrong.instantiate(store, *module).error().to_string().c_str());
  // docs: end errors
  return 0;
}
