// The C++ embedding API (include/kiln/kiln.hpp).
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "kiln/kiln.hpp"

namespace kiln {
namespace {

const char* kPlugin = R"(
(module
  (import "host" "add_offset" (func $add_offset (param i32) (result i32)))
  (import "host" "log" (func $log (param i32 i64 f32 f64)))
  (memory (export "memory") 1 4)
  (global $counter (export "counter") (mut i32) (i32.const 7))
  (global (export "pi") f64 (f64.const 3.25))
  (table (export "table") 2 funcref)
  (elem (i32.const 0) $add)
  (func $add (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "call_host") (param i32) (result i32) (call $add_offset (local.get 0)))
  (func (export "log_all") (call $log (i32.const -1) (i64.const 5) (f32.const 1.5) (f64.const -2.25)))
  (func (export "swap") (param i64 i32) (result i32 i64) (local.get 1) (local.get 0))
  (func (export "store") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
  (func (export "bump") (global.set $counter (i32.add (global.get $counter) (i32.const 1))))
  (func $boom (export "boom") (unreachable)))
)";

struct Fixture : ::testing::Test {
  Engine engine;
  Store store{engine};
  Linker linker{engine};
  std::vector<std::string> logged;

  Instance instantiate() {
    linker.func_wrap("host", "add_offset", [](int32_t x) { return x + 1000; });
    linker.func_wrap("host", "log", [this](int32_t a, int64_t b, float c, double d) {
      logged.push_back(std::to_string(a) + " " + std::to_string(b) + " " + std::to_string(c) + " " +
                       std::to_string(d));
    });
    Expected<Module> module = Module::from_text(engine, kPlugin);
    EXPECT_TRUE(module.has_value()) << (module ? "" : module.error().to_string());
    Expected<Instance> instance = linker.instantiate(store, *module);
    EXPECT_TRUE(instance.has_value()) << (instance ? "" : instance.error().to_string());
    return *instance;
  }
};

TEST_F(Fixture, TypedCall) {
  Instance instance = instantiate();
  auto add = instance.get_typed_func<int32_t(int32_t, int32_t)>("add");
  ASSERT_TRUE(add.has_value()) << add.error().to_string();
  Expected<int32_t> sum = add->call(40, 2);
  ASSERT_TRUE(sum.has_value());
  EXPECT_EQ(*sum, 42);
  EXPECT_EQ(*add->call(-1, -1), -2);
}

TEST_F(Fixture, TypedCallRejectsWrongSignature) {
  Instance instance = instantiate();
  auto wrong = instance.get_typed_func<int64_t(int32_t, int32_t)>("add");
  ASSERT_FALSE(wrong.has_value());
  EXPECT_EQ(wrong.error().kind, ErrorKind::Usage);
  EXPECT_NE(wrong.error().message.find("function type mismatch"), std::string::npos);
}

TEST_F(Fixture, HostFunctionsWithDeducedSignatures) {
  Instance instance = instantiate();
  auto call_host = instance.get_typed_func<int32_t(int32_t)>("call_host");
  ASSERT_TRUE(call_host.has_value());
  EXPECT_EQ(*call_host->call(5), 1005);
  auto log_all = instance.get_typed_func<void()>("log_all");
  ASSERT_TRUE(log_all.has_value());
  ASSERT_TRUE(log_all->call().has_value());
  ASSERT_EQ(logged.size(), 1u);
  EXPECT_EQ(logged[0], "-1 5 1.500000 -2.250000");
}

TEST_F(Fixture, MultiValueResults) {
  Instance instance = instantiate();
  auto swap = instance.get_typed_func<std::tuple<int32_t, int64_t>(int64_t, int32_t)>("swap");
  ASSERT_TRUE(swap.has_value()) << swap.error().to_string();
  auto result = swap->call(int64_t{1} << 40, 9);
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(std::get<0>(*result), 9);
  EXPECT_EQ(std::get<1>(*result), int64_t{1} << 40);
}

TEST_F(Fixture, DynamicCall) {
  Instance instance = instantiate();
  std::optional<Func> add = instance.get_func("add");
  ASSERT_TRUE(add.has_value());
  EXPECT_EQ(add->type(), (FuncType{{ValKind::I32, ValKind::I32}, {ValKind::I32}}));
  Expected<std::vector<Val>> results = add->call({Val(int32_t{3}), Val(int32_t{4})});
  ASSERT_TRUE(results.has_value());
  ASSERT_EQ(results->size(), 1u);
  EXPECT_EQ((*results)[0].i32(), 7);
  // Wrong argument types are an error, not a crash.
  EXPECT_FALSE(add->call({Val(1.0), Val(int32_t{4})}).has_value());
  EXPECT_FALSE(add->call({Val(int32_t{4})}).has_value());
}

TEST_F(Fixture, MemoryReadWriteAndGrow) {
  Instance instance = instantiate();
  std::optional<Memory> memory = instance.get_memory("memory");
  ASSERT_TRUE(memory.has_value());
  EXPECT_EQ(memory->pages(), 1u);
  auto store_fn = instance.get_typed_func<void(int32_t, int32_t)>("store");
  ASSERT_TRUE(store_fn->call(16, 0x11223344).has_value());
  EXPECT_EQ(memory->span()[16], 0x44);
  EXPECT_EQ(memory->span()[19], 0x11);
  uint8_t* before = memory->data();
  Expected<uint64_t> old = memory->grow(2);
  ASSERT_TRUE(old.has_value());
  EXPECT_EQ(*old, 1u);
  EXPECT_EQ(memory->pages(), 3u);
  EXPECT_EQ(memory->data(), before);  // the base never moves
  EXPECT_FALSE(memory->grow(2).has_value());  // beyond the maximum of 4
  // Out of bounds in wasm is a trap, and the store stays usable.
  Expected<void> oob = store_fn->call(3 * 65536 - 2, 1);
  ASSERT_FALSE(oob.has_value());
  EXPECT_EQ(oob.error().kind, ErrorKind::Trap);
  EXPECT_EQ(oob.error().message, "out of bounds memory access");
  EXPECT_TRUE(store_fn->call(0, 1).has_value());
}

TEST_F(Fixture, GlobalsAndTables) {
  Instance instance = instantiate();
  std::optional<Global> counter = instance.get_global("counter");
  ASSERT_TRUE(counter.has_value());
  EXPECT_EQ(counter->get().i32(), 7);
  ASSERT_TRUE(instance.get_typed_func<void()>("bump")->call().has_value());
  EXPECT_EQ(counter->get().i32(), 8);
  ASSERT_TRUE(counter->set(Val(int32_t{100})).has_value());
  EXPECT_FALSE(counter->set(Val(int64_t{1})).has_value());
  std::optional<Global> pi = instance.get_global("pi");
  EXPECT_EQ(pi->get().f64(), 3.25);
  EXPECT_FALSE(pi->set(Val(1.0)).has_value());  // immutable

  std::optional<Table> table = instance.get_table("table");
  ASSERT_TRUE(table.has_value());
  EXPECT_EQ(table->size(), 2u);
  Expected<Val> first = table->get(0);
  ASSERT_TRUE(first.has_value());
  std::optional<Func> f = first->funcref();
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(*f->typed<int32_t(int32_t, int32_t)>()->call(2, 2), 4);
  EXPECT_TRUE(table->get(1)->is_null());
  EXPECT_FALSE(table->get(2).has_value());
  EXPECT_EQ(*table->grow(3, Val::null(ValKind::FuncRef)), 2u);
  EXPECT_EQ(table->size(), 5u);
}

TEST_F(Fixture, TrapsCarryBacktraces) {
  Instance instance = instantiate();
  Expected<void> r = instance.get_typed_func<void()>("boom")->call();
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, ErrorKind::Trap);
  EXPECT_EQ(r.error().message, "unreachable");
  ASSERT_FALSE(r.error().trace.empty());
  EXPECT_EQ(r.error().trace[0].function, "boom");  // from the name section
  EXPECT_EQ(r.error().trace[0].func_index, 8u);  // after 2 imports and 6 functions
}

TEST_F(Fixture, HostFunctionTrapsPropagate) {
  linker.func_wrap("host", "add_offset", [](int32_t x) -> Expected<int32_t> {
    if (x < 0) return Error(ErrorKind::Trap, "negative input");
    return x;
  });
  linker.func_wrap("host", "log", [](int32_t, int64_t, float, double) {});
  Expected<Module> module = Module::from_text(engine, kPlugin);
  Expected<Instance> instance = linker.instantiate(store, *module);
  ASSERT_TRUE(instance.has_value());
  auto call_host = instance->get_typed_func<int32_t(int32_t)>("call_host");
  EXPECT_EQ(*call_host->call(3), 3);
  Expected<int32_t> r = call_host->call(-3);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message, "negative input");
}

// wasm -> host -> wasm: a trap in the inner call comes out of the outer one
// (the dispatch loop's pending error is shared by nested runs), and the store
// stays usable.
TEST_F(Fixture, TrapsThroughReentrantHostCalls) {
  const char* text = R"((module
    (import "host" "reenter" (func $reenter (param i32) (result i32)))
    (func $inner (export "inner") (param i32) (result i32)
      (if (i32.lt_s (local.get 0) (i32.const 0)) (then unreachable))
      (i32.mul (local.get 0) (i32.const 2)))
    (func (export "outer") (param i32) (result i32)
      (i32.add (call $reenter (local.get 0)) (i32.const 1)))))";
  linker.func_wrap("host", "reenter", [](Caller& caller, int32_t x) -> Expected<int32_t> {
    std::optional<Extern> inner = caller.get_export("inner");
    if (!inner || !inner->func()) return Error(ErrorKind::Trap, "no inner");
    Expected<TypedFunc<int32_t(int32_t)>> typed = inner->func()->typed<int32_t(int32_t)>();
    if (!typed) return typed.error();
    return typed->call(x);
  });
  Expected<Instance> instance = linker.instantiate(store, *Module::from_text(engine, text));
  ASSERT_TRUE(instance.has_value()) << instance.error().to_string();
  auto outer = instance->get_typed_func<int32_t(int32_t)>("outer");
  EXPECT_EQ(*outer->call(5), 11);
  Expected<int32_t> trapped = outer->call(-1);
  ASSERT_FALSE(trapped.has_value());
  EXPECT_EQ(trapped.error().kind, ErrorKind::Trap);
  EXPECT_EQ(trapped.error().message, "unreachable");
  ASSERT_GE(trapped.error().trace.size(), 2u);
  EXPECT_EQ(trapped.error().trace[0].function, "inner");
  EXPECT_EQ(*outer->call(7), 15);
  Expected<int32_t> again = outer->call(-2);
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().message, "unreachable");
  EXPECT_EQ(*outer->call(0), 1);
}

TEST_F(Fixture, CallerGivesMemoryAccess) {
  const char* text = R"((module
    (import "host" "sum" (func $sum (param i32 i32) (result i32)))
    (memory (export "memory") 1)
    (data (i32.const 8) "\01\02\03\04")
    (func (export "run") (result i32) (call $sum (i32.const 8) (i32.const 4)))))";
  linker.func_wrap("host", "sum", [](Caller& caller, int32_t ptr, int32_t len) -> int32_t {
    std::optional<Memory> memory = caller.memory();
    int32_t total = 0;
    for (int32_t i = 0; i < len; ++i) total += memory->span()[ptr + i];
    return total;
  });
  Expected<Instance> instance = linker.instantiate(store, *Module::from_text(engine, text));
  ASSERT_TRUE(instance.has_value()) << instance.error().to_string();
  EXPECT_EQ(*instance->get_typed_func<int32_t()>("run")->call(), 10);
}

TEST_F(Fixture, DynamicHostFunction) {
  const char* text = R"((module
    (import "host" "mul" (func $mul (param i64 i64) (result i64)))
    (func (export "run") (result i64) (call $mul (i64.const 6) (i64.const 7)))))";
  linker.func_new("host", "mul", FuncType{{ValKind::I64, ValKind::I64}, {ValKind::I64}},
                  [](Caller&, std::span<const Val> args, std::span<Val> results) -> Expected<void> {
                    results[0] = Val(args[0].i64() * args[1].i64());
                    return {};
                  });
  Expected<Instance> instance = linker.instantiate(store, *Module::from_text(engine, text));
  ASSERT_TRUE(instance.has_value()) << instance.error().to_string();
  EXPECT_EQ(*instance->get_typed_func<int64_t()>("run")->call(), 42);
}

TEST_F(Fixture, UnlinkableImports) {
  Expected<Module> module = Module::from_text(engine, kPlugin);
  Expected<Instance> missing = linker.instantiate(store, *module);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().kind, ErrorKind::Unlinkable);
  // A host function with the wrong signature.
  linker.func_wrap("host", "add_offset", [](int64_t x) { return x; });
  linker.func_wrap("host", "log", [](int32_t, int64_t, float, double) {});
  Expected<Instance> wrong = linker.instantiate(store, *module);
  ASSERT_FALSE(wrong.has_value());
  EXPECT_EQ(wrong.error().message, "incompatible import type");
}

TEST(Api, ModuleReflection) {
  Engine engine;
  Expected<Module> module = Module::from_text(engine, kPlugin);
  ASSERT_TRUE(module.has_value());
  std::vector<ImportType> imports = module->imports();
  ASSERT_EQ(imports.size(), 2u);
  EXPECT_EQ(imports[0].module, "host");
  EXPECT_EQ(imports[0].name, "add_offset");
  EXPECT_EQ(imports[0].type.func, (FuncType{{ValKind::I32}, {ValKind::I32}}));
  std::vector<ExportType> exports = module->exports();
  ASSERT_GE(exports.size(), 4u);
  EXPECT_EQ(exports[0].name, "memory");
  EXPECT_EQ(exports[0].type.kind, ExternKind::Memory);
  EXPECT_EQ(exports[0].type.memory.limits.max, 4u);
}

TEST(Api, MalformedAndInvalidModules) {
  Engine engine;
  std::vector<uint8_t> truncated = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00};
  Expected<Module> m = Module::compile(engine, truncated);
  ASSERT_FALSE(m.has_value());
  EXPECT_EQ(m.error().kind, ErrorKind::Malformed);
  Expected<Module> invalid = Module::from_text(engine, "(module (func (result i32) (i64.const 0)))");
  ASSERT_FALSE(invalid.has_value());
  EXPECT_EQ(invalid.error().kind, ErrorKind::Invalid);
}

TEST(Api, ModulesAreSharedAcrossStores) {
  Engine engine;
  Expected<Module> module = Module::from_text(engine, "(module (global (export \"g\") (mut i32) (i32.const 1)))");
  ASSERT_TRUE(module.has_value());
  Store a(engine), b(engine);
  Linker linker(engine);
  Instance ia = *linker.instantiate(a, *module);
  Instance ib = *linker.instantiate(b, *module);
  ASSERT_TRUE(ia.get_global("g")->set(Val(int32_t{5})).has_value());
  EXPECT_EQ(ib.get_global("g")->get().i32(), 1);  // separate state
}

}  // namespace
}  // namespace kiln

namespace kiln {
namespace {

const char* kSpin = R"((module
  (memory (export "memory") 1)
  (func (export "spin") (loop $l (br $l)))
  (func (export "count") (param i32) (result i32) (local i32)
    (loop $l
      (local.set 1 (i32.add (local.get 1) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get 1) (local.get 0))))
    (local.get 1))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))))";

TEST(Limits, FuelStopsAnInfiniteLoopAndCanBeRefilled) {
  Config config;
  config.consume_fuel = true;
  Engine engine(config);
  Store store(engine);
  Linker linker(engine);
  Instance instance = *linker.instantiate(store, *Module::from_text(engine, kSpin));
  ASSERT_TRUE(store.set_fuel(10000).has_value());
  Expected<void> r = instance.get_typed_func<void()>("spin")->call();
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, ErrorKind::Trap);
  EXPECT_EQ(r.error().message, "all fuel consumed");
  EXPECT_EQ(*store.fuel(), 0u);
  // The store stays usable: with fuel again, a finite loop completes.
  ASSERT_TRUE(store.set_fuel(1000000).has_value());
  EXPECT_EQ(*instance.get_typed_func<int32_t(int32_t)>("count")->call(1000), 1000);
  uint64_t left = *store.fuel();
  EXPECT_LT(left, 1000000u);
  EXPECT_GT(left, 1000000u - 20000);  // about a dozen instructions per iteration
}

TEST(Limits, FuelIsAnErrorWhenNotEnabled) {
  Engine engine;
  Store store(engine);
  EXPECT_FALSE(store.set_fuel(10).has_value());
}

TEST(Limits, EpochDeadlineInterrupts) {
  Config config;
  config.epoch_interruption = true;
  Engine engine(config);
  Store store(engine);
  Linker linker(engine);
  Instance instance = *linker.instantiate(store, *Module::from_text(engine, kSpin));
  store.set_epoch_deadline(1);
  std::thread ticker([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    engine.increment_epoch();
  });
  Expected<void> r = instance.get_typed_func<void()>("spin")->call();
  ticker.join();
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, ErrorKind::Trap);
  EXPECT_EQ(r.error().message.rfind("interrupted", 0), 0u);
  store.set_epoch_deadline(1);
  EXPECT_EQ(*instance.get_typed_func<int32_t(int32_t)>("count")->call(5), 5);
}

// Caps the total memory of a store.
class BudgetLimiter : public ResourceLimiter {
 public:
  explicit BudgetLimiter(uint64_t budget) : budget_(budget) {}
  bool memory_growing(uint64_t current, uint64_t desired, std::optional<uint64_t>) override {
    if (used_ - current + desired > budget_) return false;
    used_ = used_ - current + desired;
    return true;
  }
  bool table_growing(uint64_t, uint64_t desired, std::optional<uint64_t>) override { return desired <= 100; }
  bool instance_creating(uint64_t existing) override { return existing < 2; }
  uint64_t used_ = 0;

 private:
  uint64_t budget_;
};

TEST(Limits, LimiterCapsMemoryGrowthAndInstances) {
  Engine engine;
  Store store(engine);
  BudgetLimiter limiter(4 * 65536);
  store.set_limiter(&limiter);
  Linker linker(engine);
  Expected<Module> module = Module::from_text(engine, kSpin);
  Instance instance = *linker.instantiate(store, *module);
  EXPECT_EQ(limiter.used_, 65536u);
  auto grow = instance.get_typed_func<int32_t(int32_t)>("grow");
  EXPECT_EQ(*grow->call(2), 1);   // 3 pages
  EXPECT_EQ(*grow->call(2), -1);  // 5 would exceed the budget: memory.grow fails, no trap
  EXPECT_EQ(*grow->call(1), 3);   // 4 fits
  // The second instance would need another page: refused cleanly.
  Expected<Instance> second = linker.instantiate(store, *module);
  ASSERT_FALSE(second.has_value());
  EXPECT_EQ(second.error().kind, ErrorKind::Uninstantiable);
}

}  // namespace
}  // namespace kiln
