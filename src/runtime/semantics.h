// The meaning of every scalar numeric instruction, one function each, named
// after its opcode (semantics::I32Add for i32.add): what the interpreter's
// handlers (plain, fused and accumulator forms alike), constant evaluation and
// the LLVM tier's helpers compute. Values are as wasm sees them: i32 and i64 as
// uint32_t and uint64_t (signed operations convert inside), f32 and f64 as
// float and double. An instruction that can trap returns its TrapCode (None
// when it does not) and writes its result through its last parameter.
//
// Adding a plain numeric instruction is its row in ir/opcodes.def and its
// function here; the interpreter's handler follows from both (interp/plain.h).
#pragma once

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>

#include "kiln/error.hpp"

namespace kiln::semantics {

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

// Integer division and remainder of uint32_t or uint64_t values (signed ones
// converted inside): by zero traps; the signed quotient of INT_MIN by -1
// overflows, while its remainder is 0.
template <class U>
inline TrapCode divide_signed(U a, U b, U& out) {
  using S = std::make_signed_t<U>;
  if (b == 0) return TrapCode::IntegerDivideByZero;
  if (S(a) == std::numeric_limits<S>::min() && S(b) == -1) return TrapCode::IntegerOverflow;
  out = static_cast<U>(S(a) / S(b));
  return TrapCode::None;
}
template <class U>
inline TrapCode divide_unsigned(U a, U b, U& out) {
  if (b == 0) return TrapCode::IntegerDivideByZero;
  out = a / b;
  return TrapCode::None;
}
template <class U>
inline TrapCode remainder_signed(U a, U b, U& out) {
  using S = std::make_signed_t<U>;
  if (b == 0) return TrapCode::IntegerDivideByZero;
  out = S(b) == -1 ? 0 : static_cast<U>(S(a) % S(b));
  return TrapCode::None;
}
template <class U>
inline TrapCode remainder_unsigned(U a, U b, U& out) {
  if (b == 0) return TrapCode::IntegerDivideByZero;
  out = a % b;
  return TrapCode::None;
}

// ---- the instructions --------------------------------------------------------

inline uint32_t I32Eqz(uint32_t a) { return a == 0; }
inline uint32_t I32Eq(uint32_t a, uint32_t b) { return a == b; }
inline uint32_t I32Ne(uint32_t a, uint32_t b) { return a != b; }
inline uint32_t I32LtS(uint32_t a, uint32_t b) { return int32_t(a) < int32_t(b); }
inline uint32_t I32LtU(uint32_t a, uint32_t b) { return a < b; }
inline uint32_t I32GtS(uint32_t a, uint32_t b) { return int32_t(a) > int32_t(b); }
inline uint32_t I32GtU(uint32_t a, uint32_t b) { return a > b; }
inline uint32_t I32LeS(uint32_t a, uint32_t b) { return int32_t(a) <= int32_t(b); }
inline uint32_t I32LeU(uint32_t a, uint32_t b) { return a <= b; }
inline uint32_t I32GeS(uint32_t a, uint32_t b) { return int32_t(a) >= int32_t(b); }
inline uint32_t I32GeU(uint32_t a, uint32_t b) { return a >= b; }
inline uint32_t I64Eqz(uint64_t a) { return a == 0; }
inline uint32_t I64Eq(uint64_t a, uint64_t b) { return a == b; }
inline uint32_t I64Ne(uint64_t a, uint64_t b) { return a != b; }
inline uint32_t I64LtS(uint64_t a, uint64_t b) { return int64_t(a) < int64_t(b); }
inline uint32_t I64LtU(uint64_t a, uint64_t b) { return a < b; }
inline uint32_t I64GtS(uint64_t a, uint64_t b) { return int64_t(a) > int64_t(b); }
inline uint32_t I64GtU(uint64_t a, uint64_t b) { return a > b; }
inline uint32_t I64LeS(uint64_t a, uint64_t b) { return int64_t(a) <= int64_t(b); }
inline uint32_t I64LeU(uint64_t a, uint64_t b) { return a <= b; }
inline uint32_t I64GeS(uint64_t a, uint64_t b) { return int64_t(a) >= int64_t(b); }
inline uint32_t I64GeU(uint64_t a, uint64_t b) { return a >= b; }
inline uint32_t F32Eq(float a, float b) { return a == b; }
inline uint32_t F32Ne(float a, float b) { return a != b; }
inline uint32_t F32Lt(float a, float b) { return a < b; }
inline uint32_t F32Gt(float a, float b) { return a > b; }
inline uint32_t F32Le(float a, float b) { return a <= b; }
inline uint32_t F32Ge(float a, float b) { return a >= b; }
inline uint32_t F64Eq(double a, double b) { return a == b; }
inline uint32_t F64Ne(double a, double b) { return a != b; }
inline uint32_t F64Lt(double a, double b) { return a < b; }
inline uint32_t F64Gt(double a, double b) { return a > b; }
inline uint32_t F64Le(double a, double b) { return a <= b; }
inline uint32_t F64Ge(double a, double b) { return a >= b; }

inline uint32_t I32Clz(uint32_t a) { return std::countl_zero(a); }
inline uint32_t I32Ctz(uint32_t a) { return std::countr_zero(a); }
inline uint32_t I32Popcnt(uint32_t a) { return std::popcount(a); }
inline uint32_t I32Add(uint32_t a, uint32_t b) { return a + b; }
inline uint32_t I32Sub(uint32_t a, uint32_t b) { return a - b; }
inline uint32_t I32Mul(uint32_t a, uint32_t b) { return a * b; }
inline TrapCode I32DivS(uint32_t a, uint32_t b, uint32_t& out) { return divide_signed(a, b, out); }
inline TrapCode I32DivU(uint32_t a, uint32_t b, uint32_t& out) { return divide_unsigned(a, b, out); }
inline TrapCode I32RemS(uint32_t a, uint32_t b, uint32_t& out) { return remainder_signed(a, b, out); }
inline TrapCode I32RemU(uint32_t a, uint32_t b, uint32_t& out) { return remainder_unsigned(a, b, out); }
inline uint32_t I32And(uint32_t a, uint32_t b) { return a & b; }
inline uint32_t I32Or(uint32_t a, uint32_t b) { return a | b; }
inline uint32_t I32Xor(uint32_t a, uint32_t b) { return a ^ b; }
inline uint32_t I32Shl(uint32_t a, uint32_t b) { return a << (b & 31); }
inline uint32_t I32ShrS(uint32_t a, uint32_t b) { return static_cast<uint32_t>(int32_t(a) >> (b & 31)); }
inline uint32_t I32ShrU(uint32_t a, uint32_t b) { return a >> (b & 31); }
inline uint32_t I32Rotl(uint32_t a, uint32_t b) { return std::rotl(a, static_cast<int>(b & 31)); }
inline uint32_t I32Rotr(uint32_t a, uint32_t b) { return std::rotr(a, static_cast<int>(b & 31)); }

inline uint64_t I64Clz(uint64_t a) { return std::countl_zero(a); }
inline uint64_t I64Ctz(uint64_t a) { return std::countr_zero(a); }
inline uint64_t I64Popcnt(uint64_t a) { return std::popcount(a); }
inline uint64_t I64Add(uint64_t a, uint64_t b) { return a + b; }
inline uint64_t I64Sub(uint64_t a, uint64_t b) { return a - b; }
inline uint64_t I64Mul(uint64_t a, uint64_t b) { return a * b; }
inline TrapCode I64DivS(uint64_t a, uint64_t b, uint64_t& out) { return divide_signed(a, b, out); }
inline TrapCode I64DivU(uint64_t a, uint64_t b, uint64_t& out) { return divide_unsigned(a, b, out); }
inline TrapCode I64RemS(uint64_t a, uint64_t b, uint64_t& out) { return remainder_signed(a, b, out); }
inline TrapCode I64RemU(uint64_t a, uint64_t b, uint64_t& out) { return remainder_unsigned(a, b, out); }
inline uint64_t I64And(uint64_t a, uint64_t b) { return a & b; }
inline uint64_t I64Or(uint64_t a, uint64_t b) { return a | b; }
inline uint64_t I64Xor(uint64_t a, uint64_t b) { return a ^ b; }
inline uint64_t I64Shl(uint64_t a, uint64_t b) { return a << (b & 63); }
inline uint64_t I64ShrS(uint64_t a, uint64_t b) { return static_cast<uint64_t>(int64_t(a) >> (b & 63)); }
inline uint64_t I64ShrU(uint64_t a, uint64_t b) { return a >> (b & 63); }
inline uint64_t I64Rotl(uint64_t a, uint64_t b) { return std::rotl(a, static_cast<int>(b & 63)); }
inline uint64_t I64Rotr(uint64_t a, uint64_t b) { return std::rotr(a, static_cast<int>(b & 63)); }

// abs, neg and copysign work on the sign bit alone, NaN payloads included.
inline float F32Abs(float a) { return std::bit_cast<float>(std::bit_cast<uint32_t>(a) & 0x7fffffffu); }
inline float F32Neg(float a) { return std::bit_cast<float>(std::bit_cast<uint32_t>(a) ^ 0x80000000u); }
inline float F32Ceil(float a) { return wasm_ceil(a); }
inline float F32Floor(float a) { return wasm_floor(a); }
inline float F32Trunc(float a) { return wasm_trunc_float(a); }
inline float F32Nearest(float a) { return wasm_nearest(a); }
inline float F32Sqrt(float a) { return std::sqrt(a); }
inline float F32Add(float a, float b) { return a + b; }
inline float F32Sub(float a, float b) { return a - b; }
inline float F32Mul(float a, float b) { return a * b; }
inline float F32Div(float a, float b) { return a / b; }
inline float F32Min(float a, float b) { return wasm_min(a, b); }
inline float F32Max(float a, float b) { return wasm_max(a, b); }
inline float F32Copysign(float a, float b) {
  return std::bit_cast<float>((std::bit_cast<uint32_t>(a) & 0x7fffffffu) | (std::bit_cast<uint32_t>(b) & 0x80000000u));
}
inline double F64Abs(double a) {
  return std::bit_cast<double>(std::bit_cast<uint64_t>(a) & 0x7fffffffffffffffull);
}
inline double F64Neg(double a) {
  return std::bit_cast<double>(std::bit_cast<uint64_t>(a) ^ 0x8000000000000000ull);
}
inline double F64Ceil(double a) { return wasm_ceil(a); }
inline double F64Floor(double a) { return wasm_floor(a); }
inline double F64Trunc(double a) { return wasm_trunc_float(a); }
inline double F64Nearest(double a) { return wasm_nearest(a); }
inline double F64Sqrt(double a) { return std::sqrt(a); }
inline double F64Add(double a, double b) { return a + b; }
inline double F64Sub(double a, double b) { return a - b; }
inline double F64Mul(double a, double b) { return a * b; }
inline double F64Div(double a, double b) { return a / b; }
inline double F64Min(double a, double b) { return wasm_min(a, b); }
inline double F64Max(double a, double b) { return wasm_max(a, b); }
inline double F64Copysign(double a, double b) {
  return std::bit_cast<double>((std::bit_cast<uint64_t>(a) & 0x7fffffffffffffffull) |
                               (std::bit_cast<uint64_t>(b) & 0x8000000000000000ull));
}

// Checked truncation: a NaN and an out-of-range value each trap.
template <class I, class F, class Out>
inline TrapCode checked_trunc(F x, Out& out) {
  I result;
  switch (wasm_trunc<I, F>(x, result)) {
    case TruncResult::Nan: return TrapCode::InvalidConversionToInteger;
    case TruncResult::Overflow: return TrapCode::IntegerOverflow;
    case TruncResult::Ok: break;
  }
  out = static_cast<Out>(result);
  return TrapCode::None;
}

inline uint32_t I32WrapI64(uint64_t a) { return static_cast<uint32_t>(a); }
inline TrapCode I32TruncF32S(float a, uint32_t& out) { return checked_trunc<int32_t>(a, out); }
inline TrapCode I32TruncF32U(float a, uint32_t& out) { return checked_trunc<uint32_t>(a, out); }
inline TrapCode I32TruncF64S(double a, uint32_t& out) { return checked_trunc<int32_t>(a, out); }
inline TrapCode I32TruncF64U(double a, uint32_t& out) { return checked_trunc<uint32_t>(a, out); }
inline uint64_t I64ExtendI32S(uint32_t a) { return static_cast<uint64_t>(int64_t(int32_t(a))); }
inline uint64_t I64ExtendI32U(uint32_t a) { return a; }
inline TrapCode I64TruncF32S(float a, uint64_t& out) { return checked_trunc<int64_t>(a, out); }
inline TrapCode I64TruncF32U(float a, uint64_t& out) { return checked_trunc<uint64_t>(a, out); }
inline TrapCode I64TruncF64S(double a, uint64_t& out) { return checked_trunc<int64_t>(a, out); }
inline TrapCode I64TruncF64U(double a, uint64_t& out) { return checked_trunc<uint64_t>(a, out); }
inline float F32ConvertI32S(uint32_t a) { return static_cast<float>(int32_t(a)); }
inline float F32ConvertI32U(uint32_t a) { return static_cast<float>(a); }
inline float F32ConvertI64S(uint64_t a) { return static_cast<float>(int64_t(a)); }
inline float F32ConvertI64U(uint64_t a) { return static_cast<float>(a); }
inline float F32DemoteF64(double a) { return static_cast<float>(a); }
inline double F64ConvertI32S(uint32_t a) { return static_cast<double>(int32_t(a)); }
inline double F64ConvertI32U(uint32_t a) { return static_cast<double>(a); }
inline double F64ConvertI64S(uint64_t a) { return static_cast<double>(int64_t(a)); }
inline double F64ConvertI64U(uint64_t a) { return static_cast<double>(a); }
inline double F64PromoteF32(float a) { return static_cast<double>(a); }
inline uint32_t I32ReinterpretF32(float a) { return std::bit_cast<uint32_t>(a); }
inline uint64_t I64ReinterpretF64(double a) { return std::bit_cast<uint64_t>(a); }
inline float F32ReinterpretI32(uint32_t a) { return std::bit_cast<float>(a); }
inline double F64ReinterpretI64(uint64_t a) { return std::bit_cast<double>(a); }
// docs/architecture.md, "How to add an instruction", shows the next line:
// docs: begin extend8
inline uint32_t I32Extend8S(uint32_t a) { return static_cast<uint32_t>(int32_t(int8_t(a))); }
// docs: end extend8
inline uint32_t I32Extend16S(uint32_t a) { return static_cast<uint32_t>(int32_t(int16_t(a))); }
inline uint64_t I64Extend8S(uint64_t a) { return static_cast<uint64_t>(int64_t(int8_t(a))); }
inline uint64_t I64Extend16S(uint64_t a) { return static_cast<uint64_t>(int64_t(int16_t(a))); }
inline uint64_t I64Extend32S(uint64_t a) { return static_cast<uint64_t>(int64_t(int32_t(a))); }
inline uint32_t I32TruncSatF32S(float a) { return static_cast<uint32_t>(wasm_trunc_sat<int32_t>(a)); }
inline uint32_t I32TruncSatF32U(float a) { return wasm_trunc_sat<uint32_t>(a); }
inline uint32_t I32TruncSatF64S(double a) { return static_cast<uint32_t>(wasm_trunc_sat<int32_t>(a)); }
inline uint32_t I32TruncSatF64U(double a) { return wasm_trunc_sat<uint32_t>(a); }
inline uint64_t I64TruncSatF32S(float a) { return static_cast<uint64_t>(wasm_trunc_sat<int64_t>(a)); }
inline uint64_t I64TruncSatF32U(float a) { return wasm_trunc_sat<uint64_t>(a); }
inline uint64_t I64TruncSatF64S(double a) { return static_cast<uint64_t>(wasm_trunc_sat<int64_t>(a)); }
inline uint64_t I64TruncSatF64U(double a) { return wasm_trunc_sat<uint64_t>(a); }

}  // namespace kiln::semantics
