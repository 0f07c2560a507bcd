#include <gtest/gtest.h>

#include "base/reader.h"

namespace kiln {
namespace {

ByteReader reader_for(const std::vector<uint8_t>& bytes) { return ByteReader(bytes.data(), bytes.size()); }

TEST(Leb128, UnsignedValues) {
  std::vector<uint8_t> bytes = {0x00, 0x7f, 0x80, 0x01, 0xe5, 0x8e, 0x26, 0xff, 0xff, 0xff, 0xff, 0x0f};
  ByteReader r = reader_for(bytes);
  EXPECT_EQ(r.u32(), 0u);
  EXPECT_EQ(r.u32(), 127u);
  EXPECT_EQ(r.u32(), 128u);
  EXPECT_EQ(r.u32(), 624485u);
  EXPECT_EQ(r.u32(), 0xffffffffu);
  EXPECT_FALSE(r.failed());
  EXPECT_TRUE(r.at_end());
}

TEST(Leb128, UnsignedOverlongZeroIsAllowedWithinLength) {
  std::vector<uint8_t> bytes = {0x80, 0x80, 0x80, 0x80, 0x00};
  ByteReader r = reader_for(bytes);
  EXPECT_EQ(r.u32(), 0u);
  EXPECT_FALSE(r.failed());
}

TEST(Leb128, UnsignedTooLong) {
  std::vector<uint8_t> bytes = {0x80, 0x80, 0x80, 0x80, 0x80, 0x00};
  ByteReader r = reader_for(bytes);
  r.u32();
  ASSERT_TRUE(r.failed());
  EXPECT_EQ(r.error().message, "integer representation too long");
}

TEST(Leb128, UnsignedUnusedBitsMustBeZero) {
  std::vector<uint8_t> bytes = {0xff, 0xff, 0xff, 0xff, 0x1f};
  ByteReader r = reader_for(bytes);
  r.u32();
  ASSERT_TRUE(r.failed());
  EXPECT_EQ(r.error().message, "integer too large");
  EXPECT_EQ(r.error().kind, ErrorKind::Malformed);
}

TEST(Leb128, SignedValues) {
  std::vector<uint8_t> bytes = {0x7f, 0x80, 0x7f, 0x80, 0x80, 0x80, 0x80, 0x78, 0xff, 0xff, 0xff, 0xff, 0x07};
  ByteReader r = reader_for(bytes);
  EXPECT_EQ(r.s32(), -1);
  EXPECT_EQ(r.s32(), -128);
  EXPECT_EQ(r.s32(), INT32_MIN);
  EXPECT_EQ(r.s32(), INT32_MAX);
  EXPECT_FALSE(r.failed());
}

TEST(Leb128, SignedUnusedBitsMustBeSignExtension) {
  // -1 in five bytes with a wrong bit in the unused part of the last byte.
  std::vector<uint8_t> bytes = {0xff, 0xff, 0xff, 0xff, 0x4f};
  ByteReader r = reader_for(bytes);
  r.s32();
  ASSERT_TRUE(r.failed());
  EXPECT_EQ(r.error().message, "integer too large");
}

TEST(Leb128, Signed64Extremes) {
  std::string out;
  write_sleb(out, INT64_MIN);
  write_sleb(out, INT64_MAX);
  std::vector<uint8_t> bytes(out.begin(), out.end());
  ByteReader r = reader_for(bytes);
  EXPECT_EQ(r.s64(), INT64_MIN);
  EXPECT_EQ(r.s64(), INT64_MAX);
  EXPECT_FALSE(r.failed());
}

TEST(Leb128, UnexpectedEndNamesOffset) {
  std::vector<uint8_t> bytes = {0x80, 0x80};
  ByteReader r(bytes.data(), bytes.size(), 100);
  r.u32();
  ASSERT_TRUE(r.failed());
  EXPECT_EQ(r.error().message, "unexpected end");
  EXPECT_EQ(r.error().offset, 102u);
}

TEST(Leb128, RoundTripUnsigned) {
  for (uint64_t v : std::vector<uint64_t>{0, 1, 127, 128, 16383, 16384, 0xffffffff, UINT64_MAX}) {
    std::string out;
    write_uleb(out, v);
    std::vector<uint8_t> bytes(out.begin(), out.end());
    ByteReader r = reader_for(bytes);
    EXPECT_EQ(r.u64(), v);
    EXPECT_TRUE(r.at_end());
  }
}

}  // namespace
}  // namespace kiln
