// Runtime values: the raw 8/16-byte slot the interpreter works on, and the typed
// Value used at API boundaries.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>

#include "ir/types.h"

namespace kiln::runtime {

class Function;

// A reference value: a Function* for funcref, an opaque host pointer for externref,
// null for null. (GC objects will be further pointee kinds.)
using Ref = void*;

// Storage for one value in frames, globals and tables: type-erased, like a register.
// i32/f32 live in the low 4 bytes.
union RawValue {
  uint32_t i32;
  uint64_t i64;
  float f32;
  double f64;
  Ref ref;
  uint8_t bytes[8];
};
static_assert(sizeof(RawValue) == 8);

// A typed value for embedders, the CLI and the spec-test runner.
struct Value {
  ir::ValType type = ir::ValType::i32();
  uint64_t bits = 0;   // i32 (zero-extended), i64, f32/f64 raw bits
  ir::V128 v128{};     // v128
  Ref ref = nullptr;   // reference types

  static Value i32(uint32_t v) { Value x; x.type = ir::ValType::i32(); x.bits = v; return x; }
  static Value i64(uint64_t v) { Value x; x.type = ir::ValType::i64(); x.bits = v; return x; }
  static Value f32_bits(uint32_t v) { Value x; x.type = ir::ValType::f32(); x.bits = v; return x; }
  static Value f64_bits(uint64_t v) { Value x; x.type = ir::ValType::f64(); x.bits = v; return x; }
  static Value f32(float f) { uint32_t b; std::memcpy(&b, &f, 4); return f32_bits(b); }
  static Value f64(double f) { uint64_t b; std::memcpy(&b, &f, 8); return f64_bits(b); }
  static Value make_v128(ir::V128 v) { Value x; x.type = ir::ValType::v128(); x.v128 = v; return x; }
  static Value make_ref(ir::ValType type, Ref r) { Value x; x.type = type; x.ref = r; return x; }
  // The zero value of a type (0, 0.0, null).
  static Value zero(ir::ValType type) { Value x; x.type = type; return x; }

  uint32_t as_i32() const { return static_cast<uint32_t>(bits); }
  uint64_t as_i64() const { return bits; }
  float as_f32() const { float f; uint32_t b = static_cast<uint32_t>(bits); std::memcpy(&f, &b, 4); return f; }
  double as_f64() const { double f; std::memcpy(&f, &bits, 8); return f; }
};

// Formats a value for humans: "42", "1.5", "0x7fc00000 (nan)", "null", ...
std::string to_string(const Value& value);

// Copies between typed values and raw slots (a v128 uses two consecutive slots).
void store_value(const Value& value, RawValue* slots);
Value load_value(ir::ValType type, const RawValue* slots);

}  // namespace kiln::runtime
