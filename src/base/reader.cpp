#include "base/reader.h"

#include "base/utf8.h"

namespace kiln {

// The bytes before the last possible one need no range checks of their own:
// only the last may carry bits that do not fit, or a continuation bit.
uint64_t ByteReader::read_unsigned(int bits) {
  const int max_bytes = (bits + 6) / 7;
  uint64_t result = 0;
  for (int i = 0; i < max_bytes - 1; ++i) {
    if (pos_ >= end_) { fail("unexpected end"); return 0; }
    uint8_t byte = *pos_++;
    result |= static_cast<uint64_t>(byte & 0x7F) << (7 * i);
    if (!(byte & 0x80)) return result;
  }
  if (pos_ >= end_) { fail("unexpected end"); return 0; }
  uint8_t byte = *pos_++;
  const int shift = 7 * (max_bytes - 1);
  if (byte & 0x80) { fail("integer representation too long"); return 0; }
  const int used = bits - shift;
  if (used < 7 && (byte >> used) != 0) { fail("integer too large"); return 0; }
  return result | static_cast<uint64_t>(byte) << shift;
}

int64_t ByteReader::read_signed(int bits) {
  const int max_bytes = (bits + 6) / 7;
  uint64_t result = 0;
  for (int i = 0; i < max_bytes - 1; ++i) {
    if (pos_ >= end_) { fail("unexpected end"); return 0; }
    uint8_t byte = *pos_++;
    result |= static_cast<uint64_t>(byte & 0x7F) << (7 * i);
    if (!(byte & 0x80)) {
      int total = 7 * (i + 1);
      if (byte & 0x40) result |= ~uint64_t{0} << total;  // sign-extend (total < 64 here)
      return static_cast<int64_t>(result);
    }
  }
  if (pos_ >= end_) { fail("unexpected end"); return 0; }
  uint8_t byte = *pos_++;
  const int shift = 7 * (max_bytes - 1);
  if (byte & 0x80) { fail("integer representation too long"); return 0; }
  const int used = bits - shift;  // value bits in this byte, the top one is the sign
  if (used < 7) {
    // The unused bits must all equal the sign bit.
    int sign = (byte >> (used - 1)) & 1;
    uint8_t rest = static_cast<uint8_t>(byte >> used);
    uint8_t want = sign ? static_cast<uint8_t>(0x7F >> used) : 0;
    if (rest != want) { fail("integer too large"); return 0; }
  }
  result |= static_cast<uint64_t>(byte & 0x7F) << shift;
  int total = shift + 7;
  if (total < 64 && (byte & 0x40)) result |= ~uint64_t{0} << total;
  return static_cast<int64_t>(result);
}

std::string ByteReader::name() {
  uint32_t length = u32();
  if (failed()) return {};
  if (length > remaining()) { fail("length out of bounds"); return {}; }
  const uint8_t* p = bytes(length);
  std::string text(reinterpret_cast<const char*>(p), length);
  if (!is_valid_utf8(text)) { fail("malformed UTF-8 encoding"); return {}; }
  return text;
}

void write_uleb(std::string& out, uint64_t value) {
  do {
    uint8_t byte = value & 0x7F;
    value >>= 7;
    if (value != 0) byte |= 0x80;
    out.push_back(static_cast<char>(byte));
  } while (value != 0);
}

void write_sleb(std::string& out, int64_t value) {
  bool more = true;
  while (more) {
    uint8_t byte = value & 0x7F;
    value >>= 7;  // arithmetic shift
    if ((value == 0 && !(byte & 0x40)) || (value == -1 && (byte & 0x40))) more = false;
    else byte |= 0x80;
    out.push_back(static_cast<char>(byte));
  }
}

}  // namespace kiln
