// The interpreter's translation tricks (lazy operands, result redirection,
// compare-and-branch fusion, folded address adds, merged copies) on the cases
// where doing them naively would give wrong results.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

#include "interp/disassembler.h"
#include "interp/interpreter.h"
#include "interp/translator.h"
#include "kiln/kiln.hpp"
#include "runtime/engine.h"
#include "runtime/module.h"

namespace kiln {
namespace {

// The text of tests/golden/interp/NAME.wat: the modules these tests run,
// whose translated code the golden listings beside them pin.
std::string golden_module(const std::string& name) {
  // Some are read before any test runs (constants): a missing one is
  // reported here and then fails the tests that load it.
  std::ifstream file(std::string(KILN_GOLDEN_DIR) + "/" + name + ".wat");
  if (!file) std::fprintf(stderr, "no golden module %s\n", name.c_str());
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

struct Interp : ::testing::Test {
  Engine engine;
  Store store{engine};
  Linker linker{engine};

  Instance load(const std::string& text) {
    Expected<Module> module = Module::from_text(engine, text);
    EXPECT_TRUE(module.has_value()) << (module ? "" : module.error().to_string());
    Expected<Instance> instance = linker.instantiate(store, *module);
    EXPECT_TRUE(instance.has_value()) << (instance ? "" : instance.error().to_string());
    return *instance;
  }
};

// The interpreter code of every function of a module, as `kiln inspect --code`
// lists it: to check that a test exercises the fused form it is about.
std::string listing(const std::string& text) {
  runtime::Engine engine(interp::with_interpreter({}));
  auto module = runtime::Module::from_bytes_or_text(engine, std::vector<uint8_t>(text.begin(), text.end()));
  EXPECT_TRUE(module.has_value());
  return module ? interp::disassemble_functions(**module) : "";
}

TEST_F(Interp, PendingLocalReadSurvivesAWriteToThatLocal) {
  Instance i = load(golden_module("pending_local_read_survives_a_write_to_that_local"));
  EXPECT_EQ(*i.get_typed_func<int32_t(int32_t)>("f")->call(5), 5 - 15);
}

TEST_F(Interp, TeeWithPendingReads) {
  Instance i = load(golden_module("tee_with_pending_reads"));
  // old + 3*old + 3*old
  EXPECT_EQ(*i.get_typed_func<int32_t(int32_t)>("f")->call(2), 2 + 6 + 6);
}

TEST_F(Interp, SetOfALocalFromItself) {
  Instance i = load(golden_module("set_of_a_local_from_itself"));
  EXPECT_EQ(*i.get_typed_func<int32_t(int32_t, int32_t)>("f")->call(7, 100), 7 + 14);
}

TEST_F(Interp, CompareFusedIntoBranchAndIf) {
  Instance i = load(golden_module("compare_fused_into_branch_and_if"));
  auto max = i.get_typed_func<int32_t(int32_t, int32_t)>("max");
  EXPECT_EQ(*max->call(3, -4), 3);
  EXPECT_EQ(*max->call(-3, 4), 4);
  EXPECT_EQ(*i.get_typed_func<int32_t(int64_t)>("count_below")->call(17), 17);
  auto is_zero = i.get_typed_func<int32_t(int64_t)>("is_zero");
  EXPECT_EQ(*is_zero->call(0), 1);
  EXPECT_EQ(*is_zero->call(int64_t{1} << 40), 0);  // only the high half set
}

TEST_F(Interp, CompareResultUsedAsValueIsNotFused) {
  // The comparison is kept in a local and also used as the branch condition.
  Instance i = load(golden_module("compare_result_used_as_value_is_not_fused"));
  auto f = i.get_typed_func<int32_t(int32_t, int32_t)>("f");
  EXPECT_EQ(*f->call(1, 2), 42);  // taken: the block's value
  EXPECT_EQ(*f->call(2, 1), 0);   // not taken: the comparison's value
}

TEST_F(Interp, AddressAddFoldedIntoLoadsAndStores) {
  Instance i = load(golden_module("address_add_folded_into_loads_and_stores"));
  EXPECT_EQ(*i.get_typed_func<int32_t(int32_t, int32_t)>("f")->call(8, 16), 0x01020304 + 4);
  EXPECT_EQ(*i.get_typed_func<int32_t(int32_t, int32_t)>("wrap")->call(-16, 0x20), 77);
  Expected<int32_t> oob = i.get_typed_func<int32_t(int32_t)>("oob")->call(0);
  ASSERT_FALSE(oob.has_value());
  EXPECT_EQ(oob.error().message, "out of bounds memory access");
}

TEST_F(Interp, MergedCopiesKeepTheirOrder) {
  // A rotation of four locals each iteration: the copies at the loop end run in order.
  Instance i = load(golden_module("merged_copies_keep_their_order"));
  auto rotate = i.get_typed_func<int32_t(int32_t)>("rotate");
  EXPECT_EQ(*rotate->call(1), 2341);
  EXPECT_EQ(*rotate->call(2), 3412);
  EXPECT_EQ(*rotate->call(4), 1234);
}

TEST_F(Interp, BranchValuesThroughBlocksAndTables) {
  Instance i = load(golden_module("branch_values_through_blocks_and_tables"));
  auto f = i.get_typed_func<std::tuple<int32_t, int32_t>(int32_t)>("f");
  EXPECT_EQ(*f->call(0), std::make_tuple(10, 20));
  EXPECT_EQ(*f->call(1), std::make_tuple(110, 20));
  EXPECT_EQ(*f->call(2), std::make_tuple(10, 20));
  EXPECT_EQ(*f->call(99), std::make_tuple(10, 20));
}

TEST_F(Interp, ConstantsAreSharedAndNeverOverwritten) {
  // The same constant used as an operand, a result and a local's value.
  Instance i = load(golden_module("constants_are_shared_and_never_overwritten"));
  auto f = i.get_typed_func<int32_t()>("f");
  EXPECT_EQ(*f->call(), 15);
  EXPECT_EQ(*f->call(), 15);  // a second call starts from fresh constants
}

// The accumulator (src/interp/accumulator.def): a result the next instruction
// reads comes from a register. clz -> and -> load8_u -> sub -> return is one
// such chain: every instruction after the first takes its accumulator form.
const std::string kAccumulatorChain = golden_module("accumulator_chain");

TEST_F(Interp, AccumulatorCarriesAResultToTheNextInstruction) {
  Instance i = load(kAccumulatorChain);
  auto chain = *i.get_typed_func<int32_t(int32_t, int32_t)>("chain");
  EXPECT_EQ(*chain.call(1, 5), 115 - 5);        // clz 31 & 15 = 15: byte 0x73
  EXPECT_EQ(*chain.call(0x10000, 0), 100 + 15);  // clz 15
  EXPECT_EQ(*chain.call(0, 200), 100 - 200);     // clz 32 & 15 = 0
  std::string code = listing(kAccumulatorChain);
  for (const char* form : {"I32AndAccA", "I32Load8UAcc", "I32SubAccA", "Return64Acc"})
    EXPECT_NE(code.find(form), std::string::npos) << form << "\n" << code;
}

// Floats go through the accumulator too, as their bits: f32 and f64 chains
// take accumulator forms, and a consumer reading integer bits (Return64) does
// not take a float producer's value from it.
const std::string kFloatAccumulator = golden_module("float_accumulator");

TEST_F(Interp, AccumulatorCarriesFloats) {
  Instance i = load(kFloatAccumulator);
  auto f32 = *i.get_typed_func<float(int32_t)>("f32");
  auto f64 = *i.get_typed_func<double(int32_t)>("f64");
  EXPECT_EQ(*f32.call(7), 4.5f);
  EXPECT_EQ(*f32.call(-1), 100.0f);  // 2^32 - 1 as unsigned
  EXPECT_EQ(*f64.call(64), 2.0);
  EXPECT_TRUE(std::isnan(*f64.call(-4)));
  auto bytes = *i.get_typed_func<float(int32_t)>("bytes");
  EXPECT_EQ(*bytes.call(0), 0.0f + 255.0f);
  EXPECT_EQ(*bytes.call(1), 128.0f + 0.0f);
  EXPECT_EQ(*i.get_typed_func<double(int32_t)>("byte64")->call(2), 255.0);  // a byte is never negative
  EXPECT_FALSE(bytes.call(65535).has_value());  // the second byte is past the end
  auto clamp = *i.get_typed_func<float(float, float)>("clamp");
  EXPECT_EQ(*clamp.call(200, 100), 255.0f);
  EXPECT_EQ(*clamp.call(1, 2), 3.0f);
  EXPECT_TRUE(std::signbit(*clamp.call(-1, 0.5f)));  // max(-0.5, -0) = -0
  EXPECT_FALSE(std::signbit(*clamp.call(0, 0)));     // max(+0, -0) = +0
  EXPECT_TRUE(std::isnan(*clamp.call(NAN, 1)));
  std::string code = listing(kFloatAccumulator);
  for (const char* form : {"F32MulAddAccA", "F32MinAccA", "F64PromoteF32Acc", "F64SqrtAcc", "F64DivAccA", "F32AddMin",
                           "F32MaxAccA", "F32ConvertLoad8U ", "F32ConvertLoad8UAdd", "F64ConvertLoad8U "})
    EXPECT_NE(code.find(form), std::string::npos) << form << "\n" << code;
  EXPECT_EQ(code.find("Return64Acc"), std::string::npos) << code;
}

TEST_F(Interp, PlainResultsFeedTheAccumulator) {
  const std::string text = golden_module("plain_producers");
  Instance i = load(text);
  EXPECT_EQ(*i.get_typed_func<int32_t(int64_t, int32_t)>("wrap_add")->call(0x123456789ll, 7), 0x23456789 + 7);
  EXPECT_EQ(*i.get_typed_func<float(float, float)>("abs_mul")->call(-1.5f, 4.0f), 6.0f);
  EXPECT_EQ(*i.get_typed_func<double(double, double)>("sqrt_sub")->call(16.0, 0.5), 3.5);
  EXPECT_EQ(*i.get_typed_func<int32_t(int32_t, int32_t)>("eqz_or")->call(0, 2), 3);
  EXPECT_EQ(*i.get_typed_func<int32_t(int32_t, int32_t)>("eqz_or")->call(5, 2), 2);
  std::string code = listing(text);
  for (const char* form : {"I32AddAccA", "F32MulAccA", "F64SubAccA", "I32OrAccA"})
    EXPECT_NE(code.find(form), std::string::npos) << form << "\n" << code;
}

// Where a jump lands the accumulator holds what the jumping path left there
// (here b & 1, its branch condition), not the value in the slot: the xor after
// the block must read the block's result from its slot on both paths.
const std::string kAccumulatorJoin = golden_module("accumulator_join");

TEST_F(Interp, AccumulatorIsNotReadWhereAJumpLands) {
  Instance i = load(kAccumulatorJoin);
  auto join = *i.get_typed_func<int32_t(int32_t, int32_t)>("join");
  EXPECT_EQ(*join.call(10, 1), (10 + 1) ^ 0x100);  // branch taken with a + 1
  EXPECT_EQ(*join.call(10, 2), (10 * 3) ^ 0x100);  // fall through with a * 3
  std::string code = listing(kAccumulatorJoin);
  EXPECT_NE(code.find("BrIfNzAcc"), std::string::npos) << code;  // the condition comes from the and
  EXPECT_NE(code.find("I32Xor "), std::string::npos) << code;    // the join reads its slot
  EXPECT_EQ(code.find("I32XorAcc"), std::string::npos) << code;
}

}  // namespace
}  // namespace kiln

namespace kiln {
namespace {

TEST_F(Interp, FusedSumsThatLiveInLocals) {
  Instance i = load(golden_module("fused_sums_that_live_in_locals"));
  EXPECT_EQ(*i.get_typed_func<int32_t(int32_t)>("store_self")->call(8), 16);
  EXPECT_EQ(*i.get_typed_func<int32_t(int32_t)>("self_compare")->call(41), 42);
  EXPECT_EQ(*i.get_typed_func<int32_t(int32_t, int32_t)>("chain")->call(2, 3), 15);
  EXPECT_EQ(*i.get_typed_func<int32_t(int32_t)>("load_keep")->call(36), 1234 + 40);
}

TEST_F(Interp, FusedFloatPairsRoundEachStep) {
  // (a*b)+c with two roundings, never a fused multiply-add.
  const std::string kMulAdd = golden_module("mul_add");
  Instance i = load(kMulAdd);
  double a = 1.0 + 0x1p-30, b = 1.0 - 0x1p-30, c = -1.0;
  double expected = a * b;  // rounds to 1.0 - 2^-60 -> 1.0 (2^-60 is below half an ulp)
  expected = expected + c;
  EXPECT_EQ(*i.get_typed_func<double(double, double, double)>("muladd")->call(a, b, c), expected);
  // The product is a temporary: the pair is fused (and the product never stored).
  EXPECT_NE(listing(kMulAdd).find("F64MulAdd "), std::string::npos) << listing(kMulAdd);
}

}  // namespace
}  // namespace kiln

namespace kiln {
namespace {

TEST_F(Interp, LoadsFeedingOpsAndOpsFeedingStores) {
  Instance i = load(golden_module("loads_feeding_ops_and_ops_feeding_stores"));
  EXPECT_EQ(*i.get_typed_func<int32_t()>("sub_l")->call(), 7);
  EXPECT_EQ(*i.get_typed_func<int32_t(int32_t)>("sub_r")->call(10), 7);
  EXPECT_EQ(*i.get_typed_func<double(double)>("div_r")->call(5.0), 0.5);
  EXPECT_EQ(*i.get_typed_func<double(double)>("div_l")->call(5.0), 2.0);
  EXPECT_EQ(*i.get_typed_func<double(int32_t, double)>("accumulate")->call(64, 1.5), 16.0);
  EXPECT_EQ(*i.get_typed_func<int32_t(int32_t)>("xor_bytes")->call(32), 0xff);  // byte 32 is 0
  EXPECT_EQ(*i.get_typed_func<int32_t()>("kept_load")->call(), 10 + 1 + 10);
}

}  // namespace
}  // namespace kiln

namespace kiln {
namespace {

TEST_F(Interp, BackEdgesCopyTheLoopHead) {
  // `br` back to a loop whose first instruction is copied before the jump.
  Instance i = load(golden_module("back_edges_copy_the_loop_head"));
  EXPECT_EQ(*i.get_typed_func<int32_t(int32_t)>("sum_to")->call(100), 5050);
  EXPECT_EQ(*i.get_typed_func<int32_t(double)>("float_loop")->call(1024.0), 10);
  // NaN: the fused float comparison must not branch.
  EXPECT_EQ(*i.get_typed_func<int32_t(double)>("float_loop")->call(std::nan("")), 1);
}

}  // namespace
}  // namespace kiln

namespace kiln {
namespace {

TEST_F(Interp, NegatedFloatComparisonsAsConditions) {
  // f32.lt; i32.eqz; br_if: taken for NaN (not less) as well as for >=.
  Instance i = load(golden_module("negated_float_comparisons_as_conditions"));
  auto not_less = i.get_typed_func<int32_t(float, float)>("not_less");
  EXPECT_EQ(*not_less->call(1.0f, 2.0f), 0);
  EXPECT_EQ(*not_less->call(2.0f, 1.0f), 1);
  EXPECT_EQ(*not_less->call(std::nanf(""), 1.0f), 1);
  auto value_of_eqz = i.get_typed_func<int32_t(int32_t, int32_t)>("value_of_eqz");
  EXPECT_EQ(*value_of_eqz->call(1, 2), 0);
  EXPECT_EQ(*value_of_eqz->call(2, 1), 1);
}

}  // namespace
}  // namespace kiln

namespace kiln {
namespace {

TEST_F(Interp, ScaledIndexLoadsAndStores) {
  Instance i = load(golden_module("scaled_index_loads_and_stores"));
  EXPECT_EQ(*i.get_typed_func<int64_t(int32_t)>("fill_and_sum")->call(100), 3 * 4950);
  EXPECT_EQ(*i.get_typed_func<int32_t(int32_t)>("scaled_kept")->call(1), 99 + 8);
}

}  // namespace
}  // namespace kiln

namespace kiln {
namespace {

TEST_F(Interp, MultiplyAccumulateIntoMemory) {
  // c[i] += a * b with the product computed before the load, as clang emits it.
  Instance i = load(golden_module("multiply_accumulate_into_memory"));
  EXPECT_EQ(*i.get_typed_func<double(int32_t, double, double)>("axpy")->call(8, 1.5, 2.0), 6.0);
  EXPECT_EQ(*i.get_typed_func<float(int32_t, float)>("axpy32")->call(16, 3.0f), 9.0f);
}

}  // namespace
}  // namespace kiln

namespace kiln {
namespace {

TEST_F(Interp, Memory64AndMultipleMemories) {
  Instance i = load(golden_module("memory64_and_multiple_memories"));
  EXPECT_EQ(*i.get_typed_func<int32_t(int64_t)>("roundtrip")->call(100), 0x5eed + 7);
  EXPECT_EQ(*i.get_typed_func<int64_t()>("size")->call(), 1);
  EXPECT_EQ(*i.get_typed_func<int64_t(int64_t)>("grow")->call(2), 1);
  EXPECT_EQ(*i.get_typed_func<int64_t(int64_t)>("grow")->call(2), -1);  // beyond the maximum of 4
  EXPECT_EQ(*i.get_typed_func<int64_t()>("size")->call(), 3);
  auto oob = i.get_typed_func<int32_t(int64_t)>("oob");
  EXPECT_TRUE(oob->call(3 * 65536 - 4).has_value());
  EXPECT_FALSE(oob->call(3 * 65536 - 3).has_value());
  EXPECT_FALSE(oob->call(-1).has_value());  // 2^64 - 1: address + size overflows
  Expected<int32_t> huge = i.get_typed_func<int32_t()>("huge_offset")->call();
  ASSERT_FALSE(huge.has_value());
  EXPECT_EQ(huge.error().message, "out of bounds memory access");
  EXPECT_EQ(*i.get_typed_func<int32_t()>("copy")->call(), 0);  // roundtrip wrote at 100 + 0x10, not 0x10
}

TEST_F(Interp, Table64) {
  Instance i = load(golden_module("table64"));
  EXPECT_EQ(*i.get_typed_func<int32_t(int64_t)>("call")->call(1), 7);
  Expected<int32_t> null_entry = i.get_typed_func<int32_t(int64_t)>("call")->call(0);
  ASSERT_FALSE(null_entry.has_value());
  EXPECT_EQ(null_entry.error().message, "uninitialized element");
  Expected<int32_t> far = i.get_typed_func<int32_t(int64_t)>("call")->call(int64_t{1} << 40);
  ASSERT_FALSE(far.has_value());
  EXPECT_EQ(far.error().message, "undefined element");
  EXPECT_EQ(*i.get_typed_func<int64_t()>("size")->call(), 2);
}

}  // namespace
}  // namespace kiln

namespace kiln {
namespace {

const std::string kIndexedLoads = golden_module("indexed_loads");

TEST_F(Interp, IndexedLoadsFeedingOps) {
  Instance i = load(kIndexedLoads);
  // (100 - 2) + (2 - 1000) + 10 * 2
  EXPECT_EQ(*i.get_typed_func<double(int32_t, int32_t, double)>("ops")->call(60, 4, 2.0), -880.0);
  // load(8 + 16) + (8 + 16)
  EXPECT_EQ(*i.get_typed_func<int32_t(int32_t, int32_t)>("tee")->call(8, 16), 5 + 24);
  // c[0] = 1.5 + 4 * 2 = 9.5, then 9.5 + 2 * 4 = 17.5; $x = 32 + 0
  EXPECT_EQ(*i.get_typed_func<double(int32_t, int32_t, double)>("axpy")->call(0, 32, 2.0), 17.5 + 32);
  // c = 16: 1.5 + 4 * 2, plus 16
  EXPECT_EQ(*i.get_typed_func<double(int32_t, int32_t, int32_t, double)>("axpy_indexed")->call(8, 8, 24, 2.0), 25.5);
  // 0.25 + 2 * 3
  EXPECT_EQ(*i.get_typed_func<float(int32_t, int32_t, float)>("axpy32")->call(8, 0, 3.0f), 6.25f);
  // c[16] = 1.5 + 4 * 2, c[24] = 2.5 + 8 * 2, then c and x: 24 + 56
  auto twice = *i.get_typed_func<double(int32_t, int32_t, int32_t, double)>("axpy_twice");
  EXPECT_EQ(*twice.call(8, 8, 40, 2.0), 9.5 + 18.5 + 80);
  Expected<double> second_out = twice.call(65536 - 16, 8, 40, 2.0);  // the second c[] is past the end
  ASSERT_FALSE(second_out.has_value());
  EXPECT_EQ(second_out.error().message, "out of bounds memory access");
  std::string code = listing(kIndexedLoads);
  for (const char* fused : {"F64SubLoadIndexedL", "F64SubLoadIndexedR", "F64MulLoadIndexed", "I32AddLoadIndexed",
                            "F64AxpyRmw", "F32AxpyRmw", "F64AxpyIndexedRmw", "F64AxpyIndexedRmwTwice"})
    EXPECT_NE(code.find(fused), std::string::npos) << fused << " not used:\n" << code;
  // An out-of-bounds indexed load still traps.
  Expected<double> oob = i.get_typed_func<double(int32_t, int32_t, double)>("ops")->call(65536 - 8, 0, 1.0);
  ASSERT_FALSE(oob.has_value());
  EXPECT_EQ(oob.error().message, "out of bounds memory access");
}

// One round: c[i] += k * x[i]; c[i + 8] += k * x[i + 8], with $p and $xs left
// at the second element.
// The loop `c[j] += k * x[j]`, unrolled by two as clang does, runs in one
// instruction (F64AxpyLoop) when nothing it reads is written in it but the
// counter; its locals end with the values the loop left them.
const std::string kAxpyLoop = golden_module("axpy_loop");

TEST_F(Interp, AxpyLoopRunsInOneInstruction) {
  Instance i = load(kAxpyLoop);
  auto run = *i.get_typed_func<double(int32_t, double)>("run");
  // sum of 100 j + 3 j over j < 64, plus p + xs + i = (4096 + 504) + 504 + 512
  EXPECT_EQ(*run.call(64, 3.0), 103.0 * (63 * 64 / 2) + 4600 + 504 + 512);
  // n = 2: the loop runs once
  EXPECT_EQ(*run.call(2, 0.5), 100.5 * 1 + (4096 + 8) + 8 + 16);
  Expected<void> trapped = i.get_typed_func<void(int32_t)>("trap")->call(8);
  ASSERT_FALSE(trapped.has_value());
  EXPECT_EQ(trapped.error().message, "out of bounds memory access");
  // the trace names the loop's function and its instruction's offset
  ASSERT_FALSE(trapped.error().trace.empty());
  EXPECT_EQ(trapped.error().trace[0].function, "axpy");
  EXPECT_TRUE(trapped.error().trace[0].offset.has_value());
  // c = 65504: elements 0..3 (bytes 65504..65535) were updated before the trap
  auto at = *i.get_typed_func<double(int32_t)>("load");
  EXPECT_EQ(*at.call(65504 + 24), 3.0);
  EXPECT_EQ(*at.call(65504 + 8), 1.0);
  EXPECT_NE(listing(kAxpyLoop).find("F64AxpyLoop"), std::string::npos) << listing(kAxpyLoop);
}

// The same loop whose end is a slot the loop writes ($xs): never one instruction.
const std::string kAxpyLoopReadingWhatItWrites = golden_module("axpy_loop_reading_what_it_writes");

// The same loop whose first sum goes to the counter's slot: the second sum and
// the branch read the counter after that store. Never one instruction.
const std::string kAxpyLoopSumToCounter = golden_module("axpy_loop_sum_to_counter");

TEST_F(Interp, AxpyLoopNotFusedWhenASumGoesToTheCounter) {
  Instance i = load(kAxpyLoopSumToCounter);
  // c = 8: i = 8 + i, then i + 16: 24, 48, 72 (the end). Counting in steps of
  // 16 from 0 instead, the loop would miss the end and run off memory.
  EXPECT_EQ(*i.get_typed_func<int32_t(int32_t, int32_t, int32_t, double)>("axpy")->call(8, 1024, 72, 1.0), 72);
  std::string code = listing(kAxpyLoopSumToCounter);
  EXPECT_EQ(code.find("AxpyLoop"), std::string::npos) << code;
}

TEST_F(Interp, AxpyLoopNotFusedWhenItReadsWhatItWrites) {
  Instance i = load(kAxpyLoopReadingWhatItWrites);
  // x = 8: after one round i = 16 = xs (8 + 0 + 8); with $xs read once (1000)
  // the loop would run on to 1008
  EXPECT_EQ(*i.get_typed_func<int32_t(int32_t, int32_t, int32_t, double)>("axpy")->call(4096, 8, 1000, 1.0), 16);
  std::string code = listing(kAxpyLoopReadingWhatItWrites);
  EXPECT_EQ(code.find("AxpyLoop"), std::string::npos) << code;
  EXPECT_NE(code.find("F64AxpyIndexedRmwTwice"), std::string::npos) << code;
}

// Two additions in a row run as one instruction (AddPair*), an addition
// jumps straight into the next instruction's handler (I32AddThen*); a jump to
// the second still runs only the second.
const std::string kAddPairs = golden_module("add_pairs");

TEST_F(Interp, AddPairs) {
  Instance i = load(kAddPairs);
  // s = 5n, p = 3n, i = n
  EXPECT_EQ(*i.get_typed_func<int64_t(int32_t)>("steps")->call(7), 5 * 7 + 3 * 7 + 7);
  auto join = *i.get_typed_func<int32_t(int32_t, int32_t)>("join");
  EXPECT_EQ(*join.call(0, 1), (12 + 100) * 1000 + 12);  // both additions of the pair
  EXPECT_EQ(*join.call(1, 1), (2 + 100) * 1000 + 2);    // the jump lands on the second
  std::string code = listing(kAddPairs);
  // 77 + (q + 5) + (q + 1)
  EXPECT_EQ(*i.get_typed_func<int32_t(int32_t, int32_t)>("then")->call(8, 10), 77 + 15 + 11);
  for (const char* fused : {"AddPairI32I64", "AddPairI32I32", "I32AddThenI32Load", "I32AddThenI32AddAccA"})
    EXPECT_NE(code.find(fused), std::string::npos) << fused << " not used:\n" << code;
}

// Then forms chained: a byte loaded and stored back xor 255
// (I32Load8UAddThenI32XorStore8AccA), and a float rounded, clamped and stored
// as a byte (F32AddAccA then a guarded truncation then the store), as image
// filters do.
const std::string kThenChains = golden_module("then_chains");

TEST_F(Interp, ThenChains) {
  Instance i = load(kThenChains);
  auto byte = *i.get_typed_func<int32_t(int32_t)>("byte");
  auto set = *i.get_typed_func<void(int32_t, int32_t)>("set");
  auto invert = *i.get_typed_func<void(int32_t, int32_t)>("invert");
  ASSERT_TRUE(set.call(100, 0x0f).has_value());
  ASSERT_TRUE(set.call(101, 0xa5).has_value());
  ASSERT_TRUE(invert.call(100, 2).has_value());
  EXPECT_EQ(*byte.call(100), 0xf0);
  EXPECT_EQ(*byte.call(101), 0x5a);
  // the second byte is past the end: the first is inverted, then the trap
  ASSERT_TRUE(set.call(65535, 0x01).has_value());
  Expected<void> out = invert.call(65535, 2);
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().message, "out of bounds memory access");
  EXPECT_EQ(*byte.call(65535), 0xfe);
  auto round = *i.get_typed_func<void(int32_t, float, float, float)>("round");
  auto rounded = [&](float a, float b, float c) {
    EXPECT_TRUE(round.call(8, a, b, c).has_value());
    return *byte.call(17);
  };
  EXPECT_EQ(rounded(100, 0.25f, 0.125f), 200);   // 200.375 + 0.5
  EXPECT_EQ(rounded(100, 0.25f, 0.5f), 201);     // 200.75 + 0.5
  EXPECT_EQ(rounded(200, 0, 0), 255);            // clamped: 255.5
  EXPECT_EQ(rounded(-10, 0, 0), 256 - 19);       // -19.5 truncates to -19
  EXPECT_EQ(rounded(INFINITY, -INFINITY, 0), 0);  // NaN: INT_MIN, low byte 0
  EXPECT_EQ(rounded(-1e30f, 0, 0), 0);            // below -2^31: INT_MIN
  // two pixels from 200: (10, 20, 30) and white
  for (int k = 0; k < 3; ++k) {
    ASSERT_TRUE(set.call(200 + k, 10 * (k + 1)).has_value());
    ASSERT_TRUE(set.call(204 + k, 255).has_value());
  }
  ASSERT_TRUE(i.get_typed_func<void(int32_t, int32_t)>("luma")->call(200, 208).has_value());
  for (int k = 0; k < 3; ++k) {
    EXPECT_EQ(*byte.call(200 + k), (77 * 10 + 150 * 20 + 29 * 30 + 128) >> 8);
    EXPECT_EQ(*byte.call(204 + k), 255);
  }
  auto dot = *i.get_typed_func<float(float, float, float)>("dot");
  EXPECT_EQ(*dot.call(4, 2, 1), 4.0f);
  EXPECT_EQ(*dot.call(400, 2, 1), 100.0f);
  std::string code = listing(kThenChains);
  for (const char* fused : {"I32Load8UAddThenI32XorStore8AccA",
                            "F32AddAccAThenI32TruncF32SGuardedAccThenI32Store8AddAccValue",
                            "I32Load8UThenI32MulAccA", "I32Load8UThenI32MulAddAccA", "I32Store8ThenAddBrI32Ne",
                            "F32MulThenF32MulAddAccC"})
    EXPECT_NE(code.find(fused), std::string::npos) << fused << " not used:\n" << code;
}

// c[i] += x as one instruction keeps the loaded value and the sum in
// registers; when the code keeps either in a local (local.tee), the fused form
// must not be used, or the local would miss its value.
const std::string kReadModifyWrite = golden_module("read_modify_write");

TEST_F(Interp, ReadModifyWriteKeepsLocalsRight) {
  Instance i = load(kReadModifyWrite);
  // memory starts zeroed: [16] = 0 + 7, [24] = 0 + 1.5 * 4
  EXPECT_EQ(*i.get_typed_func<double(int32_t, int32_t, double, double)>("rmw")->call(16, 7, 1.5, 4.0), 6.0 + 7);
  EXPECT_EQ(*i.get_typed_func<int32_t(int32_t, int32_t)>("tee_sum")->call(32, 2), 42 + 42);
  EXPECT_EQ(*i.get_typed_func<double(int32_t, double, double)>("tee_product")->call(40, 2.0, 3.0), 6.0 + 6.5);
  std::string code = listing(kReadModifyWrite);
  for (const char* fused : {"I32AddRmw", "F64MulAddRmw"})
    EXPECT_NE(code.find(fused), std::string::npos) << fused << " not used:\n" << code;
}

// A loaded value feeding an op, or an op's result feeding a store, is fused
// only as a temporary; kept in a local (local.tee) it must still reach it.
const std::string kTeedIntermediates = golden_module("teed_intermediates");

TEST_F(Interp, TeedIntermediatesAreKept) {
  Instance i = load(kTeedIntermediates);
  // (40 + 2) + (40 + 2) + 40
  EXPECT_EQ(*i.get_typed_func<int32_t(int32_t, int32_t)>("load_op")->call(8, 2), 124);
  // (5 + 3) + 6 + 6
  EXPECT_EQ(*i.get_typed_func<int32_t(int32_t, int32_t)>("op_store")->call(16, 5), 8 + 6 + 6);
  std::string code = listing(kTeedIntermediates);
  for (const char* fused : {"I32AddLoad ", "I32AddStore "})
    EXPECT_NE(code.find(fused), std::string::npos) << fused << " not used:\n" << code;
}

// `(int)f` as clang compiles it without non-trapping conversions: a guard
// |x| < 2^N around the trapping truncation, INT_MIN otherwise; as an if/else
// and as two blocks with local.sets. Each becomes one guarded truncation.
const std::string kGuardedTruncations = golden_module("guarded_truncations");

TEST_F(Interp, GuardedTruncationIdiom) {
  Instance i = load(kGuardedTruncations);
  const float inf = INFINITY, nan = NAN;
  for (const char* name : {"if_f32_i32", "blocks_f32_i32"}) {
    auto f = *i.get_typed_func<int32_t(float)>(name);
    EXPECT_EQ(*f.call(2.9f), 2) << name;
    EXPECT_EQ(*f.call(-2.9f), -2) << name;
    EXPECT_EQ(*f.call(2147483520.0f), 2147483520) << name;  // the largest float below 2^31
    EXPECT_EQ(*f.call(2147483648.0f), INT32_MIN) << name;
    EXPECT_EQ(*f.call(-2147483648.0f), INT32_MIN) << name;
    EXPECT_EQ(*f.call(1e20f), INT32_MIN) << name;
    EXPECT_EQ(*f.call(-inf), INT32_MIN) << name;
    EXPECT_EQ(*f.call(nan), INT32_MIN) << name;
  }
  auto f64_i32 = *i.get_typed_func<int32_t(double)>("if_f64_i32");
  EXPECT_EQ(*f64_i32.call(2147483647.9), 2147483647);
  EXPECT_EQ(*f64_i32.call(-2147483647.9), -2147483647);
  EXPECT_EQ(*f64_i32.call(2147483648.0), INT32_MIN);
  EXPECT_EQ(*f64_i32.call(-nan), INT32_MIN);
  auto f32_i64 = *i.get_typed_func<int64_t(float)>("if_f32_i64");
  EXPECT_EQ(*f32_i64.call(-1e18f), static_cast<int64_t>(-1e18f));
  EXPECT_EQ(*f32_i64.call(9.3e18f), INT64_MIN);
  EXPECT_EQ(*f32_i64.call(inf), INT64_MIN);
  auto f64_i64 = *i.get_typed_func<int64_t(double)>("if_f64_i64");
  EXPECT_EQ(*f64_i64.call(-123456789012.75), -123456789012);
  EXPECT_EQ(*f64_i64.call(9223372036854775808.0), INT64_MIN);
  EXPECT_EQ(*f64_i64.call(nan), INT64_MIN);
  auto other = *i.get_typed_func<int32_t(float)>("other_limit");
  EXPECT_EQ(*other.call(1e9f), 1000000000);
  EXPECT_EQ(*other.call(2e9f), INT32_MIN);
  auto second_jump = *i.get_typed_func<int32_t(float, int32_t)>("second_jump");
  EXPECT_EQ(*second_jump.call(7.5f, 0), 7);
  EXPECT_EQ(*second_jump.call(7.5f, 1), INT32_MIN);  // the other jump still reaches the INT_MIN arm
  std::string code = listing(kGuardedTruncations);
  for (const char* fused : {"I32TruncF32SGuarded", "I32TruncF64SGuarded", "I64TruncF32SGuarded", "I64TruncF64SGuarded"})
    EXPECT_NE(code.find(fused), std::string::npos) << fused << " not used:\n" << code;
  size_t guarded = 0;
  for (size_t at = code.find("Guarded"); at != std::string::npos; at = code.find("Guarded", at + 1)) ++guarded;
  EXPECT_EQ(guarded, 5u) << code;  // every function but other_limit and second_jump
}

// A switch loop: a tiny bytecode interpreter whose `br_table` heads the loop, so
// each back edge gets a copy of the dispatch (with targets both already known
// and still to be patched), and one whose targets take a value (stubs).
const std::string kSwitchLoops = golden_module("switch_loops");

TEST_F(Interp, BackEdgesCopyASwitchDispatch) {
  Instance i = load(kSwitchLoops);
  // inc, double, inc, double, double, halt: ((0 + 1) * 2 + 1) * 2 * 2
  EXPECT_EQ(*i.get_typed_func<int32_t(int32_t)>("vm")->call(0), 12);
  EXPECT_EQ(*i.get_typed_func<int32_t(int32_t)>("vm")->call(2), 4);
  // three incs by 3, then halt with the value
  EXPECT_EQ(*i.get_typed_func<int32_t(int32_t)>("vm_values")->call(0), 9);
  std::string code = listing(kSwitchLoops);
  size_t tables = 0;
  for (size_t at = code.find("BrTable"); at != std::string::npos; at = code.find("BrTable", at + 1)) ++tables;
  EXPECT_EQ(tables, 5u) << code;  // each function's own and one per back edge
}

// The same loop over 32-bit opcodes, `switch (code[pc])` as C compiles it: the
// br_table takes in the scaled load of its index (BrTableLoadScaled), also in
// the copies at the back edges; an opcode past the table takes the default.
const std::string kWordSwitch = golden_module("word_switch");

TEST_F(Interp, SwitchOnALoadedWord) {
  Instance i = load(kWordSwitch);
  // inc, double, inc, double, then 7: past the table, the default (halt)
  EXPECT_EQ(*i.get_typed_func<int32_t(int32_t)>("vm")->call(0), 6);
  EXPECT_EQ(*i.get_typed_func<int32_t(int32_t)>("vm")->call(2), 2);
  std::string code = listing(kWordSwitch);
  size_t fused = 0;
  // (" BrTableLoadScaled": the instruction itself, not a then form leading to it)
  for (size_t at = code.find(" BrTableLoadScaled"); at != std::string::npos; at = code.find(" BrTableLoadScaled", at + 1))
    ++fused;
  EXPECT_EQ(fused, 3u) << code;  // the function's own and one per back edge
  // An index loaded from outside memory traps.
  Expected<int32_t> oob = i.get_typed_func<int32_t(int32_t)>("vm")->call(20000);
  ASSERT_FALSE(oob.has_value());
  EXPECT_EQ(oob.error().message, "out of bounds memory access");
}

}  // namespace
}  // namespace kiln
