// Compiled artifacts (.kwasm, cache entries): what is written opens again with
// the same contents; a damaged, foreign or mismatched one is a clear error.
#include <gtest/gtest.h>

#include <cstring>

#include "base/checksum.h"
#include "native/artifact.h"

namespace kiln::native {
namespace {

const std::vector<uint8_t> kWasm = {0, 'a', 's', 'm', 1, 0, 0, 0};

CompileResponse two_functions_one_chunk() {
  CompileResponse r;
  r.objects.push_back({1, 2, 3, 4, 5});
  CompiledFunction f;
  f.defined_index = 0;
  f.object = 0;
  f.code_size = 40;
  f.offsets = {{0, 10}, {8, 12}};
  r.compiled.push_back(f);
  r.not_compiled.push_back({1, "SIMD (v128 values) is not compiled yet"});
  return r;
}

Identity identity() {
  CompileOptions options;
  options.features = 7;
  return Identity::current(options);
}

Expected<std::shared_ptr<const Artifact>> open_bytes(const std::vector<uint8_t>& bytes) {
  auto owner = std::make_shared<const std::vector<uint8_t>>(bytes);
  return Artifact::open(owner, *owner, "test.kwasm");
}

TEST(Artifact, WhatIsWrittenOpensAgain) {
  std::vector<uint8_t> bytes = Artifact::write(identity(), kWasm, {0, 3}, two_functions_one_chunk());
  ASSERT_TRUE(is_artifact(bytes));
  Expected<std::shared_ptr<const Artifact>> a = open_bytes(bytes);
  ASSERT_TRUE(a.has_value()) << a.error().to_string();
  const Artifact& artifact = **a;
  EXPECT_TRUE(artifact.check_identity(identity()).has_value());
  EXPECT_EQ(std::vector<uint8_t>(artifact.wasm().begin(), artifact.wasm().end()), kWasm);
  EXPECT_EQ(artifact.declared_funcs(), (std::vector<uint32_t>{0, 3}));
  ASSERT_EQ(artifact.function_count(), 2u);
  EXPECT_EQ(std::get<uint32_t>(artifact.function(0)), 0u);
  EXPECT_EQ(std::get<std::string>(artifact.function(1)), "SIMD (v128 values) is not compiled yet");
  Expected<Chunk> chunk = artifact.chunk(0);
  ASSERT_TRUE(chunk.has_value()) << chunk.error().to_string();
  EXPECT_EQ(std::vector<uint8_t>(chunk->object.begin(), chunk->object.end()), (std::vector<uint8_t>{1, 2, 3, 4, 5}));
  ASSERT_EQ(chunk->functions.size(), 1u);
  EXPECT_EQ(chunk->functions[0].code_size, 40u);
  ASSERT_EQ(chunk->functions[0].offsets.size(), 2u);
  EXPECT_EQ(chunk->functions[0].offsets[1].code_offset, 8u);
  EXPECT_EQ(chunk->functions[0].offsets[1].wasm_offset, 12u);
  EXPECT_TRUE(artifact.verify_chunks().has_value());
}

// Every truncation and every flipped bit is an error, never a crash (run
// under ASan, this also shows no read goes past the bytes).
TEST(Artifact, DamageIsAlwaysAnError) {
  std::vector<uint8_t> good = Artifact::write(identity(), kWasm, {}, two_functions_one_chunk());
  for (size_t n = 0; n < good.size(); ++n) {
    std::vector<uint8_t> truncated(good.begin(), good.begin() + n);
    Expected<std::shared_ptr<const Artifact>> a = open_bytes(truncated);
    bool chunk_ok = a && (*a)->chunk(0).has_value();
    EXPECT_FALSE(a && chunk_ok) << "truncated to " << n << " bytes";
  }
  for (size_t i = 0; i < good.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      std::vector<uint8_t> flipped = good;
      flipped[i] ^= static_cast<uint8_t>(1 << bit);
      Expected<std::shared_ptr<const Artifact>> a = open_bytes(flipped);
      if (!a) {
        EXPECT_TRUE(a.error().kind == ErrorKind::Malformed || a.error().kind == ErrorKind::Unsupported);
        continue;
      }
      // The magic and format words are outside the checksums; the rest is not.
      EXPECT_FALSE((*a)->verify_chunks().has_value() && (*a)->check_identity(identity()).has_value() &&
                   (*a)->wasm().size() == kWasm.size() &&
                   std::memcmp((*a)->wasm().data(), kWasm.data(), kWasm.size()) == 0)
          << "byte " << i << " bit " << bit;
    }
  }
}

TEST(Artifact, NamesWhatDiffers) {
  std::vector<uint8_t> bytes = Artifact::write(identity(), kWasm, {}, two_functions_one_chunk());
  std::shared_ptr<const Artifact> a = *open_bytes(bytes);
  Identity other = identity();
  other.kiln_version = "9.9.9";
  EXPECT_NE(a->check_identity(other).error().message.find("was compiled by kiln"), std::string::npos);
  other = identity();
  other.cpu = "x86_64 Some Other CPU [0]";
  EXPECT_NE(a->check_identity(other).error().message.find("another processor"), std::string::npos);
  other = identity();
  other.options.consume_fuel = true;
  EXPECT_NE(a->check_identity(other).error().message.find("--consume-fuel"), std::string::npos);
  other = identity();
  other.options.epoch_interruption = true;
  EXPECT_NE(a->check_identity(other).error().message.find("--epoch-interruption"), std::string::npos);
  EXPECT_EQ(a->check_identity(other).error().kind, ErrorKind::Unsupported);
}

TEST(Artifact, NotAnArtifact) {
  Expected<std::shared_ptr<const Artifact>> a = open_bytes(kWasm);
  ASSERT_FALSE(a.has_value());
  EXPECT_EQ(a.error().message, "test.kwasm is not a compiled module (.kwasm)");
}

TEST(Checksum, Crc32cKnownValues) {
  // RFC 3720's test vector: 32 bytes of zeros.
  std::vector<uint8_t> zeros(32, 0);
  EXPECT_EQ(crc32c(zeros), 0x8a9136aau);
  const char* text = "123456789";
  EXPECT_EQ(crc32c({reinterpret_cast<const uint8_t*>(text), 9}), 0xe3069283u);
}

TEST(Checksum, BigBuffersAsOneStream) {
  // Big buffers are checksummed as three interleaved blocks and combined:
  // the same CRC as bit by bit, at lengths around the block boundaries.
  auto bitwise = [](std::span<const uint8_t> bytes, uint32_t seed) {
    uint32_t crc = ~seed;
    for (uint8_t byte : bytes) {
      crc ^= byte;
      for (int k = 0; k < 8; ++k) crc = (crc & 1) ? (crc >> 1) ^ 0x82f63b78u : crc >> 1;
    }
    return ~crc;
  };
  std::vector<uint8_t> bytes(100000);
  uint32_t state = 12345;
  for (uint8_t& b : bytes) b = static_cast<uint8_t>((state = state * 1103515245u + 12345u) >> 24);
  for (size_t n : {16383u, 16384u, 16385u, 16391u, 24000u, 65536u, 99999u, 100000u}) {
    std::span<const uint8_t> part(bytes.data(), n);
    EXPECT_EQ(crc32c(part), bitwise(part, 0)) << n;
    EXPECT_EQ(crc32c(part, 0x9e3779b9u), bitwise(part, 0x9e3779b9u)) << n;
  }
}

TEST(Checksum, DigestIsTwoSeededCrcs) {
  // The one-pass digest is the two CRCs it stands for, at every length
  // (whole words and the bytes after them).
  std::vector<uint8_t> bytes(77);
  for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<uint8_t>(i * 37 + 11);
  for (size_t n = 0; n <= bytes.size(); ++n) {
    std::span<const uint8_t> part(bytes.data(), n);
    EXPECT_EQ(digest64(part), (uint64_t{crc32c(part, 0)} << 32) | crc32c(part, 0x9e3779b9u)) << n;
  }
}

}  // namespace
}  // namespace kiln::native
