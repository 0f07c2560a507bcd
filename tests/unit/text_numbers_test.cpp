// Literal parsing of the text format: integers, floats, NaN payloads, v128 lanes.
#include <gtest/gtest.h>

#include <array>
#include <cstring>

#include "text/numbers.h"

namespace kiln::text {
namespace {

uint64_t int_bits(std::string_view text, unsigned bits) {
  uint64_t out = 0xDEAD;
  EXPECT_EQ(parse_integer(text, bits, &out), LitStatus::Ok) << text;
  return out;
}

uint32_t f32_bits(std::string_view text) {
  uint32_t out = 0;
  EXPECT_EQ(parse_f32(text, &out), LitStatus::Ok) << text;
  return out;
}

uint64_t f64_bits(std::string_view text) {
  uint64_t out = 0;
  EXPECT_EQ(parse_f64(text, &out), LitStatus::Ok) << text;
  return out;
}

TEST(TextNumbers, UnsignedDecimalAndHex) {
  uint64_t v = 0;
  EXPECT_EQ(parse_unsigned("0", 0xFFFFFFFF, &v), LitStatus::Ok);
  EXPECT_EQ(v, 0u);
  EXPECT_EQ(parse_unsigned("4294967295", 0xFFFFFFFF, &v), LitStatus::Ok);
  EXPECT_EQ(v, 4294967295u);
  EXPECT_EQ(parse_unsigned("0xFFFF_ffff", 0xFFFFFFFF, &v), LitStatus::Ok);
  EXPECT_EQ(v, 0xFFFFFFFFu);
  EXPECT_EQ(parse_unsigned("010", 0xFFFFFFFF, &v), LitStatus::Ok);  // not octal
  EXPECT_EQ(v, 10u);
  EXPECT_EQ(parse_unsigned("18446744073709551615", ~uint64_t{0}, &v), LitStatus::Ok);
  EXPECT_EQ(v, ~uint64_t{0});
}

TEST(TextNumbers, UnsignedRejects) {
  uint64_t v = 0;
  EXPECT_EQ(parse_unsigned("4294967296", 0xFFFFFFFF, &v), LitStatus::OutOfRange);
  EXPECT_EQ(parse_unsigned("18446744073709551616", ~uint64_t{0}, &v), LitStatus::OutOfRange);
  EXPECT_EQ(parse_unsigned("+1", 0xFFFFFFFF, &v), LitStatus::BadSyntax);
  EXPECT_EQ(parse_unsigned("-1", 0xFFFFFFFF, &v), LitStatus::BadSyntax);
  EXPECT_EQ(parse_unsigned("", 0xFFFFFFFF, &v), LitStatus::BadSyntax);
  EXPECT_EQ(parse_unsigned("0x", 0xFFFFFFFF, &v), LitStatus::BadSyntax);
  EXPECT_EQ(parse_unsigned("1a", 0xFFFFFFFF, &v), LitStatus::BadSyntax);
}

TEST(TextNumbers, UnderscoresOnlyBetweenDigits) {
  EXPECT_EQ(int_bits("1_000_000", 32), 1000000u);
  EXPECT_EQ(int_bits("0x1_a_A_0_f", 32), 0x1aa0fu);
  uint64_t v = 0;
  for (std::string_view bad : {"_100", "+_100", "-_100", "99_", "1__000", "_0x100", "0_x100",
                               "0x_100", "0x00_", "0xff__ffff"}) {
    EXPECT_EQ(parse_integer(bad, 32, &v), LitStatus::BadSyntax) << bad;
  }
}

TEST(TextNumbers, I32RangeWrapsToTwosComplement) {
  EXPECT_EQ(int_bits("0xffffffff", 32), 0xFFFFFFFFu);
  EXPECT_EQ(int_bits("-0x80000000", 32), 0x80000000u);
  EXPECT_EQ(int_bits("-1", 32), 0xFFFFFFFFu);
  EXPECT_EQ(int_bits("-0", 32), 0u);
  EXPECT_EQ(int_bits("+42", 32), 42u);
  EXPECT_EQ(int_bits("4294967295", 32), 0xFFFFFFFFu);
  uint64_t v = 0;
  EXPECT_EQ(parse_integer("4294967296", 32, &v), LitStatus::OutOfRange);
  EXPECT_EQ(parse_integer("-2147483649", 32, &v), LitStatus::OutOfRange);
  EXPECT_EQ(parse_integer("-0x80000001", 32, &v), LitStatus::OutOfRange);
}

TEST(TextNumbers, I64AndLaneWidths) {
  EXPECT_EQ(int_bits("-0x8000000000000000", 64), 0x8000000000000000u);
  EXPECT_EQ(int_bits("18446744073709551615", 64), ~uint64_t{0});
  EXPECT_EQ(int_bits("-128", 8), 0x80u);
  EXPECT_EQ(int_bits("255", 8), 0xFFu);
  EXPECT_EQ(int_bits("-32768", 16), 0x8000u);
  uint64_t v = 0;
  EXPECT_EQ(parse_integer("-9223372036854775809", 64, &v), LitStatus::OutOfRange);
  EXPECT_EQ(parse_integer("256", 8, &v), LitStatus::OutOfRange);
  EXPECT_EQ(parse_integer("-129", 8, &v), LitStatus::OutOfRange);
  EXPECT_EQ(parse_integer("65536", 16, &v), LitStatus::OutOfRange);
}

TEST(TextNumbers, FloatDecimal) {
  EXPECT_EQ(f32_bits("1"), 0x3F800000u);
  EXPECT_EQ(f32_bits("-1.5"), 0xBFC00000u);
  EXPECT_EQ(f32_bits("1."), 0x3F800000u);
  EXPECT_EQ(f32_bits("1.e1"), 0x41200000u);
  EXPECT_EQ(f32_bits("1_000.000_1"), f32_bits("1000.0001"));
  EXPECT_EQ(f32_bits("-0"), 0x80000000u);
  EXPECT_EQ(f64_bits("0.1"), 0x3FB999999999999Au);
  EXPECT_EQ(f64_bits("1e308"), 0x7FE1CCF385EBC8A0u);
  EXPECT_EQ(f64_bits("1E-400"), 0u);  // underflows to zero: fine
}

TEST(TextNumbers, FloatHex) {
  EXPECT_EQ(f32_bits("0x1.8p3"), 0x41400000u);  // 12
  EXPECT_EQ(f32_bits("0x1p-149"), 0x00000001u);  // smallest subnormal
  EXPECT_EQ(f32_bits("0x1p127"), 0x7F000000u);
  EXPECT_EQ(f32_bits("0x1.fffffep127"), 0x7F7FFFFFu);
  EXPECT_EQ(f64_bits("0x1p-1074"), 1u);
  EXPECT_EQ(f64_bits("0x1.Fp+1_0"), 0x409F000000000000u);  // 1984
  EXPECT_EQ(f64_bits("0x10"), 0x4030000000000000u);        // no exponent: 16
}

TEST(TextNumbers, FloatRoundsToNearestEven) {
  // f32: halfway between 1 and the next float rounds to even (1); just above rounds up.
  EXPECT_EQ(f32_bits("0x1.000001p0"), 0x3F800000u);
  EXPECT_EQ(f32_bits("0x1.000003p0"), 0x3F800002u);
  EXPECT_EQ(f32_bits("0x1.00000100000000000001p0"), 0x3F800001u);
  // Parsed as f32 directly, not through double (double rounding would differ).
  EXPECT_EQ(f32_bits("1.00000005960464477550"), 0x3F800001u);
  EXPECT_EQ(f32_bits("1.000000059604644775390625"), 0x3F800000u);
  // f64 halfway cases.
  EXPECT_EQ(f64_bits("0x1.00000000000008p0"), 0x3FF0000000000000u);
  EXPECT_EQ(f64_bits("0x1.00000000000018p0"), 0x3FF0000000000002u);
  // The largest finite values and just beyond.
  EXPECT_EQ(f32_bits("0x1.fffffefffffffp127"), 0x7F7FFFFFu);
  uint32_t b32 = 0;
  EXPECT_EQ(parse_f32("0x1.ffffffp127", &b32), LitStatus::OutOfRange);
  EXPECT_EQ(parse_f32("0x1p128", &b32), LitStatus::OutOfRange);
  EXPECT_EQ(parse_f32("1e39", &b32), LitStatus::OutOfRange);
  uint64_t b64 = 0;
  EXPECT_EQ(parse_f64("0x1p1024", &b64), LitStatus::OutOfRange);
  EXPECT_EQ(parse_f64("1e309", &b64), LitStatus::OutOfRange);
}

TEST(TextNumbers, InfAndNan) {
  EXPECT_EQ(f32_bits("inf"), 0x7F800000u);
  EXPECT_EQ(f32_bits("-inf"), 0xFF800000u);
  EXPECT_EQ(f32_bits("+inf"), 0x7F800000u);
  EXPECT_EQ(f32_bits("nan"), 0x7FC00000u);
  EXPECT_EQ(f32_bits("-nan"), 0xFFC00000u);
  EXPECT_EQ(f32_bits("nan:0x1"), 0x7F800001u);
  EXPECT_EQ(f32_bits("-nan:0x7f_ffff"), 0xFFFFFFFFu);
  EXPECT_EQ(f64_bits("nan"), 0x7FF8000000000000u);
  EXPECT_EQ(f64_bits("nan:0xf_ffff_ffff_ffff"), 0x7FFFFFFFFFFFFFFFu);
  EXPECT_EQ(f64_bits("-inf"), 0xFFF0000000000000u);
  uint32_t b32 = 0;
  EXPECT_EQ(parse_f32("nan:0x0", &b32), LitStatus::OutOfRange);         // payload must be non-zero
  EXPECT_EQ(parse_f32("nan:0x80_0000", &b32), LitStatus::OutOfRange);   // does not fit 23 bits
  EXPECT_EQ(parse_f32("nan:1", &b32), LitStatus::BadSyntax);
  uint64_t b64 = 0;
  EXPECT_EQ(parse_f64("nan:0x10_0000_0000_0000", &b64), LitStatus::OutOfRange);
}

TEST(TextNumbers, FloatSyntaxErrors) {
  uint32_t b = 0;
  for (std::string_view bad : {"", ".5", "1e", "1e+", "0x", "0x.8", "0x1p", "1._5", "1_.5", "1.5_",
                               "1e_5", "0x1.p_1", "infinity", "NaN", "1.5f", "0x1e3p1_", "--1",
                               "1..2"}) {
    EXPECT_NE(parse_f32(bad, &b), LitStatus::Ok) << bad;
  }
  // "0x1.8e3" is a hex mantissa (e is a digit) without exponent: valid.
  EXPECT_EQ(parse_f32("0x1.8e3", &b), LitStatus::Ok);
}

TEST(TextNumbers, V128Lanes) {
  const V128Shape* i16 = find_v128_shape("i16x8");
  ASSERT_NE(i16, nullptr);
  EXPECT_EQ(i16->lanes, 8u);
  std::array<uint8_t, 2> lane{};
  EXPECT_EQ(parse_v128_lane(*i16, "-1", lane.data()), LitStatus::Ok);
  EXPECT_EQ(lane, (std::array<uint8_t, 2>{0xFF, 0xFF}));
  EXPECT_EQ(parse_v128_lane(*i16, "0x1234", lane.data()), LitStatus::Ok);
  EXPECT_EQ(lane, (std::array<uint8_t, 2>{0x34, 0x12}));
  const V128Shape* f32 = find_v128_shape("f32x4");
  std::array<uint8_t, 4> flane{};
  EXPECT_EQ(parse_v128_lane(*f32, "1", flane.data()), LitStatus::Ok);
  EXPECT_EQ(flane, (std::array<uint8_t, 4>{0x00, 0x00, 0x80, 0x3F}));
  EXPECT_EQ(find_v128_shape("i8x8"), nullptr);
}

}  // namespace
}  // namespace kiln::text
