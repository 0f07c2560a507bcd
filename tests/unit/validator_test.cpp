#include <gtest/gtest.h>

#include "binary/decoder.h"
#include "binary_builder.h"
#include "validate/validator.h"

namespace kiln::validate {
namespace {

using test::Bytes;

Expected<std::vector<uint32_t>> validate_bytes(const Bytes& bytes, ir::Features features = {}) {
  Expected<ir::Module> m = binary::decode_module(bytes, features);
  if (!m) return m.error();
  return validate_module(*m, features);
}

void expect_invalid(const Bytes& bytes, const std::string& message) {
  auto r = validate_bytes(bytes);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, ErrorKind::Invalid);
  EXPECT_EQ(r.error().message, message);
}

// Instructions of features Kiln lacks name the feature at their offset (the
// function body starts at 0x17 in single_function_module); with the 2.0 rules
// they are illegal opcodes.
TEST(Validator, UnsupportedInstructionsAreNamed) {
  struct Case {
    Bytes body;
    uint32_t offset;
    const char* message;
  };
  const Case cases[] = {
      {{0x41, 0x00, 0xfe, 0x10, 0x02, 0x00, 0x1a}, 0x19, "threads (the i32.atomic.load instruction) is not supported yet"},
      {{0xfe, 0x03, 0x00}, 0x17, "threads (the atomic.fence instruction) is not supported yet"},
      {{0x08, 0x00}, 0x17, "exception handling (the throw instruction) is not supported yet"},
      {{0x1f, 0x40, 0x00, 0x0b}, 0x17, "exception handling (the try_table instruction) is not supported yet"},
      {{0x06, 0x40, 0x0b}, 0x17, "exception handling (the try instruction) is not supported yet"},
      {{0xd0, 0x70, 0xd4, 0x1a}, 0x19,
       "typed function references (the ref.as_non_null instruction) is not supported yet"},
      {{0x41, 0x00, 0xfb, 0x1c, 0x1a}, 0x19, "GC (the ref.i31 instruction) is not supported yet"},
      {{0xfd, 0x80, 0x02}, 0x17, "relaxed SIMD (the i8x16.relaxed_swizzle instruction) is not supported yet"},
  };
  for (const Case& c : cases) {
    Bytes module = test::single_function_module({}, c.body);
    auto r = validate_bytes(module);
    ASSERT_FALSE(r.has_value()) << c.message;
    EXPECT_EQ(r.error().kind, ErrorKind::Unsupported);
    EXPECT_EQ(r.error().message, c.message);
    EXPECT_EQ(r.error().offset, c.offset) << c.message;
    auto wasm2 = validate_bytes(module, ir::Features::wasm2());
    ASSERT_FALSE(wasm2.has_value());
    EXPECT_EQ(wasm2.error().kind, ErrorKind::Malformed);
    EXPECT_EQ(wasm2.error().message, "illegal opcode");
  }
  // An unknown code behind a known prefix stays illegal.
  auto illegal = validate_bytes(test::single_function_module({}, {0xfe, 0x7f}));
  ASSERT_FALSE(illegal.has_value());
  EXPECT_EQ(illegal.error().kind, ErrorKind::Malformed);
  EXPECT_EQ(illegal.error().message, "illegal opcode");
}

TEST(Validator, ConstantReturn) {
  auto r = validate_bytes(test::single_function_module({0x7f}, {0x41, 0x2a}));
  EXPECT_TRUE(r.has_value()) << r.error().to_string();
}

TEST(Validator, TypeMismatchOnResult) {
  expect_invalid(test::single_function_module({0x7f}, {0x42, 0x01}), "type mismatch");  // i64 for i32
}

TEST(Validator, MissingResult) {
  expect_invalid(test::single_function_module({0x7f}, {}), "type mismatch");
}

TEST(Validator, ExtraValueOnStack) {
  expect_invalid(test::single_function_module({}, {0x41, 0x01}), "type mismatch");
}

TEST(Validator, UnreachableIsPolymorphic) {
  // unreachable; i32.add -> i32 result is fine.
  auto r = validate_bytes(test::single_function_module({0x7f}, {0x00, 0x6a}));
  EXPECT_TRUE(r.has_value()) << r.error().to_string();
}

TEST(Validator, UnreachableStillChecksKnownTypes) {
  // unreachable; i64.const 0; i32.add -> the i64 operand is known and wrong.
  expect_invalid(test::single_function_module({0x7f}, {0x00, 0x42, 0x00, 0x6a}), "type mismatch");
}

TEST(Validator, UnknownLabel) {
  expect_invalid(test::single_function_module({}, {0x0c, 0x01}), "unknown label");
}

TEST(Validator, UnknownLocal) {
  expect_invalid(test::single_function_module({}, {0x20, 0x00, 0x1a}), "unknown local 0");
}

TEST(Validator, BlockWithResult) {
  // block (result i32) i32.const 1 end
  auto r = validate_bytes(test::single_function_module({0x7f}, {0x02, 0x7f, 0x41, 0x01, 0x0b}));
  EXPECT_TRUE(r.has_value()) << r.error().to_string();
}

TEST(Validator, IfWithoutElseMustNotProduceValues) {
  // i32.const 1; if (result i32) i32.const 2 end
  expect_invalid(test::single_function_module({0x7f}, {0x41, 0x01, 0x04, 0x7f, 0x41, 0x02, 0x0b}), "type mismatch");
}

TEST(Validator, SelectOnReferencesNeedsType) {
  // ref.null func; ref.null func; i32.const 1; select
  expect_invalid(test::single_function_module({0x70}, {0xd0, 0x70, 0xd0, 0x70, 0x41, 0x01, 0x1b}), "type mismatch");
}

TEST(Validator, BrTableArityMustAgree) {
  // block (result i32) block i32.const 0 br_table 0 1 end end: labels of arity 0 and 1.
  expect_invalid(test::single_function_module(
                     {0x7f}, {0x02, 0x7f, 0x02, 0x40, 0x41, 0x00, 0x0e, 0x01, 0x00, 0x01, 0x0b, 0x41, 0x00, 0x0b}),
                 "type mismatch");
}

TEST(Validator, MalformedBeatsInvalidLaterInBody) {
  // A type error followed by an illegal opcode: the decoding error wins.
  auto r = validate_bytes(test::single_function_module({}, {0x6a, 0xff}));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, ErrorKind::Malformed);
}

TEST(Validator, MissingEnd) {
  // A body whose last byte is not `end`.
  Bytes bytes = test::single_function_module({}, {0x01});
  bytes.back() = 0x01;  // replace the end with nop
  auto r = validate_bytes(bytes);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, ErrorKind::Malformed);
}

TEST(Validator, ReservedMemoryByteMustBeZeroInWasm2) {
  // memory.size with reserved byte 1: malformed in 2.0, memory index 1 (unknown) in 3.0.
  Bytes module = test::concat({test::header(), test::section(1, {0x01, 0x60, 0x00, 0x01, 0x7f}),
                               test::section(3, {0x01, 0x00}), test::section(5, {0x01, 0x00, 0x01}),
                               test::section(10, {0x01, 0x04, 0x00, 0x3f, 0x01, 0x0b})});
  auto r2 = validate_bytes(module, ir::Features::wasm2());
  ASSERT_FALSE(r2.has_value());
  EXPECT_EQ(r2.error().kind, ErrorKind::Malformed);
  EXPECT_EQ(r2.error().message, "zero byte expected");
  auto r3 = validate_bytes(module);
  ASSERT_FALSE(r3.has_value());
  EXPECT_EQ(r3.error().kind, ErrorKind::Invalid);
  EXPECT_EQ(r3.error().message, "unknown memory 1");
}

}  // namespace
}  // namespace kiln::validate
