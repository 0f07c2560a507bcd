// The interpreter's translation tricks (lazy operands, result redirection,
// compare-and-branch fusion, folded address adds, merged copies) on the cases
// where doing them naively would give wrong results.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <string>

#include "interp/disassembler.h"
#include "interp/interpreter.h"
#include "interp/translator.h"
#include "kiln/kiln.hpp"
#include "runtime/engine.h"
#include "runtime/module.h"

namespace kiln {
namespace {

struct Interp : ::testing::Test {
  Engine engine;
  Store store{engine};
  Linker linker{engine};

  Instance load(const char* text) {
    Expected<Module> module = Module::from_text(engine, text);
    EXPECT_TRUE(module.has_value()) << (module ? "" : module.error().to_string());
    Expected<Instance> instance = linker.instantiate(store, *module);
    EXPECT_TRUE(instance.has_value()) << (instance ? "" : instance.error().to_string());
    return *instance;
  }
};

// The interpreter code of every function of a module, as `kiln inspect --code`
// lists it: to check that a test exercises the fused form it is about.
std::string listing(const char* text) {
  runtime::Engine engine(interp::with_interpreter({}));
  auto module = runtime::Module::from_bytes_or_text(engine, std::vector<uint8_t>(text, text + std::strlen(text)));
  EXPECT_TRUE(module.has_value());
  if (!module) return "";
  std::string out;
  for (uint32_t f = 0; f < (*module)->ir().functions.size(); ++f) {
    Expected<std::unique_ptr<interp::Code>> code =
        interp::translate_function(**module, (*module)->ir().num_imported_funcs + f);
    if (code) out += interp::disassemble(**code);
  }
  return out;
}

TEST_F(Interp, PendingLocalReadSurvivesAWriteToThatLocal) {
  Instance i = load(R"((module
    (func (export "f") (param i32) (result i32)
      (local.get 0)                                   ;; pending read of the old value
      (local.set 0 (i32.add (local.get 0) (i32.const 10)))  ;; must not overwrite it first
      (local.get 0)
      (i32.sub))))");
  EXPECT_EQ(*i.get_typed_func<int32_t(int32_t)>("f")->call(5), 5 - 15);
}

TEST_F(Interp, TeeWithPendingReads) {
  Instance i = load(R"((module
    (func (export "f") (param i32) (result i32)
      (local.get 0)
      (local.tee 0 (i32.mul (local.get 0) (i32.const 3)))
      (i32.add)
      (local.get 0)
      (i32.add))))");
  // old + 3*old + 3*old
  EXPECT_EQ(*i.get_typed_func<int32_t(int32_t)>("f")->call(2), 2 + 6 + 6);
}

TEST_F(Interp, SetOfALocalFromItself) {
  Instance i = load(R"((module
    (func (export "f") (param i32 i32) (result i32)
      (local.set 1 (local.get 0))
      (local.set 0 (local.get 1))
      (local.set 1 (i32.add (local.get 1) (local.get 1)))
      (i32.add (local.get 0) (local.get 1)))))");
  EXPECT_EQ(*i.get_typed_func<int32_t(int32_t, int32_t)>("f")->call(7, 100), 7 + 14);
}

TEST_F(Interp, CompareFusedIntoBranchAndIf) {
  Instance i = load(R"((module
    (func (export "max") (param i32 i32) (result i32)
      (if (result i32) (i32.gt_s (local.get 0) (local.get 1)) (then (local.get 0)) (else (local.get 1))))
    (func (export "count_below") (param i64) (result i32) (local i32)
      (block $done
        (loop $l
          (br_if $done (i64.ge_u (i64.extend_i32_u (local.get 1)) (local.get 0)))
          (local.set 1 (i32.add (local.get 1) (i32.const 1)))
          (br $l)))
      (local.get 1))
    (func (export "is_zero") (param i64) (result i32)
      (block $z (br_if $z (i64.eqz (local.get 0))) (return (i32.const 0)))
      (i32.const 1))))");
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
  Instance i = load(R"((module
    (func (export "f") (param i32 i32) (result i32)
      (block $b (result i32)
        (i32.const 42)
        (i32.lt_u (local.get 0) (local.get 1))
        (local.tee 0)
        (br_if $b)
        (drop)
        (local.get 0)))))");
  auto f = i.get_typed_func<int32_t(int32_t, int32_t)>("f");
  EXPECT_EQ(*f->call(1, 2), 42);  // taken: the block's value
  EXPECT_EQ(*f->call(2, 1), 0);   // not taken: the comparison's value
}

TEST_F(Interp, AddressAddFoldedIntoLoadsAndStores) {
  Instance i = load(R"((module
    (memory 1)
    (func (export "f") (param i32 i32) (result i32)
      (i32.store offset=4 (i32.add (local.get 0) (local.get 1)) (i32.const 0x01020304))
      (i32.store8 (i32.add (local.get 0) (i32.const 100)) (i32.load8_u offset=4 (i32.add (local.get 0) (local.get 1))))
      (i32.add
        (i32.load offset=4 (i32.add (local.get 1) (local.get 0)))
        (i32.load8_u (i32.add (local.get 0) (i32.const 100)))))
    (func (export "wrap") (param i32 i32) (result i32)
      ;; the i32 add wraps before the offset is applied: 0xffff_fff0 + 0x20 = 0x10
      (i32.store (i32.const 0x10) (i32.const 77))
      (i32.load (i32.add (local.get 0) (local.get 1))))
    (func (export "oob") (param i32) (result i32)
      (i32.load offset=8 (i32.add (local.get 0) (i32.const 65528))))))");
  EXPECT_EQ(*i.get_typed_func<int32_t(int32_t, int32_t)>("f")->call(8, 16), 0x01020304 + 4);
  EXPECT_EQ(*i.get_typed_func<int32_t(int32_t, int32_t)>("wrap")->call(-16, 0x20), 77);
  Expected<int32_t> oob = i.get_typed_func<int32_t(int32_t)>("oob")->call(0);
  ASSERT_FALSE(oob.has_value());
  EXPECT_EQ(oob.error().message, "out of bounds memory access");
}

TEST_F(Interp, MergedCopiesKeepTheirOrder) {
  // A rotation of four locals each iteration: the copies at the loop end run in order.
  Instance i = load(R"((module
    (func (export "rotate") (param i32) (result i32) (local i32 i32 i32 i32 i32)
      (local.set 1 (i32.const 1)) (local.set 2 (i32.const 2)) (local.set 3 (i32.const 3)) (local.set 4 (i32.const 4))
      (loop $l
        (local.set 5 (local.get 1))
        (local.set 1 (local.get 2))
        (local.set 2 (local.get 3))
        (local.set 3 (local.get 4))
        (local.set 4 (local.get 5))
        (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
      (i32.add (i32.mul (local.get 1) (i32.const 1000))
        (i32.add (i32.mul (local.get 2) (i32.const 100)) (i32.add (i32.mul (local.get 3) (i32.const 10)) (local.get 4)))))))");
  auto rotate = i.get_typed_func<int32_t(int32_t)>("rotate");
  EXPECT_EQ(*rotate->call(1), 2341);
  EXPECT_EQ(*rotate->call(2), 3412);
  EXPECT_EQ(*rotate->call(4), 1234);
}

TEST_F(Interp, BranchValuesThroughBlocksAndTables) {
  Instance i = load(R"((module
    (func (export "f") (param i32) (result i32 i32)
      (block $a (result i32 i32)
        (block $b (result i32 i32)
          (br_table $a $b $a (i32.const 10) (i32.const 20) (local.get 0)))
        (local.set 0)
        (i32.add (i32.const 100))
        (local.get 0)))))");
  auto f = i.get_typed_func<std::tuple<int32_t, int32_t>(int32_t)>("f");
  EXPECT_EQ(*f->call(0), std::make_tuple(10, 20));
  EXPECT_EQ(*f->call(1), std::make_tuple(110, 20));
  EXPECT_EQ(*f->call(2), std::make_tuple(10, 20));
  EXPECT_EQ(*f->call(99), std::make_tuple(10, 20));
}

TEST_F(Interp, ConstantsAreSharedAndNeverOverwritten) {
  // The same constant used as an operand, a result and a local's value.
  Instance i = load(R"((module
    (func (export "f") (result i32) (local i32)
      (local.set 0 (i32.const 5))
      (local.set 0 (i32.add (local.get 0) (i32.const 5)))
      (i32.add (local.get 0) (i32.const 5)))))");
  auto f = i.get_typed_func<int32_t()>("f");
  EXPECT_EQ(*f->call(), 15);
  EXPECT_EQ(*f->call(), 15);  // a second call starts from fresh constants
}

// The accumulator (src/interp/accumulator.def): a result the next instruction
// reads comes from a register. clz -> and -> load8_u -> sub -> return is one
// such chain: every instruction after the first takes its accumulator form.
constexpr const char* kAccumulatorChain = R"((module
    (memory 1)
    (data (i32.const 0) "\64\65\66\67\68\69\6a\6b\6c\6d\6e\6f\70\71\72\73")
    (func (export "chain") (param $a i32) (param $b i32) (result i32)
      (i32.sub (i32.load8_u (i32.and (i32.clz (local.get $a)) (i32.const 15))) (local.get $b)))))";

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
constexpr const char* kFloatAccumulator = R"((module
    (memory 1)
    (data (i32.const 0) "\00\80\ff")
    (func (export "bytes") (param i32) (result f32)  ;; byte loads converted, plain and indexed
      (f32.add (f32.convert_i32_u (i32.load8_u (local.get 0)))
               (f32.convert_i32_s (i32.load8_u offset=1 (i32.add (local.get 0) (i32.const 1))))))
    (func (export "byte64") (param i32) (result f64)
      (f64.convert_i32_s (i32.load8_u (local.get 0))))
    (func (export "f32") (param i32) (result f32)
      (f32.min (f32.add (f32.mul (f32.convert_i32_u (local.get 0)) (f32.const 0.5)) (f32.const 1))
               (f32.const 100)))
    (func (export "f64") (param i32) (result f64)
      (f64.div (f64.sqrt (f64.promote_f32 (f32.convert_i32_s (local.get 0)))) (f64.const 4)))
    (func (export "clamp") (param f32 f32) (result f32)  ;; a min/max pair
      (f32.max (f32.min (f32.add (local.get 0) (local.get 1)) (f32.const 255)) (f32.const -0)))))";

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

// Where a jump lands the accumulator holds what the jumping path left there
// (here b & 1, its branch condition), not the value in the slot: the xor after
// the block must read the block's result from its slot on both paths.
constexpr const char* kAccumulatorJoin = R"((module
    (func (export "join") (param $a i32) (param $b i32) (result i32)
      (block $done (result i32)
        (i32.add (local.get $a) (i32.const 1))
        (br_if $done (i32.and (local.get $b) (i32.const 1)))
        (drop)
        (i32.mul (local.get $a) (i32.const 3)))
      (i32.xor (i32.const 0x100)))))";

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
  Instance i = load(R"((module
    (memory 1)
    ;; the address sum is tee'd into a local that is also the stored value
    (func (export "store_self") (param i32) (result i32) (local i32)
      (i32.store (local.tee 1 (i32.add (local.get 0) (i32.const 8))) (local.get 1))
      (i32.load (i32.const 16)))
    ;; a loop counter compared with itself after the increment
    (func (export "self_compare") (param i32) (result i32)
      (block $out
        (br_if $out (i32.eq (local.tee 0 (i32.add (local.get 0) (i32.const 1))) (local.get 0)))
        (return (i32.const -1)))
      (local.get 0))
    ;; a chain whose intermediate is kept in a local and used again
    (func (export "chain") (param i32 i32) (result i32) (local i32)
      (i32.add (i32.add (local.tee 2 (i32.add (local.get 0) (local.get 1))) (local.get 2)) (local.get 2)))
    ;; a sum used as the address, then read from the local
    (func (export "load_keep") (param i32) (result i32) (local i32)
      (i32.store (i32.const 40) (i32.const 1234))
      (i32.add (i32.load (local.tee 1 (i32.add (local.get 0) (i32.const 4)))) (local.get 1)))))");
  EXPECT_EQ(*i.get_typed_func<int32_t(int32_t)>("store_self")->call(8), 16);
  EXPECT_EQ(*i.get_typed_func<int32_t(int32_t)>("self_compare")->call(41), 42);
  EXPECT_EQ(*i.get_typed_func<int32_t(int32_t, int32_t)>("chain")->call(2, 3), 15);
  EXPECT_EQ(*i.get_typed_func<int32_t(int32_t)>("load_keep")->call(36), 1234 + 40);
}

TEST_F(Interp, FusedFloatPairsRoundEachStep) {
  // (a*b)+c with two roundings, never a fused multiply-add.
  constexpr const char* kMulAdd = R"((module
    (func (export "muladd") (param f64 f64 f64) (result f64)
      (f64.add (f64.mul (local.get 0) (local.get 1)) (local.get 2)))))";
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
  Instance i = load(R"((module
    (memory 1)
    (data (i32.const 0) "\0a\00\00\00\03\00\00\00")
    (data (i32.const 64) "\00\00\00\00\00\00\24\40")   ;; f64 10.0
    (func (export "sub_l") (result i32) (i32.sub (i32.load (i32.const 0)) (i32.load offset=4 (i32.const 0))))
    (func (export "sub_r") (param i32) (result i32) (i32.sub (local.get 0) (i32.load (i32.const 4))))
    (func (export "div_r") (param f64) (result f64) (f64.div (local.get 0) (f64.load (i32.const 64))))
    (func (export "div_l") (param f64) (result f64) (f64.div (f64.load (i32.const 64)) (local.get 0)))
    (func (export "accumulate") (param i32 f64) (result f64)
      ;; c[i] += x * 2, twice: op feeding a store, load feeding an op
      (f64.store (local.get 0) (f64.add (f64.load (local.get 0)) (f64.mul (local.get 1) (f64.const 2))))
      (f64.store (local.get 0) (f64.add (f64.load (local.get 0)) (f64.mul (local.get 1) (f64.const 2))))
      (f64.load (local.get 0)))
    (func (export "xor_bytes") (param i32) (result i32)
      (i32.store8 (local.get 0) (i32.xor (i32.load8_u (local.get 0)) (i32.const 255)))
      (i32.load8_u (local.get 0)))
    (func (export "kept_load") (result i32) (local i32)
      ;; the loaded value is tee'd and used again after the op
      (i32.add (i32.add (local.tee 0 (i32.load (i32.const 0))) (i32.const 1)) (local.get 0)))))");
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
  Instance i = load(R"((module
    (func (export "sum_to") (param i32) (result i32) (local i32)
      (block $done
        (loop $l
          (local.set 1 (i32.add (local.get 1) (local.get 0)))
          (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
          (br_if $done (i32.eqz (local.get 0)))
          (br $l)))
      (local.get 1))
    (func (export "float_loop") (param f64) (result i32) (local i32)
      (loop $l
        (local.set 0 (f64.mul (local.get 0) (f64.const 0.5)))
        (local.set 1 (i32.add (local.get 1) (i32.const 1)))
        (br_if $l (f64.gt (local.get 0) (f64.const 1))))
      (local.get 1))))");
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
  Instance i = load(R"((module
    (func (export "not_less") (param f32 f32) (result i32)
      (block $yes
        (br_if $yes (i32.eqz (f32.lt (local.get 0) (local.get 1))))
        (return (i32.const 0)))
      (i32.const 1))
    (func (export "value_of_eqz") (param i32 i32) (result i32)
      ;; the negated comparison used as a value, not a branch
      (i32.eqz (i32.lt_s (local.get 0) (local.get 1))))))");
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
  Instance i = load(R"((module
    (memory 1)
    (func (export "fill_and_sum") (param i32) (result i64) (local i32 i64)
      ;; a[i] = i * 3 for i < n, as i64 at base 64; then sum them
      (block $done (loop $l
        (br_if $done (i32.ge_u (local.get 1) (local.get 0)))
        (i64.store (i32.add (i32.shl (local.get 1) (i32.const 3)) (i32.const 64))
                   (i64.mul (i64.extend_i32_u (local.get 1)) (i64.const 3)))
        (local.set 1 (i32.add (local.get 1) (i32.const 1)))
        (br $l)))
      (local.set 1 (i32.const 0))
      (block $done (loop $l
        (br_if $done (i32.ge_u (local.get 1) (local.get 0)))
        (local.set 2 (i64.add (local.get 2)
          (i64.load (i32.add (i32.shl (local.get 1) (i32.const 3)) (i32.const 64)))))
        (local.set 1 (i32.add (local.get 1) (i32.const 1)))
        (br $l)))
      (local.get 2))
    (func (export "scaled_kept") (param i32) (result i32) (local i32)
      ;; the scaled address is tee'd and read again
      (i32.store (i32.const 8) (i32.const 99))
      (i32.add (i32.load (local.tee 1 (i32.add (i32.shl (local.get 0) (i32.const 2)) (i32.const 4))))
               (local.get 1)))))");
  EXPECT_EQ(*i.get_typed_func<int64_t(int32_t)>("fill_and_sum")->call(100), 3 * 4950);
  EXPECT_EQ(*i.get_typed_func<int32_t(int32_t)>("scaled_kept")->call(1), 99 + 8);
}

}  // namespace
}  // namespace kiln

namespace kiln {
namespace {

TEST_F(Interp, MultiplyAccumulateIntoMemory) {
  // c[i] += a * b with the product computed before the load, as clang emits it.
  Instance i = load(R"((module
    (memory 1)
    (func (export "axpy") (param i32 f64 f64) (result f64)
      (f64.store (local.get 0) (f64.add (f64.mul (local.get 1) (local.get 2)) (f64.load (local.get 0))))
      (f64.store (local.get 0) (f64.add (f64.mul (local.get 1) (local.get 2)) (f64.load (local.get 0))))
      (f64.load (local.get 0)))
    (func (export "axpy32") (param i32 f32) (result f32)
      (f32.store offset=4 (local.get 0) (f32.add (f32.mul (local.get 1) (local.get 1)) (f32.load offset=4 (local.get 0))))
      (f32.load offset=4 (local.get 0)))))");
  EXPECT_EQ(*i.get_typed_func<double(int32_t, double, double)>("axpy")->call(8, 1.5, 2.0), 6.0);
  EXPECT_EQ(*i.get_typed_func<float(int32_t, float)>("axpy32")->call(16, 3.0f), 9.0f);
}

}  // namespace
}  // namespace kiln

namespace kiln {
namespace {

TEST_F(Interp, Memory64AndMultipleMemories) {
  Instance i = load(R"((module
    (memory $small 1)
    (memory $wide i64 1 4)
    (func (export "roundtrip") (param i64) (result i32)
      (i32.store $wide offset=0x10 (local.get 0) (i32.const 0x5eed))
      (i32.store $small (i32.const 0) (i32.const 7))
      (i32.add (i32.load $wide offset=0x10 (local.get 0)) (i32.load $small (i32.const 0))))
    (func (export "grow") (param i64) (result i64) (memory.grow $wide (local.get 0)))
    (func (export "size") (result i64) (memory.size $wide))
    (func (export "oob") (param i64) (result i32) (i32.load $wide (local.get 0)))
    (func (export "huge_offset") (result i32) (i32.load $wide offset=0xffffffffffff (i64.const 0)))
    (func (export "copy") (result i32)
      ;; between memories of different index widths
      (memory.copy $small $wide (i32.const 100) (i64.const 0x10) (i32.const 4))
      (i32.load $small (i32.const 100)))))");
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
  Instance i = load(R"((module
    (table $t i64 2 funcref)
    (elem (table $t) (i64.const 1) func $seven)
    (type $r (func (result i32)))
    (func $seven (result i32) (i32.const 7))
    (func (export "call") (param i64) (result i32) (call_indirect $t (type $r) (local.get 0)))
    (func (export "size") (result i64) (table.size $t))))");
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

constexpr const char* kIndexedLoads = R"((module
    (memory 1)
    (func (export "ops") (param i32 i32 f64) (result f64)
      (f64.store offset=0 (i32.const 64) (f64.const 10))
      (f64.store offset=8 (i32.const 64) (f64.const 100))
      (f64.store offset=16 (i32.const 64) (f64.const 1000))
      ;; (x[1] - k) + (k - x[2]) + x[0] * k with x at a + b
      (f64.add
        (f64.add (f64.sub (f64.load offset=8 (i32.add (local.get 0) (local.get 1))) (local.get 2))
                 (f64.sub (local.get 2) (f64.load offset=16 (i32.add (local.get 0) (local.get 1)))))
        (f64.mul (f64.load (i32.add (local.get 0) (local.get 1))) (local.get 2))))
    (func (export "tee") (param i32 i32) (result i32)
      (i32.store (i32.const 24) (i32.const 5))
      ;; the sum is stored to local 0, which is then the other operand
      (i32.add (i32.load (local.tee 0 (i32.add (local.get 0) (local.get 1)))) (local.get 0)))
    (func (export "axpy") (param $c i32) (param $x i32) (param $k f64) (result f64)
      (f64.store (i32.const 0) (f64.const 1.5))
      (f64.store (i32.const 40) (f64.const 4))
      ;; c[0] += x[j] * k, then c[0] += k * x[j] with the sum stored to $c
      (f64.store (local.get $c)
        (f64.add (f64.mul (f64.load offset=8 (i32.add (local.get $x) (local.get $c))) (local.get $k))
                 (f64.load (local.get $c))))
      (f64.store (local.get $c)
        (f64.add (f64.mul (local.get $k) (f64.load offset=8 (local.tee $x (i32.add (local.get $x) (local.get $c)))))
                 (f64.load (local.get $c))))
      (f64.add (f64.load (local.get $c)) (f64.convert_i32_u (local.get $x))))
    (func (export "axpy_indexed") (param $c i32) (param $i i32) (param $x i32) (param $k f64) (result f64)
      (f64.store (i32.const 16) (f64.const 1.5))
      (f64.store (i32.const 40) (f64.const 4))
      ;; c = c + i; c[0] += x[i + 1] * k
      (f64.store (local.tee $c (i32.add (local.get $c) (local.get $i)))
        (f64.add (f64.mul (f64.load offset=8 (i32.add (local.get $x) (local.get $i))) (local.get $k))
                 (f64.load (local.get $c))))
      (f64.add (f64.load (local.get $c)) (f64.convert_i32_u (local.get $c))))
    (func (export "axpy_twice") (param $c i32) (param $i i32) (param $x i32) (param $k f64) (result f64)
      (f64.store (i32.const 16) (f64.const 1.5))
      (f64.store (i32.const 24) (f64.const 2.5))
      (f64.store (i32.const 48) (f64.const 4))
      (f64.store (i32.const 56) (f64.const 8))
      ;; c = c + i; x = x + i; c[0] += x[0] * k; then the same from c + 8 and x + 8
      (f64.store (local.tee $c (i32.add (local.get $c) (local.get $i)))
        (f64.add (f64.mul (f64.load (local.tee $x (i32.add (local.get $x) (local.get $i)))) (local.get $k))
                 (f64.load (local.get $c))))
      (f64.store (local.tee $c (i32.add (local.get $c) (i32.const 8)))
        (f64.add (f64.mul (f64.load (local.tee $x (i32.add (local.get $x) (i32.const 8)))) (local.get $k))
                 (f64.load (local.get $c))))
      (f64.add (f64.add (f64.load (i32.const 16)) (f64.load (i32.const 24)))
               (f64.convert_i32_u (i32.add (local.get $c) (local.get $x)))))
    (func (export "axpy32") (param i32 i32 f32) (result f32)
      (f32.store (i32.const 8) (f32.const 2))
      (f32.store (i32.const 16) (f32.const 0.25))
      (f32.store offset=8 (local.get 0)
        (f32.add (f32.mul (f32.load (i32.add (local.get 1) (local.get 0))) (local.get 2))
                 (f32.load offset=8 (local.get 0))))
      (f32.load offset=8 (local.get 0)))))";

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
constexpr const char* kAxpyRound = R"(
        (f64.store (local.tee $p (i32.add (local.get $c) (local.get $i)))
          (f64.add (f64.mul (f64.load (local.tee $xs (i32.add (local.get $x) (local.get $i)))) (local.get $k))
                   (f64.load (local.get $p))))
        (f64.store (local.tee $p (i32.add (local.get $p) (i32.const 8)))
          (f64.add (f64.mul (f64.load (local.tee $xs (i32.add (local.get $xs) (i32.const 8)))) (local.get $k))
                   (f64.load (local.get $p))))
)";
// The loop `c[j] += k * x[j]`, unrolled by two as clang does, runs in one
// instruction (F64AxpyLoop) when nothing it reads is written in it but the
// counter; its locals end with the values the loop left them.
const std::string kAxpyLoop = std::string(R"((module
    (memory 1)
    ;; x[j] = j, c[j] = 100 * j for j < n (8-byte elements from 0 and 4096)
    (func $fill (param $n i32) (local $j i32)
      (loop $l
        (f64.store (i32.shl (local.get $j) (i32.const 3)) (f64.convert_i32_u (local.get $j)))
        (f64.store offset=4096 (i32.shl (local.get $j) (i32.const 3))
          (f64.mul (f64.const 100) (f64.convert_i32_u (local.get $j))))
        (br_if $l (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 1))) (local.get $n)))))
    (func $sum (param $n i32) (result f64) (local $j i32) (local $s f64)
      (loop $l
        (local.set $s (f64.add (local.get $s) (f64.load offset=4096 (i32.shl (local.get $j) (i32.const 3)))))
        (br_if $l (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 1))) (local.get $n))))
      (local.get $s))
    ;; the loop over bytes [0, end) of c and x, two elements per round
    (func $axpy (param $c i32) (param $x i32) (param $end i32) (param $k f64) (param $p i32) (param $xs i32)
                (result i32) (local $i i32)
      (loop $l
)") + kAxpyRound + R"(
        (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 16))) (local.get $end))))
      ;; what the loop left in its locals
      (i32.add (i32.add (local.get $p) (local.get $xs)) (local.get $i)))
    (func (export "run") (param $n i32) (param $k f64) (result f64)
      (call $fill (local.get $n))
      (f64.add (f64.convert_i32_u (call $axpy (i32.const 4096) (i32.const 0) (i32.shl (local.get $n) (i32.const 3))
                                              (local.get $k) (i32.const -1) (i32.const -1)))
               (call $sum (local.get $n))))
    ;; c at the end of memory: the loop traps on its way
    (func (export "trap") (param $n i32)
      (call $fill (local.get $n))
      (drop (call $axpy (i32.const 65504) (i32.const 0) (i32.shl (local.get $n) (i32.const 3)) (f64.const 1)
                        (i32.const 0) (i32.const 0))))
    (func (export "load") (param i32) (result f64) (f64.load (local.get 0)))))";

TEST_F(Interp, AxpyLoopRunsInOneInstruction) {
  Instance i = load(kAxpyLoop.c_str());
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
  EXPECT_NE(listing(kAxpyLoop.c_str()).find("F64AxpyLoop"), std::string::npos) << listing(kAxpyLoop.c_str());
}

// The same loop whose end is a slot the loop writes ($xs): never one instruction.
const std::string kAxpyLoopReadingWhatItWrites = std::string(R"((module
    (memory 1)
    (func (export "axpy") (param $c i32) (param $x i32) (param $xs i32) (param $k f64) (result i32)
                (local $p i32) (local $i i32)
      (loop $l
)") + kAxpyRound + R"(
        (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 16))) (local.get $xs))))
      (local.get $i))))";

// The same loop whose first sum goes to the counter's slot: the second sum and
// the branch read the counter after that store. Never one instruction.
constexpr const char* kAxpyLoopSumToCounter = R"((module
    (memory 1)
    (func (export "axpy") (param $c i32) (param $x i32) (param $end i32) (param $k f64) (result i32)
                (local $i i32) (local $xs i32) (local $p i32)
      (loop $l
        (f64.store (local.tee $i (i32.add (local.get $c) (local.get $i)))
          (f64.add (f64.mul (f64.load (local.tee $xs (i32.add (local.get $x) (local.get $i)))) (local.get $k))
                   (f64.load (local.get $i))))
        (f64.store (local.tee $p (i32.add (local.get $i) (i32.const 8)))
          (f64.add (f64.mul (f64.load (local.tee $xs (i32.add (local.get $xs) (i32.const 8)))) (local.get $k))
                   (f64.load (local.get $p))))
        (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 16))) (local.get $end))))
      (local.get $i))))";

TEST_F(Interp, AxpyLoopNotFusedWhenASumGoesToTheCounter) {
  Instance i = load(kAxpyLoopSumToCounter);
  // c = 8: i = 8 + i, then i + 16: 24, 48, 72 (the end). Counting in steps of
  // 16 from 0 instead, the loop would miss the end and run off memory.
  EXPECT_EQ(*i.get_typed_func<int32_t(int32_t, int32_t, int32_t, double)>("axpy")->call(8, 1024, 72, 1.0), 72);
  std::string code = listing(kAxpyLoopSumToCounter);
  EXPECT_EQ(code.find("AxpyLoop"), std::string::npos) << code;
}

TEST_F(Interp, AxpyLoopNotFusedWhenItReadsWhatItWrites) {
  Instance i = load(kAxpyLoopReadingWhatItWrites.c_str());
  // x = 8: after one round i = 16 = xs (8 + 0 + 8); with $xs read once (1000)
  // the loop would run on to 1008
  EXPECT_EQ(*i.get_typed_func<int32_t(int32_t, int32_t, int32_t, double)>("axpy")->call(4096, 8, 1000, 1.0), 16);
  std::string code = listing(kAxpyLoopReadingWhatItWrites.c_str());
  EXPECT_EQ(code.find("AxpyLoop"), std::string::npos) << code;
  EXPECT_NE(code.find("F64AxpyIndexedRmwTwice"), std::string::npos) << code;
}

// Two additions in a row run as one instruction (AddPair*), an addition
// jumps straight into the next instruction's handler (I32AddThen*); a jump to
// the second still runs only the second.
constexpr const char* kAddPairs = R"((module
    (memory 1)
    (func (export "steps") (param $n i32) (result i64) (local $i i32) (local $p i32) (local $s i64)
      (loop $l
        (local.set $p (i32.add (local.get $p) (i32.const 3)))
        (local.set $s (i64.add (local.get $s) (i64.const 5)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
      (i64.add (local.get $s) (i64.extend_i32_u (i32.add (local.get $p) (local.get $i)))))
    (func (export "join") (param $c i32) (param $a i32) (result i32) (local $b i32)
      (local.set $a (i32.add (local.get $a) (i32.const 1)))
      (block $j
        (br_if $j (local.get $c))
        (local.set $a (i32.add (local.get $a) (i32.const 10))))
      (local.set $b (i32.add (local.get $a) (i32.const 100)))
      (i32.add (i32.mul (local.get $b) (i32.const 1000)) (local.get $a)))
    ;; an addition, then a load (I32AddThenI32Load); an addition, then one
    ;; reading its sum from the accumulator (I32AddThenI32AddAccA)
    (func (export "then") (param $p i32) (param $q i32) (result i32) (local $a i32)
      (i32.store (i32.const 8) (i32.const 77))
      (local.set $a (i32.add (local.get $q) (i32.const 5)))
      (local.set $p (i32.load (local.get $p)))
      (local.set $q (i32.add (local.get $q) (i32.const 1)))
      (local.set $a (i32.add (local.get $q) (local.get $a)))
      (i32.add (local.get $a) (local.get $p))))
)";

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
constexpr const char* kThenChains = R"((module
    (memory 1)
    (func (export "invert") (param $p i32) (param $n i32) (local $i i32) (local $x i32)
      (loop $l
        (i32.store8 (local.tee $x (i32.add (local.get $p) (local.get $i)))
                    (i32.xor (i32.load8_u (local.get $x)) (i32.const 255)))
        (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n)))))
    ;; byte [2d + 1] = (int32_t)(min(a * 2 + b + c, 255) + 0.5), INT_MIN out of range
    (func (export "round") (param $d i32) (param $a f32) (param $b f32) (param $c f32) (local $t i32) (local $v f32)
      (block $done
        (block $out
          (br_if $out (i32.eqz (f32.lt (f32.abs (local.tee $v
            (f32.add (f32.min (f32.add (f32.add (f32.mul (local.get $a) (f32.const 2)) (local.get $b)) (local.get $c))
                              (f32.const 255))
                     (f32.const 0.5))))
            (f32.const 0x1p31))))
          (local.set $t (i32.trunc_f32_s (local.get $v)))
          (br $done))
        (local.set $t (i32.const 0x80000000)))
      (i32.store8 offset=1 (i32.add (local.get $d) (local.get $d)) (local.get $t)))
    ;; grayscale: each RGBx pixel in [p, end) to (77 r + 150 g + 29 b + 128) >> 8
    (func (export "luma") (param $p i32) (param $end i32) (local $y i32)
      (loop $l
        (local.set $y (i32.shr_u (i32.add (i32.add (i32.add
            (i32.mul (i32.load8_u (local.get $p)) (i32.const 77))
            (i32.mul (i32.load8_u offset=1 (local.get $p)) (i32.const 150)))
            (i32.mul (i32.load8_u offset=2 (local.get $p)) (i32.const 29))) (i32.const 128)) (i32.const 8)))
        (i32.store8 (local.get $p) (local.get $y))
        (i32.store8 offset=1 (local.get $p) (local.get $y))
        (i32.store8 offset=2 (local.get $p) (local.get $y))
        (br_if $l (i32.ne (local.tee $p (i32.add (local.get $p) (i32.const 4))) (local.get $end)))))
    (func (export "dot") (param $a f32) (param $b f32) (param $c f32) (result f32)
      (f32.min (f32.add (f32.add (f32.mul (local.get $a) (f32.const 0.25)) (f32.mul (local.get $b) (f32.const 0.5)))
                        (f32.mul (local.get $c) (f32.const 2)))
               (f32.const 100)))
    (func (export "byte") (param i32) (result i32) (i32.load8_u (local.get 0)))
    (func (export "set") (param i32 i32) (i32.store8 (local.get 0) (local.get 1)))))";

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
constexpr const char* kReadModifyWrite = R"((module
    (memory 1)
    (func (export "rmw") (param $p i32) (param $x i32) (param $a f64) (param $b f64) (result f64)
      (i32.store (local.get $p) (i32.add (i32.load (local.get $p)) (local.get $x)))
      (f64.store offset=8 (local.get $p) (f64.add (f64.mul (local.get $a) (local.get $b)) (f64.load offset=8 (local.get $p))))
      (f64.add (f64.load offset=8 (local.get $p)) (f64.convert_i32_s (i32.load (local.get $p)))))
    (func (export "tee_sum") (param $p i32) (param $x i32) (result i32) (local $s i32)
      (i32.store (local.get $p) (i32.const 40))
      (i32.store (local.get $p) (local.tee $s (i32.add (i32.load (local.get $p)) (local.get $x))))
      (i32.add (local.get $s) (i32.load (local.get $p))))
    (func (export "tee_product") (param $p i32) (param $a f64) (param $b f64) (result f64) (local $m f64)
      (f64.store (local.get $p) (f64.const 0.5))
      (f64.store (local.get $p) (f64.add (local.tee $m (f64.mul (local.get $a) (local.get $b))) (f64.load (local.get $p))))
      (f64.add (local.get $m) (f64.load (local.get $p))))))";

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
constexpr const char* kTeedIntermediates = R"((module
    (memory 1)
    (func (export "load_op") (param $p i32) (param $x i32) (result i32)
      (i32.store (local.get $p) (i32.const 40))
      (i32.add (i32.add (i32.load (local.get $p)) (local.get $x))              ;; fused
               (i32.add (local.tee $p (i32.load (local.get $p))) (local.get $x))) ;; not
      (local.get $p)
      (i32.add))
    (func (export "op_store") (param $p i32) (param $x i32) (result i32)
      (i32.store (local.get $p) (i32.add (local.get $x) (i32.const 3)))           ;; fused
      (i32.store offset=4 (local.get $p) (local.tee $x (i32.add (local.get $x) (i32.const 1)))) ;; not
      (i32.add (i32.add (i32.load (local.get $p)) (i32.load offset=4 (local.get $p))) (local.get $x)))))";

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
constexpr const char* kGuardedTruncations = R"((module
    (func (export "if_f32_i32") (param f32) (result i32)
      (if (result i32) (f32.lt (f32.abs (local.get 0)) (f32.const 0x1p31))
        (then (i32.trunc_f32_s (local.get 0)))
        (else (i32.const 0x80000000))))
    (func (export "blocks_f32_i32") (param f32) (result i32) (local i32)
      (block $done
        (block $out_of_range
          (br_if $out_of_range (i32.eqz (f32.lt (f32.abs (local.get 0)) (f32.const 0x1p31))))
          (local.set 1 (i32.trunc_f32_s (local.get 0)))
          (br $done))
        (local.set 1 (i32.const 0x80000000)))
      (local.get 1))
    (func (export "if_f64_i32") (param f64) (result i32)
      (if (result i32) (f64.lt (f64.abs (local.get 0)) (f64.const 0x1p31))
        (then (i32.trunc_f64_s (local.get 0)))
        (else (i32.const 0x80000000))))
    (func (export "if_f32_i64") (param f32) (result i64)
      (if (result i64) (f32.lt (f32.abs (local.get 0)) (f32.const 0x1p63))
        (then (i64.trunc_f32_s (local.get 0)))
        (else (i64.const 0x8000000000000000))))
    (func (export "if_f64_i64") (param f64) (result i64)
      (if (result i64) (f64.lt (f64.abs (local.get 0)) (f64.const 0x1p63))
        (then (i64.trunc_f64_s (local.get 0)))
        (else (i64.const 0x8000000000000000))))
    ;; Not the idiom: a limit of 2^30 must keep the plain code (and its result).
    (func (export "other_limit") (param f32) (result i32)
      (if (result i32) (f32.lt (f32.abs (local.get 0)) (f32.const 0x1p30))
        (then (i32.trunc_f32_s (local.get 0)))
        (else (i32.const 0x80000000))))
    ;; The same shape, but a second branch also lands on the INT_MIN arm: fusing
    ;; would drop that jump's target, so it stays unfused.
    (func (export "second_jump") (param f32 i32) (result i32) (local i32)
      (block $done
        (block $out_of_range
          (br_if $out_of_range (local.get 1))
          (br_if $out_of_range (i32.eqz (f32.lt (f32.abs (local.get 0)) (f32.const 0x1p31))))
          (local.set 2 (i32.trunc_f32_s (local.get 0)))
          (br $done))
        (local.set 2 (i32.const 0x80000000)))
      (local.get 2))))";

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
constexpr const char* kSwitchLoops = R"((module
    (memory 1)
    (data (i32.const 0) "\00\01\00\01\01\02")
    (data (i32.const 16) "\00\00\00\01")
    (func (export "vm") (param $pc i32) (result i32) (local $acc i32) (local $op i32)
      (block $halt
        (loop $next
          (local.set $op (i32.load8_u (local.get $pc)))
          (local.set $pc (i32.add (local.get $pc) (i32.const 1)))
          (block $double
            (block $inc
              (br_table $inc $double $halt (local.get $op)))
            (local.set $acc (i32.add (local.get $acc) (i32.const 1)))
            (br $next))
          (local.set $acc (i32.shl (local.get $acc) (i32.const 1)))
          (br $next)))
      (local.get $acc))
    (func (export "vm_values") (param $pc i32) (result i32) (local $acc i32)
      (block $halt (result i32)
        (loop $next
          (block $inc (result i32)
            (local.get $acc)
            (local.set $pc (i32.add (local.get $pc) (i32.const 1)))
            (br_table $inc $halt (i32.load8_u offset=15 (local.get $pc))))
          (local.set $acc (i32.add (i32.const 3)))
          (br $next))
        (unreachable)))))";

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
constexpr const char* kWordSwitch = R"((module
    (memory 1)
    (data (i32.const 64) "\00\00\00\00" "\01\00\00\00" "\00\00\00\00" "\01\00\00\00" "\07\00\00\00")
    (func (export "vm") (param $pc i32) (result i32) (local $acc i32) (local $op i32)
      (block $halt
        (loop $next
          (block $double
            (block $inc
              (br_table $inc $double $halt
                (i32.load offset=60 (i32.add (i32.shl (local.get $pc) (i32.const 2)) (i32.const 4)))))
            (local.set $pc (i32.add (local.get $pc) (i32.const 1)))
            (local.set $acc (i32.add (local.get $acc) (i32.const 1)))
            (br $next))
          (local.set $pc (i32.add (local.get $pc) (i32.const 1)))
          (local.set $acc (i32.shl (local.get $acc) (i32.const 1)))
          (br $next)))
      (local.get $acc))))";

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
