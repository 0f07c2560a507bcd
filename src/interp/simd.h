// 128-bit SIMD semantics, lane by lane as the spec defines them.
//
// Written with GCC/Clang vector extensions, which compile to the host's vector
// instructions (SSE2 on x86-64, NEON on AArch64) where their meaning is exactly
// the spec's. A few operations use x86 intrinsics where the instruction matches
// the spec bit for bit and the portable form would be slow; defining
// KILN_PORTABLE_SIMD (or building for another architecture) selects the portable
// code, and tests/unit/simd_test.cpp checks that both agree.
//
// This header may be included more than once under different namespaces by the
// differential test, so it has no include guard of its own for the operations.
#ifndef KILN_INTERP_SIMD_TYPES
#define KILN_INTERP_SIMD_TYPES

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#include "runtime/semantics.h"

namespace kiln::interp {

// The numeric helpers of runtime/semantics.h, which SIMD lanes use too.
using ::kiln::semantics::bit_cast;
using ::kiln::semantics::TruncResult;
using ::kiln::semantics::wasm_ceil;
using ::kiln::semantics::wasm_floor;
using ::kiln::semantics::wasm_max;
using ::kiln::semantics::wasm_min;
using ::kiln::semantics::wasm_nearest;
using ::kiln::semantics::wasm_trunc;
using ::kiln::semantics::wasm_trunc_float;
using ::kiln::semantics::wasm_trunc_sat;

}  // namespace kiln::interp

namespace kiln::interp::simd_types {


using i8x16 = int8_t __attribute__((vector_size(16)));
using u8x16 = uint8_t __attribute__((vector_size(16)));
using i16x8 = int16_t __attribute__((vector_size(16)));
using u16x8 = uint16_t __attribute__((vector_size(16)));
using i32x4 = int32_t __attribute__((vector_size(16)));
using u32x4 = uint32_t __attribute__((vector_size(16)));
using i64x2 = int64_t __attribute__((vector_size(16)));
using u64x2 = uint64_t __attribute__((vector_size(16)));
using f32x4 = float __attribute__((vector_size(16)));
using f64x2 = double __attribute__((vector_size(16)));

// The value type: 16 bytes, reinterpreted per operation.
struct alignas(16) V128 {
  uint8_t bytes[16];
};

template <class Vec>
inline Vec as(const V128& v) {
  Vec out;
  std::memcpy(&out, v.bytes, 16);
  return out;
}

template <class Vec>
inline V128 from(const Vec& vec) {
  V128 out;
  std::memcpy(out.bytes, &vec, 16);
  return out;
}

}  // namespace kiln::interp::simd_types

#endif  // KILN_INTERP_SIMD_TYPES

#if !defined(KILN_PORTABLE_SIMD) && defined(__SSE2__)
#include <emmintrin.h>
#define KILN_SIMD_SSE2 1
#else
#define KILN_SIMD_SSE2 0
#endif

#ifndef KILN_SIMD_NAMESPACE
#define KILN_SIMD_NAMESPACE simd
#endif

namespace kiln::interp::KILN_SIMD_NAMESPACE {

using namespace simd_types;

// ---- lane-wise helpers -------------------------------------------------------

template <class Vec, class Fn>
inline Vec map1(Vec a, Fn fn) {
  constexpr int n = sizeof(Vec) / sizeof(a[0]);
  Vec r;
  for (int i = 0; i < n; ++i) r[i] = fn(a[i]);
  return r;
}

template <class Vec, class Fn>
inline Vec map2(Vec a, Vec b, Fn fn) {
  constexpr int n = sizeof(Vec) / sizeof(a[0]);
  Vec r;
  for (int i = 0; i < n; ++i) r[i] = fn(a[i], b[i]);
  return r;
}

template <class T>
inline T saturate(int64_t v) {
  return static_cast<T>(std::clamp<int64_t>(v, std::numeric_limits<T>::min(), std::numeric_limits<T>::max()));
}

// ---- splat, lanes ------------------------------------------------------------

template <class Vec, class T>
inline V128 splat(T x) {
  Vec r;
  constexpr int n = sizeof(Vec) / sizeof(r[0]);
  for (int i = 0; i < n; ++i) r[i] = x;
  return from(r);
}

template <class Vec>
inline auto extract(const V128& v, int lane) {
  return as<Vec>(v)[lane];
}

template <class Vec, class T>
inline V128 replace(const V128& v, int lane, T x) {
  Vec r = as<Vec>(v);
  r[lane] = x;
  return from(r);
}

// ---- bitwise ---------------------------------------------------------------

inline V128 v128_not(const V128& a) { return from(~as<u64x2>(a)); }
inline V128 v128_and(const V128& a, const V128& b) { return from(as<u64x2>(a) & as<u64x2>(b)); }
inline V128 v128_andnot(const V128& a, const V128& b) { return from(as<u64x2>(a) & ~as<u64x2>(b)); }
inline V128 v128_or(const V128& a, const V128& b) { return from(as<u64x2>(a) | as<u64x2>(b)); }
inline V128 v128_xor(const V128& a, const V128& b) { return from(as<u64x2>(a) ^ as<u64x2>(b)); }
inline V128 v128_bitselect(const V128& a, const V128& b, const V128& c) {
  u64x2 mask = as<u64x2>(c);
  return from((as<u64x2>(a) & mask) | (as<u64x2>(b) & ~mask));
}
inline uint32_t v128_any_true(const V128& a) {
  u64x2 v = as<u64x2>(a);
  return (v[0] | v[1]) != 0;
}

template <class Vec>
inline uint32_t all_true(const V128& a) {
  Vec v = as<Vec>(a);
  constexpr int n = sizeof(Vec) / sizeof(v[0]);
  for (int i = 0; i < n; ++i)
    if (v[i] == 0) return 0;
  return 1;
}

template <class Vec>
inline uint32_t bitmask(const V128& a) {
  Vec v = as<Vec>(a);  // a signed lane type
  constexpr int n = sizeof(Vec) / sizeof(v[0]);
#if KILN_SIMD_SSE2
  if constexpr (n == 16) return static_cast<uint32_t>(_mm_movemask_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(a.bytes))));
#endif
  uint32_t mask = 0;
  for (int i = 0; i < n; ++i) mask |= static_cast<uint32_t>(v[i] < 0) << i;
  return mask;
}

// ---- integer arithmetic ------------------------------------------------------

// Wrapping add/sub/mul are done on unsigned lanes (no signed overflow).
template <class UVec>
inline V128 add(const V128& a, const V128& b) { return from(as<UVec>(a) + as<UVec>(b)); }
template <class UVec>
inline V128 sub(const V128& a, const V128& b) { return from(as<UVec>(a) - as<UVec>(b)); }
template <class UVec>
inline V128 mul(const V128& a, const V128& b) { return from(as<UVec>(a) * as<UVec>(b)); }
template <class UVec>
inline V128 neg(const V128& a) { return from(UVec{} - as<UVec>(a)); }

template <class SVec, class UVec>
inline V128 abs(const V128& a) {
  SVec s = as<SVec>(a);
  UVec u = as<UVec>(a);
  return from(s < 0 ? UVec{} - u : u);
}

template <class Vec>
inline V128 min(const V128& a, const V128& b) {
  Vec x = as<Vec>(a), y = as<Vec>(b);
  return from(x < y ? x : y);
}
template <class Vec>
inline V128 max(const V128& a, const V128& b) {
  Vec x = as<Vec>(a), y = as<Vec>(b);
  return from(x > y ? x : y);
}

// Saturating add/sub for 8- and 16-bit lanes.
template <class Vec>
inline V128 add_sat(const V128& a, const V128& b) {
  using T = std::remove_reference_t<decltype(std::declval<Vec>()[0])>;
#if KILN_SIMD_SSE2
  __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(a.bytes));
  __m128i y = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b.bytes));
  __m128i r;
  if constexpr (std::is_same_v<T, int8_t>) r = _mm_adds_epi8(x, y);
  else if constexpr (std::is_same_v<T, uint8_t>) r = _mm_adds_epu8(x, y);
  else if constexpr (std::is_same_v<T, int16_t>) r = _mm_adds_epi16(x, y);
  else r = _mm_adds_epu16(x, y);
  V128 out;
  _mm_storeu_si128(reinterpret_cast<__m128i*>(out.bytes), r);
  return out;
#else
  return from(map2(as<Vec>(a), as<Vec>(b), [](T x, T y) { return saturate<T>(int64_t{x} + int64_t{y}); }));
#endif
}

template <class Vec>
inline V128 sub_sat(const V128& a, const V128& b) {
  using T = std::remove_reference_t<decltype(std::declval<Vec>()[0])>;
#if KILN_SIMD_SSE2
  __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(a.bytes));
  __m128i y = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b.bytes));
  __m128i r;
  if constexpr (std::is_same_v<T, int8_t>) r = _mm_subs_epi8(x, y);
  else if constexpr (std::is_same_v<T, uint8_t>) r = _mm_subs_epu8(x, y);
  else if constexpr (std::is_same_v<T, int16_t>) r = _mm_subs_epi16(x, y);
  else r = _mm_subs_epu16(x, y);
  V128 out;
  _mm_storeu_si128(reinterpret_cast<__m128i*>(out.bytes), r);
  return out;
#else
  return from(map2(as<Vec>(a), as<Vec>(b), [](T x, T y) { return saturate<T>(int64_t{x} - int64_t{y}); }));
#endif
}

// Rounding average of unsigned lanes: (a + b + 1) / 2.
template <class Vec>
inline V128 avgr_u(const V128& a, const V128& b) {
  using T = std::remove_reference_t<decltype(std::declval<Vec>()[0])>;
#if KILN_SIMD_SSE2
  __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(a.bytes));
  __m128i y = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b.bytes));
  __m128i r = sizeof(T) == 1 ? _mm_avg_epu8(x, y) : _mm_avg_epu16(x, y);
  V128 out;
  _mm_storeu_si128(reinterpret_cast<__m128i*>(out.bytes), r);
  return out;
#else
  return from(map2(as<Vec>(a), as<Vec>(b), [](T x, T y) { return static_cast<T>((uint32_t{x} + y + 1) >> 1); }));
#endif
}

// Shifts take the count modulo the lane width.
template <class Vec>
inline V128 shl(const V128& a, uint32_t count) {
  constexpr uint32_t bits = 8 * sizeof(as<Vec>(a)[0]);
  return from(as<Vec>(a) << static_cast<int>(count & (bits - 1)));
}
template <class Vec>
inline V128 shr(const V128& a, uint32_t count) {  // arithmetic for signed Vec, logical for unsigned
  constexpr uint32_t bits = 8 * sizeof(as<Vec>(a)[0]);
  return from(as<Vec>(a) >> static_cast<int>(count & (bits - 1)));
}

inline V128 i8x16_popcnt(const V128& a) {
  return from(map1(as<u8x16>(a), [](uint8_t x) { return static_cast<uint8_t>(__builtin_popcount(x)); }));
}

// Q15 multiply with rounding and saturation: (a*b + 2^14) >> 15.
inline V128 i16x8_q15mulr_sat_s(const V128& a, const V128& b) {
  return from(map2(as<i16x8>(a), as<i16x8>(b), [](int16_t x, int16_t y) {
    return saturate<int16_t>((int32_t{x} * int32_t{y} + 0x4000) >> 15);
  }));
}

// Narrowing with saturation: the lanes of a, then of b.
template <class Wide, class Narrow, class NarrowT>
inline V128 narrow(const V128& a, const V128& b) {
  Wide x = as<Wide>(a), y = as<Wide>(b);
  constexpr int n = sizeof(Wide) / sizeof(x[0]);
  Narrow r;
  for (int i = 0; i < n; ++i) {
    r[i] = saturate<NarrowT>(x[i]);
    r[i + n] = saturate<NarrowT>(y[i]);
  }
  return from(r);
}

// Widening: lanes [first, first + n) of a, extended to twice the width.
template <class Narrow, class Wide>
inline V128 extend(const V128& a, int first) {
  Narrow x = as<Narrow>(a);
  Wide r;
  constexpr int n = sizeof(Wide) / sizeof(r[0]);
  for (int i = 0; i < n; ++i) r[i] = x[first + i];
  return from(r);
}

// Extended multiply of the low or high half.
template <class Narrow, class Wide>
inline V128 extmul(const V128& a, const V128& b, int first) {
  Narrow x = as<Narrow>(a), y = as<Narrow>(b);
  Wide r;
  constexpr int n = sizeof(Wide) / sizeof(r[0]);
  using W = std::remove_reference_t<decltype(r[0])>;
  for (int i = 0; i < n; ++i) r[i] = static_cast<W>(static_cast<W>(x[first + i]) * static_cast<W>(y[first + i]));
  return from(r);
}

// Pairwise widening add.
template <class Narrow, class Wide>
inline V128 extadd_pairwise(const V128& a) {
  Narrow x = as<Narrow>(a);
  Wide r;
  constexpr int n = sizeof(Wide) / sizeof(r[0]);
  for (int i = 0; i < n; ++i) r[i] = x[2 * i] + x[2 * i + 1];
  return from(r);
}

inline V128 i32x4_dot_i16x8_s(const V128& a, const V128& b) {
  i16x8 x = as<i16x8>(a), y = as<i16x8>(b);
  u32x4 r;  // the sum may wrap (only for -32768 * -32768 twice)
  for (int i = 0; i < 4; ++i)
    r[i] = static_cast<uint32_t>(int32_t{x[2 * i]} * y[2 * i]) + static_cast<uint32_t>(int32_t{x[2 * i + 1]} * y[2 * i + 1]);
  return from(r);
}

// ---- comparisons: all-ones lanes for true ----------------------------------------

#define KILN_SIMD_COMPARE(name, op)                              \
  template <class Vec>                                           \
  inline V128 name(const V128& a, const V128& b) {               \
    return from(as<Vec>(a) op as<Vec>(b));                       \
  }
KILN_SIMD_COMPARE(eq, ==)
KILN_SIMD_COMPARE(ne, !=)
KILN_SIMD_COMPARE(lt, <)
KILN_SIMD_COMPARE(gt, >)
KILN_SIMD_COMPARE(le, <=)
KILN_SIMD_COMPARE(ge, >=)
#undef KILN_SIMD_COMPARE

// ---- floating point -------------------------------------------------------------

template <class Vec>
inline V128 fadd(const V128& a, const V128& b) { return from(as<Vec>(a) + as<Vec>(b)); }
template <class Vec>
inline V128 fsub(const V128& a, const V128& b) { return from(as<Vec>(a) - as<Vec>(b)); }
template <class Vec>
inline V128 fmul(const V128& a, const V128& b) { return from(as<Vec>(a) * as<Vec>(b)); }
template <class Vec>
inline V128 fdiv(const V128& a, const V128& b) { return from(as<Vec>(a) / as<Vec>(b)); }
template <class Vec>
inline V128 fmin(const V128& a, const V128& b) {
  return from(map2(as<Vec>(a), as<Vec>(b), [](auto x, auto y) { return wasm_min(x, y); }));
}
template <class Vec>
inline V128 fmax(const V128& a, const V128& b) {
  return from(map2(as<Vec>(a), as<Vec>(b), [](auto x, auto y) { return wasm_max(x, y); }));
}
// Pseudo-min/max: exactly `b < a ? b : a` and `a < b ? b : a`.
template <class Vec>
inline V128 pmin(const V128& a, const V128& b) {
  return from(map2(as<Vec>(a), as<Vec>(b), [](auto x, auto y) { return y < x ? y : x; }));
}
template <class Vec>
inline V128 pmax(const V128& a, const V128& b) {
  return from(map2(as<Vec>(a), as<Vec>(b), [](auto x, auto y) { return x < y ? y : x; }));
}
template <class Vec>
inline V128 fsqrt(const V128& a) {
  return from(map1(as<Vec>(a), [](auto x) { return std::sqrt(x); }));
}
template <class Vec>
inline V128 fceil(const V128& a) { return from(map1(as<Vec>(a), [](auto x) { return wasm_ceil(x); })); }
template <class Vec>
inline V128 ffloor(const V128& a) { return from(map1(as<Vec>(a), [](auto x) { return wasm_floor(x); })); }
template <class Vec>
inline V128 ftrunc(const V128& a) { return from(map1(as<Vec>(a), [](auto x) { return wasm_trunc_float(x); })); }
template <class Vec>
inline V128 fnearest(const V128& a) { return from(map1(as<Vec>(a), [](auto x) { return wasm_nearest(x); })); }
// abs and neg are bit operations (they never touch NaN payloads).
inline V128 f32x4_abs(const V128& a) { return from(as<u32x4>(a) & 0x7fffffffu); }
inline V128 f32x4_neg(const V128& a) { return from(as<u32x4>(a) ^ 0x80000000u); }
inline V128 f64x2_abs(const V128& a) { return from(as<u64x2>(a) & uint64_t{0x7fffffffffffffff}); }
inline V128 f64x2_neg(const V128& a) { return from(as<u64x2>(a) ^ uint64_t{0x8000000000000000}); }

// ---- conversions ---------------------------------------------------------------

template <class I>
inline V128 i32x4_trunc_sat_f32x4(const V128& a) {
  f32x4 x = as<f32x4>(a);
  u32x4 r;
  for (int i = 0; i < 4; ++i) r[i] = static_cast<uint32_t>(wasm_trunc_sat<I, float>(x[i]));
  return from(r);
}
template <class I>
inline V128 i32x4_trunc_sat_f64x2_zero(const V128& a) {
  f64x2 x = as<f64x2>(a);
  u32x4 r = {static_cast<uint32_t>(wasm_trunc_sat<I, double>(x[0])),
             static_cast<uint32_t>(wasm_trunc_sat<I, double>(x[1])), 0, 0};
  return from(r);
}
template <class I>
inline V128 f32x4_convert_i32x4(const V128& a) {
  u32x4 x = as<u32x4>(a);
  f32x4 r;
  for (int i = 0; i < 4; ++i) r[i] = static_cast<float>(static_cast<I>(x[i]));
  return from(r);
}
template <class I>
inline V128 f64x2_convert_low_i32x4(const V128& a) {
  u32x4 x = as<u32x4>(a);
  f64x2 r = {static_cast<double>(static_cast<I>(x[0])), static_cast<double>(static_cast<I>(x[1]))};
  return from(r);
}
inline V128 f32x4_demote_f64x2_zero(const V128& a) {
  f64x2 x = as<f64x2>(a);
  f32x4 r = {static_cast<float>(x[0]), static_cast<float>(x[1]), 0.0f, 0.0f};
  return from(r);
}
inline V128 f64x2_promote_low_f32x4(const V128& a) {
  f32x4 x = as<f32x4>(a);
  f64x2 r = {static_cast<double>(x[0]), static_cast<double>(x[1])};
  return from(r);
}

// ---- shuffles ------------------------------------------------------------------

inline V128 i8x16_swizzle(const V128& a, const V128& s) {
  V128 r;
  for (int i = 0; i < 16; ++i) r.bytes[i] = s.bytes[i] < 16 ? a.bytes[s.bytes[i]] : 0;
  return r;
}

inline V128 i8x16_shuffle(const V128& a, const V128& b, const uint8_t* lanes) {
  V128 r;
  for (int i = 0; i < 16; ++i) r.bytes[i] = lanes[i] < 16 ? a.bytes[lanes[i]] : b.bytes[lanes[i] - 16];
  return r;
}

}  // namespace kiln::interp::KILN_SIMD_NAMESPACE

#undef KILN_SIMD_SSE2
#undef KILN_SIMD_NAMESPACE
