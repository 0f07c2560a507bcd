#include "text/numbers.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>

namespace kiln::text {
namespace {

int digit_value(char c, bool hex) {
  if (c >= '0' && c <= '9') return c - '0';
  if (!hex) return -1;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Checks `s` against `digit ('_'? digit)*` in the given base and appends the digits
// (without separators) to `out`.
bool clean_digits(std::string_view s, bool hex, std::string* out) {
  if (s.empty()) return false;
  bool after_digit = false;
  for (char c : s) {
    if (c == '_') {
      if (!after_digit) return false;
      after_digit = false;
    } else if (digit_value(c, hex) >= 0) {
      out->push_back(c);
      after_digit = true;
    } else {
      return false;
    }
  }
  return after_digit;
}

// The value of an unsigned literal body ("123", "0x1_F"), or BadSyntax / OutOfRange.
LitStatus magnitude(std::string_view text, uint64_t max, uint64_t* out) {
  bool hex = text.size() >= 2 && text[0] == '0' && text[1] == 'x';
  std::string digits;
  if (!clean_digits(hex ? text.substr(2) : text, hex, &digits)) return LitStatus::BadSyntax;
  const uint64_t base = hex ? 16 : 10;
  uint64_t value = 0;
  bool overflow = false;
  for (char c : digits) {
    uint64_t d = static_cast<uint64_t>(digit_value(c, hex));
    if (value > (max - d) / base) overflow = true;  // value * base + d > max
    if (!overflow) value = value * base + d;
  }
  if (overflow) return LitStatus::OutOfRange;
  *out = value;
  return LitStatus::Ok;
}

uint64_t low_bits_mask(unsigned bits) { return bits >= 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1; }

// The syntax of a decimal or hex float literal without sign, rewritten for strtod:
// separators removed, e.g. "0x1_0.8p+1_0" -> "0x10.8p+10".
bool clean_float(std::string_view body, std::string* out) {
  bool hex = body.size() >= 2 && body[0] == '0' && body[1] == 'x';
  std::string_view rest = hex ? body.substr(2) : body;
  const char* exp_chars = hex ? "pP" : "eE";
  size_t exp_pos = rest.find_first_of(exp_chars);
  std::string_view mantissa = rest.substr(0, exp_pos);
  size_t dot = mantissa.find('.');
  std::string_view int_part = mantissa.substr(0, dot);
  if (hex) out->append("0x");
  if (!clean_digits(int_part, hex, out)) return false;
  if (dot != std::string_view::npos) {
    std::string_view frac = mantissa.substr(dot + 1);
    out->push_back('.');
    if (!frac.empty() && !clean_digits(frac, hex, out)) return false;
  }
  if (exp_pos != std::string_view::npos) {
    std::string_view exp = rest.substr(exp_pos + 1);
    out->push_back(hex ? 'p' : 'e');
    if (!exp.empty() && (exp[0] == '+' || exp[0] == '-')) {
      out->push_back(exp[0]);
      exp.remove_prefix(1);
    }
    if (!clean_digits(exp, /*hex=*/false, out)) return false;
  }
  return true;
}

// Shared float parsing: `exp_bits` and `mant_bits` describe the format.
template <class Float, class Bits>
LitStatus parse_float(std::string_view text, int mant_bits, Float (*convert)(const char*, char**),
                      Bits* bits) {
  bool negative = false;
  std::string_view body = text;
  if (!body.empty() && (body[0] == '+' || body[0] == '-')) {
    negative = body[0] == '-';
    body.remove_prefix(1);
  }
  const Bits sign = negative ? Bits{1} << (sizeof(Bits) * 8 - 1) : 0;
  const Bits exp_all = (~Bits{0} >> 1) & ~((Bits{1} << mant_bits) - 1);
  const Bits mant_mask = (Bits{1} << mant_bits) - 1;
  if (body == "inf") {
    *bits = sign | exp_all;
    return LitStatus::Ok;
  }
  if (body == "nan") {
    *bits = sign | exp_all | (Bits{1} << (mant_bits - 1));
    return LitStatus::Ok;
  }
  if (body.substr(0, 6) == "nan:0x") {
    uint64_t payload = 0;
    LitStatus status = magnitude(body.substr(4), mant_mask, &payload);
    if (status != LitStatus::Ok) return status;
    if (payload == 0) return LitStatus::OutOfRange;
    *bits = sign | exp_all | static_cast<Bits>(payload);
    return LitStatus::Ok;
  }
  std::string clean(negative ? "-" : "");
  if (!clean_float(body, &clean)) return LitStatus::BadSyntax;
  errno = 0;
  char* end = nullptr;
  Float value = convert(clean.c_str(), &end);
  if (end != clean.c_str() + clean.size()) return LitStatus::BadSyntax;
  if (std::isinf(value)) return LitStatus::OutOfRange;
  std::memcpy(bits, &value, sizeof value);
  return LitStatus::Ok;
}

}  // namespace

LitStatus parse_unsigned(std::string_view text, uint64_t max, uint64_t* out) {
  if (text.empty() || text[0] == '+' || text[0] == '-') return LitStatus::BadSyntax;
  return magnitude(text, max, out);
}

LitStatus parse_integer(std::string_view text, unsigned bits, uint64_t* out) {
  if (text.empty()) return LitStatus::BadSyntax;
  const uint64_t umax = low_bits_mask(bits);
  if (text[0] == '-') {
    uint64_t value = 0;
    // A negative literal may reach -2^(N-1).
    LitStatus status = magnitude(text.substr(1), uint64_t{1} << (bits - 1), &value);
    if (status != LitStatus::Ok) return status;
    *out = (0 - value) & umax;
    return LitStatus::Ok;
  }
  // Like the reference interpreter, `+n` accepts the unsigned range too.
  return magnitude(text[0] == '+' ? text.substr(1) : text, umax, out);
}

LitStatus parse_f32(std::string_view text, uint32_t* bits) {
  return parse_float<float, uint32_t>(text, 23, std::strtof, bits);
}

LitStatus parse_f64(std::string_view text, uint64_t* bits) {
  return parse_float<double, uint64_t>(text, 52, std::strtod, bits);
}

const V128Shape* find_v128_shape(std::string_view name) {
  static constexpr V128Shape kShapes[] = {
      {"i8x16", 16, 1, false}, {"i16x8", 8, 2, false}, {"i32x4", 4, 4, false},
      {"i64x2", 2, 8, false},  {"f32x4", 4, 4, true},  {"f64x2", 2, 8, true},
  };
  for (const V128Shape& shape : kShapes)
    if (shape.name == name) return &shape;
  return nullptr;
}

LitStatus parse_v128_lane(const V128Shape& shape, std::string_view text, uint8_t* dest) {
  uint64_t bits = 0;
  LitStatus status;
  if (!shape.is_float) {
    status = parse_integer(text, shape.lane_bytes * 8, &bits);
  } else if (shape.lane_bytes == 4) {
    uint32_t b32 = 0;
    status = parse_f32(text, &b32);
    bits = b32;
  } else {
    status = parse_f64(text, &bits);
  }
  if (status != LitStatus::Ok) return status;
  for (unsigned i = 0; i < shape.lane_bytes; ++i) dest[i] = static_cast<uint8_t>(bits >> (8 * i));
  return LitStatus::Ok;
}

}  // namespace kiln::text
