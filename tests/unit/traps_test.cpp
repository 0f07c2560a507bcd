// Every trap wasm code can take has one TrapCode, with the spec's message and
// kind, whichever tier raised it.
#include <gtest/gtest.h>

#include "kiln/kiln.hpp"

namespace kiln {
namespace {

const char* kTraps = R"((module
  (type $v (func))
  (memory 1)
  (table 2 funcref)
  (elem (i32.const 0) $void)
  (func $void)
  (func $i (result i32) (i32.const 1))
  (func (export "unreachable") (unreachable))
  (func (export "memory") (drop (i32.load (i32.const 65536))))
  (func (export "memory_fill") (memory.fill (i32.const 65535) (i32.const 0) (i32.const 2)))
  (func (export "table") (drop (table.get (i32.const 2))))
  (func (export "undefined_element") (call_indirect (type $v) (i32.const 5)))
  (func (export "uninitialized_element") (call_indirect (type $v) (i32.const 1)))
  (func (export "type_mismatch") (drop (call_indirect (result i32) (i32.const 0))))
  (func (export "divide") (drop (i32.div_s (i32.const 1) (i32.const 0))))
  (func (export "overflow") (drop (i32.div_s (i32.const 0x80000000) (i32.const -1))))
  (func (export "conversion") (drop (i32.trunc_f32_s (f32.const nan))))
  (func $recurse (export "recurse") (call $recurse))))";

struct Case {
  const char* export_name;
  TrapCode code;
  ErrorKind kind;
  const char* message;
};

TEST(Traps, EachHasItsCodeKindAndMessage) {
  Engine engine;
  Store store(engine);
  Linker linker(engine);
  Expected<Module> module = Module::from_text(engine, kTraps);
  ASSERT_TRUE(module.has_value()) << module.error().to_string();
  Instance instance = *linker.instantiate(store, *module);
  const Case cases[] = {
      {"unreachable", TrapCode::Unreachable, ErrorKind::Trap, "unreachable"},
      {"memory", TrapCode::MemoryOutOfBounds, ErrorKind::Trap, "out of bounds memory access"},
      {"memory_fill", TrapCode::MemoryOutOfBounds, ErrorKind::Trap, "out of bounds memory access"},
      {"table", TrapCode::TableOutOfBounds, ErrorKind::Trap, "out of bounds table access"},
      {"undefined_element", TrapCode::UndefinedElement, ErrorKind::Trap, "undefined element"},
      {"uninitialized_element", TrapCode::UninitializedElement, ErrorKind::Trap, "uninitialized element"},
      {"type_mismatch", TrapCode::IndirectCallTypeMismatch, ErrorKind::Trap, "indirect call type mismatch"},
      {"divide", TrapCode::IntegerDivideByZero, ErrorKind::Trap, "integer divide by zero"},
      {"overflow", TrapCode::IntegerOverflow, ErrorKind::Trap, "integer overflow"},
      {"conversion", TrapCode::InvalidConversionToInteger, ErrorKind::Trap, "invalid conversion to integer"},
      {"recurse", TrapCode::StackExhausted, ErrorKind::Exhaustion, "call stack exhausted"},
  };
  for (const Case& c : cases) {
    Expected<void> r = instance.get_typed_func<void()>(c.export_name)->call();
    ASSERT_FALSE(r.has_value()) << c.export_name;
    EXPECT_EQ(r.error().trap, c.code) << c.export_name;
    EXPECT_EQ(r.error().kind, c.kind) << c.export_name;
    EXPECT_EQ(r.error().message, c.message) << c.export_name;
    EXPECT_EQ(trap_message(c.code), std::string(c.message));
  }
}

TEST(Traps, FuelAndEpochHaveTheirCodes) {
  Config config;
  config.consume_fuel = true;
  config.epoch_interruption = true;
  Engine engine(config);
  Store store(engine);
  Linker linker(engine);
  Instance instance = *linker.instantiate(store, *Module::from_text(engine, "(module (func (export \"spin\") (loop $l (br $l))))"));
  ASSERT_TRUE(store.set_fuel(1000).has_value());
  Expected<void> fuel = instance.get_typed_func<void()>("spin")->call();
  ASSERT_FALSE(fuel.has_value());
  EXPECT_EQ(fuel.error().trap, TrapCode::OutOfFuel);
  EXPECT_EQ(fuel.error().message, "all fuel consumed");
  ASSERT_TRUE(store.set_fuel(UINT64_MAX).has_value());
  store.set_epoch_deadline(1);
  engine.increment_epoch();
  Expected<void> epoch = instance.get_typed_func<void()>("spin")->call();
  ASSERT_FALSE(epoch.has_value());
  EXPECT_EQ(epoch.error().trap, TrapCode::Interrupted);
  EXPECT_EQ(epoch.error().message, "interrupted: time limit reached");
}

TEST(Traps, HostErrorsHaveNoTrapCode) {
  Engine engine;
  Store store(engine);
  Linker linker(engine);
  linker.func_wrap("host", "fail", []() -> Expected<void> { return Error(ErrorKind::Trap, "host said no"); });
  Instance instance = *linker.instantiate(
      store, *Module::from_text(engine, "(module (import \"host\" \"fail\" (func $f)) (func (export \"go\") (call $f)))"));
  Expected<void> r = instance.get_typed_func<void()>("go")->call();
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().trap, TrapCode::None);
  EXPECT_EQ(r.error().message, "host said no");
}

}  // namespace
}  // namespace kiln

namespace kiln {
namespace {

// The fault handler takes only faults of Kiln's own code: a host function
// that reads the guard region of a memory crashes as it would without Kiln,
// instead of being turned into a wasm trap (which would hide a host bug).
TEST(TrapsDeathTest, HostFaultsInAGuardRegionAreNotTraps) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        Engine engine;
        Store store(engine);
        Linker linker(engine);
        linker.func_wrap("host", "peek", [](Caller& caller) -> int32_t {
          Memory memory = *caller.memory();
          // One page past the end: inside the reservation, not accessible.
          volatile const uint8_t* past = memory.data() + memory.size() + 4096;
          return *past;
        });
        Instance instance = *linker.instantiate(
            store, *Module::from_text(engine, R"((module (import "host" "peek" (func $peek (result i32)))
                 (memory (export "memory") 1) (func (export "go") (result i32) (call $peek))))"));
        (void)instance.get_typed_func<int32_t()>("go")->call();
      },
      "");
}

}  // namespace
}  // namespace kiln
