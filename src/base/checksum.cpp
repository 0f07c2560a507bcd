#include "base/checksum.h"

#include <array>
#include <cstring>

#if defined(__x86_64__)
#include <cpuid.h>
#include <nmmintrin.h>
#endif

namespace kiln {

namespace {

constexpr uint32_t kPolynomial = 0x82f63b78;  // CRC-32C, reflected

constexpr std::array<uint32_t, 256> make_table() {
  std::array<uint32_t, 256> table{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? (c >> 1) ^ kPolynomial : c >> 1;
    table[i] = c;
  }
  return table;
}
constexpr std::array<uint32_t, 256> kTable = make_table();

uint32_t crc_bytewise(const uint8_t* p, size_t n, uint32_t crc) {
  for (size_t i = 0; i < n; ++i) crc = kTable[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
  return crc;
}

#if defined(__x86_64__)
__attribute__((target("sse4.2"))) uint32_t crc_sse42(const uint8_t* p, size_t n, uint32_t crc) {
  uint64_t c = crc;
  for (; n >= 8; p += 8, n -= 8) {
    uint64_t word;
    std::memcpy(&word, p, 8);
    c = _mm_crc32_u64(c, word);
  }
  crc = static_cast<uint32_t>(c);
  for (; n > 0; ++p, --n) crc = _mm_crc32_u8(crc, *p);
  return crc;
}

// Two CRCs of the same bytes, with different seeds, interleaved.
__attribute__((target("sse4.2"))) uint64_t digest_sse42(const uint8_t* p, size_t n, uint32_t seed_a, uint32_t seed_b) {
  uint64_t a = seed_a, b = seed_b;
  for (; n >= 8; p += 8, n -= 8) {
    uint64_t word;
    std::memcpy(&word, p, 8);
    a = _mm_crc32_u64(a, word);
    b = _mm_crc32_u64(b, word);
  }
  auto ca = static_cast<uint32_t>(a), cb = static_cast<uint32_t>(b);
  for (; n > 0; ++p, --n) {
    ca = _mm_crc32_u8(ca, *p);
    cb = _mm_crc32_u8(cb, *p);
  }
  return (uint64_t{~ca} << 32) | ~cb;
}

bool has_sse42() {
  unsigned a, b, c, d;
  return __get_cpuid(1, &a, &b, &c, &d) && (c & bit_SSE4_2);
}
#endif

}  // namespace

uint32_t crc32c(std::span<const uint8_t> bytes, uint32_t seed) {
  uint32_t crc = ~seed;
#if defined(__x86_64__)
  static const bool sse42 = has_sse42();
  if (sse42) return ~crc_sse42(bytes.data(), bytes.size(), crc);
#endif
  return ~crc_bytewise(bytes.data(), bytes.size(), crc);
}

uint64_t digest64(std::span<const uint8_t> bytes) {
  constexpr uint32_t kSecondSeed = 0x9e3779b9u;
#if defined(__x86_64__)
  static const bool sse42 = has_sse42();
  if (sse42) return digest_sse42(bytes.data(), bytes.size(), ~0u, ~kSecondSeed);
#endif
  return (uint64_t{crc32c(bytes, 0)} << 32) | crc32c(bytes, kSecondSeed);
}

}  // namespace kiln
