// WebAssembly numeric semantics that C++ operators do not give directly:
// NaN-propagating min/max, round-to-nearest-even, checked and saturating
// float-to-int conversion. Shared by every tier.
#pragma once

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>

namespace kiln::interp {

template <class F>
inline F wasm_min(F a, F b) {
  if (std::isnan(a) || std::isnan(b)) return a + b;  // a quiet NaN from the inputs
  if (a == b) return std::signbit(a) ? a : b;         // min(-0, +0) = -0
  return a < b ? a : b;
}

template <class F>
inline F wasm_max(F a, F b) {
  if (std::isnan(a) || std::isnan(b)) return a + b;
  if (a == b) return std::signbit(a) ? b : a;         // max(-0, +0) = +0
  return a > b ? a : b;
}

// Rounding to integral values. A NaN input must come back as a quiet NaN (an
// "arithmetic NaN"); some libm paths return a signalling NaN unchanged, so NaNs
// are quieted explicitly.
template <class F>
inline F wasm_ceil(F x) { return std::isnan(x) ? x + x : std::ceil(x); }
template <class F>
inline F wasm_floor(F x) { return std::isnan(x) ? x + x : std::floor(x); }
template <class F>
inline F wasm_trunc_float(F x) { return std::isnan(x) ? x + x : std::trunc(x); }
// Round to nearest, ties to even (the default rounding mode).
template <class F>
inline F wasm_nearest(F x) { return std::isnan(x) ? x + x : std::nearbyint(x); }

enum class TruncResult { Ok, Nan, Overflow };

// Checked truncation: the float must be finite and its truncation representable.
template <class I, class F>
inline TruncResult wasm_trunc(F x, I& out) {
  if (std::isnan(x)) return TruncResult::Nan;
  const F upper = std::ldexp(F(1), std::numeric_limits<I>::digits);  // 2^31, 2^32, 2^63, 2^64
  bool in_range;
  if constexpr (std::is_signed_v<I>) {
    // trunc(x) >= -upper. Where -upper-1 is representable (f64 -> i32) the bound is
    // exclusive at it; otherwise it rounds to -upper, which is itself valid.
    const F below = -upper - F(1);
    in_range = (below == -upper ? x >= -upper : x > below) && x < upper;
  } else {
    in_range = x > F(-1) && x < upper;
  }
  if (!in_range) return TruncResult::Overflow;
  out = static_cast<I>(x);
  return TruncResult::Ok;
}

// Saturating truncation: NaN -> 0, out of range -> the nearest bound.
template <class I, class F>
inline I wasm_trunc_sat(F x) {
  if (std::isnan(x)) return 0;
  const F upper = std::ldexp(F(1), std::numeric_limits<I>::digits);
  if constexpr (std::is_signed_v<I>) {
    if (x < -upper) return std::numeric_limits<I>::min();
  } else {
    if (x <= F(-1)) return 0;
  }
  if (x >= upper) return std::numeric_limits<I>::max();
  return static_cast<I>(x);
}

template <class To, class From>
inline To bit_cast(From from) {
  static_assert(sizeof(To) == sizeof(From));
  To to;
  std::memcpy(&to, &from, sizeof to);
  return to;
}

}  // namespace kiln::interp
