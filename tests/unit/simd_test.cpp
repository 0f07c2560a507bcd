// SIMD lane semantics: tricky cases with exact expected values, and a
// differential check that the SSE2 paths equal the portable ones.
#include <gtest/gtest.h>

#include <random>

#include "interp/simd.h"  // the default build: SSE2 paths on x86-64

#define KILN_PORTABLE_SIMD 1
#define KILN_SIMD_NAMESPACE simd_portable
#include "interp/simd.h"
#undef KILN_SIMD_NAMESPACE
#undef KILN_PORTABLE_SIMD

namespace kiln::interp {
namespace {

using simd_types::V128;

V128 bytes_of(std::initializer_list<int> values) {
  V128 v{};
  int i = 0;
  for (int x : values) v.bytes[i++] = static_cast<uint8_t>(x);
  return v;
}

template <class Vec, class T>
V128 lanes(std::initializer_list<T> values) {
  Vec v{};
  int i = 0;
  for (T x : values) v[i++] = x;
  return simd_types::from(v);
}

bool same(const V128& a, const V128& b) { return std::memcmp(a.bytes, b.bytes, 16) == 0; }

TEST(Simd, SwizzleOutOfRangeLanesAreZero) {
  V128 a = bytes_of({10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25});
  V128 s = bytes_of({0, 15, 16, 255, 1, 128, 17, 3, 0, 0, 0, 0, 0, 0, 0, 0x80});
  V128 r = simd::i8x16_swizzle(a, s);
  EXPECT_TRUE(same(r, bytes_of({10, 25, 0, 0, 11, 0, 0, 13, 10, 10, 10, 10, 10, 10, 10, 0})));
}

TEST(Simd, Q15MulrSaturatesOnlyMinTimesMin) {
  using simd_types::i16x8;
  V128 a = lanes<i16x8, int16_t>({-32768, -32768, 16384, -16384, 32767, 1, 0x4000, -1});
  V128 b = lanes<i16x8, int16_t>({-32768, 32767, 16384, 16384, 32767, 1, 1, 1});
  V128 r = simd::i16x8_q15mulr_sat_s(a, b);
  i16x8 out = simd_types::as<i16x8>(r);
  EXPECT_EQ(out[0], 32767);   // saturated
  EXPECT_EQ(out[1], -32767);
  EXPECT_EQ(out[2], 8192);
  EXPECT_EQ(out[3], -8192);
  EXPECT_EQ(out[4], 32766);
  EXPECT_EQ(out[5], 0);       // (1 + 0x4000) >> 15 rounds to 0
  EXPECT_EQ(out[6], 1);       // 0x4000 * 1 + 0x4000 = 0x8000 -> 1 (rounds half up)
  EXPECT_EQ(out[7], 0);       // -1 + 0x4000 >> 15 = 0
}

TEST(Simd, TruncSatEdges) {
  using simd_types::f32x4;
  using simd_types::i32x4;
  float nan = std::numeric_limits<float>::quiet_NaN();
  V128 a = lanes<f32x4, float>({nan, 3e9f, -3e9f, -0.99f});
  i32x4 s = simd_types::as<i32x4>(simd::i32x4_trunc_sat_f32x4<int32_t>(a));
  EXPECT_EQ(s[0], 0);
  EXPECT_EQ(s[1], INT32_MAX);
  EXPECT_EQ(s[2], INT32_MIN);
  EXPECT_EQ(s[3], 0);
  using simd_types::u32x4;
  u32x4 u = simd_types::as<u32x4>(simd::i32x4_trunc_sat_f32x4<uint32_t>(lanes<f32x4, float>({5e9f, -1.0f, 4294967040.0f, nan})));
  EXPECT_EQ(u[0], UINT32_MAX);
  EXPECT_EQ(u[1], 0u);
  EXPECT_EQ(u[2], 4294967040u);
  EXPECT_EQ(u[3], 0u);
}

TEST(Simd, MinMaxNanAndSignedZero) {
  using simd_types::f32x4;
  using simd_types::u32x4;
  float nan = std::numeric_limits<float>::quiet_NaN();
  V128 a = lanes<f32x4, float>({-0.0f, 0.0f, nan, 1.0f});
  V128 b = lanes<f32x4, float>({0.0f, -0.0f, 1.0f, nan});
  u32x4 mn = simd_types::as<u32x4>(simd::fmin<f32x4>(a, b));
  EXPECT_EQ(mn[0], 0x80000000u);
  EXPECT_EQ(mn[1], 0x80000000u);
  EXPECT_EQ(mn[2] & 0x7fc00000u, 0x7fc00000u);
  EXPECT_EQ(mn[3] & 0x7fc00000u, 0x7fc00000u);
  u32x4 mx = simd_types::as<u32x4>(simd::fmax<f32x4>(a, b));
  EXPECT_EQ(mx[0], 0u);
  EXPECT_EQ(mx[1], 0u);
  // pmin/pmax are plain comparisons: NaN in b does not propagate.
  u32x4 pm = simd_types::as<u32x4>(simd::pmin<f32x4>(a, b));
  EXPECT_EQ(pm[0], 0x80000000u);  // b < a is false -> a
  EXPECT_EQ(simd_types::as<f32x4>(simd::pmin<f32x4>(a, b))[3], 1.0f);
}

TEST(Simd, NarrowSaturates) {
  using simd_types::i16x8;
  using simd_types::u8x16;
  V128 a = lanes<i16x8, int16_t>({-200, -128, 127, 300, 0, 1, -1, 255});
  u8x16 r = simd_types::as<u8x16>(simd::narrow<i16x8, u8x16, uint8_t>(a, a));
  EXPECT_EQ(r[0], 0);
  EXPECT_EQ(r[2], 127);
  EXPECT_EQ(r[3], 255);
  EXPECT_EQ(r[7], 255);
  EXPECT_EQ(r[8], 0);  // lanes of b follow
}

// The SSE2 paths must equal the portable ones on every input we try.
TEST(Simd, Sse2PathsMatchPortable) {
  std::mt19937_64 rng(12345);
  auto random_v128 = [&] {
    V128 v;
    for (int i = 0; i < 16; i += 8) {
      uint64_t x = rng();
      // Bias towards edge values (0x00, 0x7f, 0x80, 0xff) in some bytes.
      for (int k = 0; k < 8; ++k) {
        uint8_t byte = static_cast<uint8_t>(x >> (8 * k));
        if ((x >> 60) == 0) byte = (byte & 1) ? 0x80 : 0x7f;
        v.bytes[i + k] = byte;
      }
    }
    return v;
  };
  using namespace simd_types;
  for (int iteration = 0; iteration < 20000; ++iteration) {
    V128 a = random_v128(), b = random_v128();
    ASSERT_TRUE(same(simd::add_sat<i8x16>(a, b), simd_portable::add_sat<i8x16>(a, b)));
    ASSERT_TRUE(same(simd::add_sat<u8x16>(a, b), simd_portable::add_sat<u8x16>(a, b)));
    ASSERT_TRUE(same(simd::add_sat<i16x8>(a, b), simd_portable::add_sat<i16x8>(a, b)));
    ASSERT_TRUE(same(simd::add_sat<u16x8>(a, b), simd_portable::add_sat<u16x8>(a, b)));
    ASSERT_TRUE(same(simd::sub_sat<i8x16>(a, b), simd_portable::sub_sat<i8x16>(a, b)));
    ASSERT_TRUE(same(simd::sub_sat<u8x16>(a, b), simd_portable::sub_sat<u8x16>(a, b)));
    ASSERT_TRUE(same(simd::sub_sat<i16x8>(a, b), simd_portable::sub_sat<i16x8>(a, b)));
    ASSERT_TRUE(same(simd::sub_sat<u16x8>(a, b), simd_portable::sub_sat<u16x8>(a, b)));
    ASSERT_TRUE(same(simd::avgr_u<u8x16>(a, b), simd_portable::avgr_u<u8x16>(a, b)));
    ASSERT_TRUE(same(simd::avgr_u<u16x8>(a, b), simd_portable::avgr_u<u16x8>(a, b)));
    ASSERT_EQ(simd::bitmask<i8x16>(a), simd_portable::bitmask<i8x16>(a));
  }
}

}  // namespace
}  // namespace kiln::interp
