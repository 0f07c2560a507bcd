// A bounds-checked view of the calling instance's linear memory. Every guest
// pointer and length goes through here before the host touches a byte, with
// 64-bit arithmetic so `ptr + len` cannot wrap. A failed check becomes EFAULT.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "runtime/memory.h"
#include "wasi/abi.h"

namespace kiln::wasi {

static_assert(std::endian::native == std::endian::little, "guest structs are copied as host integers");

class GuestMemory {
 public:
  GuestMemory() = default;
  // Taken afresh on every call: the memory may have grown since the last one.
  explicit GuestMemory(const runtime::Memory* memory)
      : base_(memory ? memory->data() : nullptr), size_(memory ? memory->size_bytes() : 0) {}
  GuestMemory(uint8_t* base, uint64_t size) : base_(base), size_(size) {}

  bool contains(uint64_t ptr, uint64_t len) const { return ptr <= size_ && len <= size_ - ptr; }

  // The host address of guest bytes [ptr, ptr + len), or null when any is outside.
  uint8_t* bytes(uint64_t ptr, uint64_t len) const { return contains(ptr, len) ? base_ + ptr : nullptr; }

  template <class T>
  bool load(uint64_t ptr, T& out) const {
    const uint8_t* p = bytes(ptr, sizeof(T));
    if (!p) return false;
    std::memcpy(&out, p, sizeof(T));
    return true;
  }
  template <class T>
  bool store(uint64_t ptr, T value) const {
    uint8_t* p = bytes(ptr, sizeof(T));
    if (!p) return false;
    std::memcpy(p, &value, sizeof(T));
    return true;
  }
  // A guest string (not NUL-terminated) as a view into guest memory.
  bool string(uint64_t ptr, uint64_t len, std::string_view& out) const {
    const uint8_t* p = bytes(ptr, len);
    if (!p) return false;
    out = std::string_view(reinterpret_cast<const char*>(p), len);
    return true;
  }

 private:
  uint8_t* base_ = nullptr;
  uint64_t size_ = 0;
};

// Builds a guest struct in host memory field by field, then stores it with one
// bounds check: `StructWriter<layout::kFilestatSize> w; w.put<uint64_t>(0, dev); ...`.
template <uint32_t Size>
struct StructWriter {
  uint8_t data[Size] = {};
  template <class T>
  void put(uint32_t offset, T value) {
    static_assert(sizeof(T) <= Size);
    std::memcpy(data + offset, &value, sizeof(T));
  }
  bool store_to(const GuestMemory& memory, uint64_t ptr) const {
    uint8_t* p = memory.bytes(ptr, Size);
    if (!p) return false;
    std::memcpy(p, data, Size);
    return true;
  }
};

}  // namespace kiln::wasi
