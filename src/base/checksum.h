// CRC-32C (Castagnoli), the checksum of compiled artifacts and cache entries:
// it catches damage (a truncated or bit-flipped file), not malice. With SSE4.2
// it runs at several GB/s, so checking a chunk of code as it is loaded costs
// little next to loading it.
#pragma once

#include <cstdint>
#include <span>

namespace kiln {

uint32_t crc32c(std::span<const uint8_t> bytes, uint32_t seed = 0);

// A 64-bit digest, two CRCs of the bytes with different seeds: for cache
// keys, whose entries are compared byte for byte after the lookup anyway.
uint64_t digest64(std::span<const uint8_t> bytes);

}  // namespace kiln
