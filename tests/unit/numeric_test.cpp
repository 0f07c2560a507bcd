#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "runtime/semantics.h"

namespace kiln::semantics {
namespace {

TEST(Numeric, MinMaxSignedZeros) {
  EXPECT_TRUE(std::signbit(wasm_min(0.0f, -0.0f)));
  EXPECT_TRUE(std::signbit(wasm_min(-0.0f, 0.0f)));
  EXPECT_FALSE(std::signbit(wasm_max(0.0f, -0.0f)));
  EXPECT_FALSE(std::signbit(wasm_max(-0.0, 0.0)));
}

TEST(Numeric, MinMaxPropagateNan) {
  float nan = std::numeric_limits<float>::quiet_NaN();
  EXPECT_TRUE(std::isnan(wasm_min(nan, 1.0f)));
  EXPECT_TRUE(std::isnan(wasm_max(1.0f, nan)));
  // A signalling NaN comes back quiet (an arithmetic NaN).
  float snan = bit_cast<float>(0x7fa00000u);
  uint32_t bits = bit_cast<uint32_t>(wasm_min(snan, 1.0f));
  EXPECT_EQ(bits & 0x7fc00000u, 0x7fc00000u);
}

TEST(Numeric, NearestRoundsHalfToEven) {
  EXPECT_EQ(wasm_nearest(0.5), 0.0);
  EXPECT_EQ(wasm_nearest(1.5), 2.0);
  EXPECT_EQ(wasm_nearest(2.5), 2.0);
  EXPECT_EQ(wasm_nearest(-2.5f), -2.0f);
  EXPECT_TRUE(std::signbit(wasm_nearest(-0.4)));
}

TEST(Numeric, TruncChecksRange) {
  int32_t i32;
  EXPECT_EQ(wasm_trunc<int32_t>(-2147483648.0f, i32), TruncResult::Ok);
  EXPECT_EQ(i32, INT32_MIN);
  EXPECT_EQ(wasm_trunc<int32_t>(2147483648.0f, i32), TruncResult::Overflow);
  EXPECT_EQ(wasm_trunc<int32_t>(-2147483904.0f, i32), TruncResult::Overflow);
  EXPECT_EQ(wasm_trunc<int32_t>(-2147483648.9, i32), TruncResult::Ok);
  EXPECT_EQ(i32, INT32_MIN);
  EXPECT_EQ(wasm_trunc<int32_t>(-2147483649.0, i32), TruncResult::Overflow);
  EXPECT_EQ(wasm_trunc<int32_t>(std::nan(""), i32), TruncResult::Nan);
  uint32_t u32;
  EXPECT_EQ(wasm_trunc<uint32_t>(-0.9, u32), TruncResult::Ok);
  EXPECT_EQ(u32, 0u);
  EXPECT_EQ(wasm_trunc<uint32_t>(-1.0, u32), TruncResult::Overflow);
  EXPECT_EQ(wasm_trunc<uint32_t>(4294967295.9, u32), TruncResult::Ok);
  EXPECT_EQ(u32, 4294967295u);
  int64_t i64;
  EXPECT_EQ(wasm_trunc<int64_t>(-9223372036854775808.0, i64), TruncResult::Ok);
  EXPECT_EQ(wasm_trunc<int64_t>(9223372036854775808.0, i64), TruncResult::Overflow);
  uint64_t u64;
  EXPECT_EQ(wasm_trunc<uint64_t>(18446744073709551616.0, u64), TruncResult::Overflow);
  EXPECT_EQ(wasm_trunc<uint64_t>(18446744073709549568.0, u64), TruncResult::Ok);
}

TEST(Numeric, TruncSaturates) {
  EXPECT_EQ((wasm_trunc_sat<int32_t, float>(3e9f)), INT32_MAX);
  EXPECT_EQ((wasm_trunc_sat<int32_t, float>(-3e9f)), INT32_MIN);
  EXPECT_EQ((wasm_trunc_sat<int32_t, double>(std::nan(""))), 0);
  EXPECT_EQ((wasm_trunc_sat<uint32_t, double>(-5.0)), 0u);
  EXPECT_EQ((wasm_trunc_sat<uint64_t, double>(1e30)), UINT64_MAX);
  EXPECT_EQ((wasm_trunc_sat<int64_t, double>(-1e30)), INT64_MIN);
  EXPECT_EQ((wasm_trunc_sat<int64_t, float>(-1.5f)), -1);
}

}  // namespace
}  // namespace kiln::semantics
