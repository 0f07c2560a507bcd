// A bounds-checked byte reader with a sticky error, used by every binary decoder.
//
// Reads past the end or malformed LEB128 record the first error and return 0; the
// caller checks `failed()` at convenient points (the V8 decoder style). This keeps
// decoding code linear while never reading outside the buffer.
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include "base/error.h"

namespace kiln {

class ByteReader {
 public:
  ByteReader() = default;
  // `base_offset` is the offset of `data` inside the whole module, for messages.
  ByteReader(const uint8_t* data, size_t size, size_t base_offset = 0)
      : start_(data), pos_(data), end_(data + size), base_offset_(base_offset) {}

  size_t offset() const { return base_offset_ + static_cast<size_t>(pos_ - start_); }
  size_t remaining() const { return static_cast<size_t>(end_ - pos_); }
  bool at_end() const { return pos_ >= end_; }
  const uint8_t* position() const { return pos_; }
  bool failed() const { return error_.has_value(); }
  const Error& error() const { return *error_; }
  Error take_error() { return std::move(*error_); }

  // Records an error (the first one wins) at the current offset.
  void fail(std::string message) { fail_at(offset(), std::move(message)); }
  void fail_at(size_t off, std::string message) { fail_with(ErrorKind::Malformed, off, std::move(message)); }
  void fail_invalid(std::string message) { fail_with(ErrorKind::Invalid, offset(), std::move(message)); }
  // Well-formed input that needs a feature Kiln lacks: "threads (...) are not supported yet".
  void fail_unsupported(size_t off, std::string message) {
    fail_with(ErrorKind::Unsupported, off, std::move(message));
  }
  void fail_with(ErrorKind kind, size_t off, std::string message) {
    if (!error_) error_ = Error(kind, std::move(message), off);
    pos_ = end_;
  }

  uint8_t u8() {
    if (pos_ >= end_) { fail("unexpected end"); return 0; }
    return *pos_++;
  }
  uint8_t peek_u8() const { return pos_ < end_ ? *pos_ : 0; }

  // LEB128: most values in code are one byte, read inline; longer ones and
  // errors take the out-of-line path.
  uint32_t u32() {
    if (end_ - pos_ >= 2) {
      if (pos_[0] < 0x80) return *pos_++;
      if (pos_[1] < 0x80) return two_byte_value();
    }
    return static_cast<uint32_t>(read_unsigned(32));
  }
  uint64_t u64() {
    if (end_ - pos_ >= 2) {
      if (pos_[0] < 0x80) return *pos_++;
      if (pos_[1] < 0x80) return two_byte_value();
    }
    return read_unsigned(64);
  }
  int32_t s32() {
    if (pos_ < end_ && *pos_ < 0x80) return static_cast<int8_t>(*pos_++ << 1) >> 1;  // sign from bit 6
    return static_cast<int32_t>(read_signed(32));
  }
  int64_t s64() {
    if (pos_ < end_ && *pos_ < 0x80) return static_cast<int8_t>(*pos_++ << 1) >> 1;
    return read_signed(64);
  }
  // The 33-bit signed LEB used for block types that name a type index.
  int64_t s33() { return read_signed(33); }

  uint32_t fixed_u32() {
    uint32_t v = 0;
    if (remaining() < 4) { fail("unexpected end"); return 0; }
    std::memcpy(&v, pos_, 4);
    pos_ += 4;
    return v;
  }
  uint64_t fixed_u64() {
    uint64_t v = 0;
    if (remaining() < 8) { fail("unexpected end"); return 0; }
    std::memcpy(&v, pos_, 8);
    pos_ += 8;
    return v;
  }
  // Returns a pointer to `n` bytes and advances, or nullptr (and fails).
  const uint8_t* bytes(size_t n) {
    if (remaining() < n) { fail("unexpected end"); return nullptr; }
    const uint8_t* p = pos_;
    pos_ += n;
    return p;
  }
  void skip(size_t n) { bytes(n); }
  // Advances past `n` bytes the caller has checked are there (n <= remaining()).
  void advance(size_t n) { pos_ += n; }

  // A length-prefixed UTF-8 name.
  std::string name();

 private:
  uint64_t read_unsigned(int bits);
  // A two-byte LEB128 (the first byte has its continuation bit, the second not).
  uint32_t two_byte_value() {
    uint32_t value = (pos_[0] & 0x7fu) | (uint32_t{pos_[1]} << 7);
    pos_ += 2;
    return value;
  }
  int64_t read_signed(int bits);

  const uint8_t* start_ = nullptr;
  const uint8_t* pos_ = nullptr;
  const uint8_t* end_ = nullptr;
  size_t base_offset_ = 0;
  std::optional<Error> error_;
};

// Appends LEB128 encodings (used by the text-to-binary encoder and by tests).
void write_uleb(std::string& out, uint64_t value);
void write_sleb(std::string& out, int64_t value);

}  // namespace kiln
