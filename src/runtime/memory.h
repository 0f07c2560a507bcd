// Linear memory. A 32-bit memory reserves its whole addressable range plus a guard
// region as inaccessible address space and commits pages as it grows, so its base
// never moves and native code can rely on the guard instead of bounds checks.
#pragma once

#include <cstdint>
#include <memory>

#include "base/error.h"
#include "ir/types.h"
#include "runtime/context.h"
#include "runtime/limits.h"

namespace kiln::runtime {

class Memory {
 public:
  // `page_limit` caps growth below the type's maximum (a host resource limit);
  // `limiter`, if set, points at the owning store's limiter, consulted on every
  // growth including the initial size.
  static Expected<std::unique_ptr<Memory>> create(const ir::MemoryType& type, uint64_t page_limit,
                                                  ResourceLimiter* const* limiter = nullptr);
  ~Memory();
  Memory(const Memory&) = delete;
  Memory& operator=(const Memory&) = delete;

  uint8_t* data() const { return definition_.base; }
  uint64_t size_bytes() const { return definition_.size_bytes; }
  uint64_t pages() const { return definition_.size_bytes / ir::kPageSize; }
  // The base and size as compiled code reads them (context.h).
  MemoryDefinition* definition() { return &definition_; }
  bool is64() const { return type_.limits.is64; }
  // The current type: the declared one with the minimum replaced by the current size.
  ir::MemoryType type() const;

  // Grows by `delta` pages; returns the old size in pages, or -1 when the maximum,
  // the host limit or the reservation would be exceeded (memory unchanged).
  int64_t grow(uint64_t delta);

  // Host limit on pages (from Engine/Store configuration).
  uint64_t page_limit() const { return page_limit_; }

  // True when every 32-bit address plus offset falls in the reservation and an
  // access past the end faults into the trap handler (runtime/guard.h).
  bool guarded() const { return guarded_; }

 private:
  Memory() = default;
  MemoryDefinition definition_;  // base, and the committed, accessible bytes
  uint64_t reserved_ = 0;   // reserved address space in bytes
  uint64_t page_limit_ = 0;
  ResourceLimiter* const* limiter_ = nullptr;
  bool guarded_ = false;
  ir::MemoryType type_;
};

}  // namespace kiln::runtime
