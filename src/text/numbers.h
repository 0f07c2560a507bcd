// Numeric literals of the text format, parsed exactly as the spec defines them:
// integers (decimal or 0x hex, `_` between digits, optional sign where allowed) and
// floats (decimal, hex, inf, nan, nan:0x payload), rounded to nearest-even.
#pragma once

#include <cstdint>
#include <string_view>

namespace kiln::text {

enum class LitStatus : uint8_t {
  Ok,
  BadSyntax,   // not a literal of the requested kind
  OutOfRange,  // well-formed but does not fit ("constant out of range")
};

// uN: an unsigned literal without sign, at most `max`.
LitStatus parse_unsigned(std::string_view text, uint64_t max, uint64_t* out);

// iN for N = `bits` (8, 16, 32 or 64): an unsigned literal up to 2^N-1 or a signed
// one (with explicit sign) from -2^(N-1); the result is the N-bit two's complement
// pattern, zero-extended into *out.
LitStatus parse_integer(std::string_view text, unsigned bits, uint64_t* out);

// fN: the IEEE bit pattern of the literal. A finite literal that rounds to infinity is
// OutOfRange; a NaN payload must be non-zero and fit the significand.
LitStatus parse_f32(std::string_view text, uint32_t* bits);
LitStatus parse_f64(std::string_view text, uint64_t* bits);

// The lane shapes of v128.const ("i8x16", ..., "f64x2").
struct V128Shape {
  std::string_view name;
  unsigned lanes;
  unsigned lane_bytes;
  bool is_float;
};
const V128Shape* find_v128_shape(std::string_view name);

// One lane literal of `shape`, stored little-endian into `dest` (lane_bytes bytes).
LitStatus parse_v128_lane(const V128Shape& shape, std::string_view text, uint8_t* dest);

}  // namespace kiln::text
