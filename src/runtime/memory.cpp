#include "runtime/memory.h"

#include <sys/mman.h>

#include <algorithm>

#include "runtime/guard.h"

namespace kiln::runtime {

namespace {
// 4 GiB of index space, plus 4 GiB for the largest static offset, plus a page.
constexpr uint64_t kReservation32 = (uint64_t{8} << 30) + ir::kPageSize;
// memory64 memories reserve up to this much and cannot grow beyond it.
constexpr uint64_t kMaxReservation64 = uint64_t{16} << 30;
}  // namespace

Expected<std::unique_ptr<Memory>> Memory::create(const ir::MemoryType& type, uint64_t page_limit,
                                                 ResourceLimiter* const* limiter) {
  std::unique_ptr<Memory> mem(new Memory());
  mem->type_ = type;
  mem->limiter_ = limiter;
  uint64_t type_max = type.limits.max.value_or(type.limits.is64 ? (kMaxReservation64 / ir::kPageSize)
                                                                : ir::kMaxPages32);
  mem->page_limit_ = std::min(type_max, page_limit);
  if (type.limits.min > mem->page_limit_)
    return Error(ErrorKind::Uninstantiable, "memory minimum exceeds the allowed maximum");
  mem->reserved_ = type.limits.is64 ? std::min(kMaxReservation64, mem->page_limit_ * ir::kPageSize + ir::kPageSize)
                                    : kReservation32;
  void* p = mmap(nullptr, mem->reserved_, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) return Error(ErrorKind::Uninstantiable, "cannot reserve address space for memory");
  mem->definition_.base = static_cast<uint8_t*>(p);
  if (!type.limits.is64) {
    if (!register_reservation(mem->definition_.base, mem->reserved_))
      return Error(ErrorKind::Uninstantiable, "too many linear memories in this process");
    mem->guarded_ = true;
  }
  if (mem->grow(type.limits.min) < 0)
    return Error(ErrorKind::Uninstantiable, "memory of " + std::to_string(type.limits.min) +
                                                " pages refused (resource limit or out of memory)");
  return mem;
}

Memory::~Memory() {
  if (guarded_) unregister_reservation(definition_.base);
  if (definition_.base) munmap(definition_.base, reserved_);
}

ir::MemoryType Memory::type() const {
  ir::MemoryType t = type_;
  t.limits.min = pages();
  return t;
}

int64_t Memory::grow(uint64_t delta) {
  uint64_t old_pages = pages();
  if (delta == 0) return static_cast<int64_t>(old_pages);
  if (delta > page_limit_ || old_pages + delta > page_limit_) return -1;
  uint64_t new_size = (old_pages + delta) * ir::kPageSize;
  if (new_size > reserved_) return -1;
  if (limiter_ && *limiter_) {
    std::optional<uint64_t> max;
    if (type_.limits.max) max = *type_.limits.max * ir::kPageSize;
    if (!(*limiter_)->memory_growing(definition_.size_bytes, new_size, max)) return -1;
  }
  if (mprotect(definition_.base + definition_.size_bytes, new_size - definition_.size_bytes, PROT_READ | PROT_WRITE) != 0) return -1;
  definition_.size_bytes = new_size;
  return static_cast<int64_t>(old_pages);
}

}  // namespace kiln::runtime
