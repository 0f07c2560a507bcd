#include "runtime/objects.h"

#include <algorithm>

#include "runtime/module.h"

namespace kiln::runtime {

Table::Table(ir::TableType type, uint64_t element_limit, Ref init, ResourceLimiter* const* limiter)
    : type_(type), limiter_(limiter) {
  uint64_t type_max = type.limits.max.value_or(type.limits.is64 ? UINT64_MAX : UINT32_MAX);
  limit_ = std::min(type_max, element_limit);
  elements_.assign(type.limits.min, init);
  update_definition();
}

ir::TableType Table::type() const {
  ir::TableType t = type_;
  t.limits.min = elements_.size();
  return t;
}

int64_t Table::grow(uint64_t delta, Ref init) {
  uint64_t old = elements_.size();
  if (delta > limit_ || old + delta > limit_) return -1;
  if (limiter_ && *limiter_ && !(*limiter_)->table_growing(old, old + delta, type_.limits.max)) return -1;
  elements_.resize(old + delta, init);
  update_definition();
  return static_cast<int64_t>(old);
}

std::span<const uint8_t> Instance::data_segment(uint32_t index) const {
  if (data_dropped[index]) return {};
  return module->ir().range(module->ir().datas[index].init);
}

}  // namespace kiln::runtime
