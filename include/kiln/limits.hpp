// Resource limits an embedder can impose on a Store: consulted before every
// memory or table growth (including a module's initial sizes at instantiation)
// and before every instantiation, so a host running many tenants can cap their
// total memory. Returning false refuses: memory.grow/table.grow return -1 (as the
// spec allows), and instantiation fails cleanly.
#pragma once

#include <cstdint>
#include <optional>

namespace kiln {

class ResourceLimiter {
 public:
  virtual ~ResourceLimiter() = default;
  // A memory wants to go from `current` to `desired` bytes; `maximum` is its
  // declared maximum in bytes, if any.
  virtual bool memory_growing(uint64_t current, uint64_t desired, std::optional<uint64_t> maximum) = 0;
  // A table wants to go from `current` to `desired` elements.
  virtual bool table_growing(uint64_t current, uint64_t desired, std::optional<uint64_t> maximum) = 0;
  // A new instance is about to be created; `existing` are alive in the store.
  virtual bool instance_creating(uint64_t /*existing*/) { return true; }
};

}  // namespace kiln
