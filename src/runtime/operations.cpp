#include "runtime/operations.h"

#include <algorithm>
#include <cstring>

namespace kiln::runtime {

TrapCode memory_fill(Memory& memory, uint64_t dst, uint8_t value, uint64_t length) {
  if (!range_in_bounds(dst, length, memory.size_bytes())) return TrapCode::MemoryOutOfBounds;
  std::memset(memory.data() + dst, value, length);
  return TrapCode::None;
}

TrapCode memory_copy(Memory& dst_memory, uint64_t dst, Memory& src_memory, uint64_t src, uint64_t length) {
  if (!range_in_bounds(dst, length, dst_memory.size_bytes()) || !range_in_bounds(src, length, src_memory.size_bytes()))
    return TrapCode::MemoryOutOfBounds;
  std::memmove(dst_memory.data() + dst, src_memory.data() + src, length);
  return TrapCode::None;
}

TrapCode memory_init(Memory& memory, uint64_t dst, const Instance& instance, uint32_t data, uint64_t src,
                     uint64_t length) {
  std::span<const uint8_t> segment = instance.data_segment(data);
  if (!range_in_bounds(dst, length, memory.size_bytes()) || !range_in_bounds(src, length, segment.size()))
    return TrapCode::MemoryOutOfBounds;
  if (length) std::memcpy(memory.data() + dst, segment.data() + src, length);
  return TrapCode::None;
}

void data_drop(Instance& instance, uint32_t data) { instance.data_dropped[data] = true; }

TrapCode table_get(const Table& table, uint64_t index, Ref& out) {
  if (index >= table.size()) return TrapCode::TableOutOfBounds;
  out = table.get(index);
  return TrapCode::None;
}

TrapCode table_set(Table& table, uint64_t index, Ref value) {
  if (index >= table.size()) return TrapCode::TableOutOfBounds;
  table.set(index, value);
  return TrapCode::None;
}

TrapCode table_fill(Table& table, uint64_t dst, Ref value, uint64_t length) {
  if (!range_in_bounds(dst, length, table.size())) return TrapCode::TableOutOfBounds;
  std::fill_n(table.data() + dst, length, value);
  return TrapCode::None;
}

TrapCode table_copy(Table& dst_table, uint64_t dst, Table& src_table, uint64_t src, uint64_t length) {
  if (!range_in_bounds(dst, length, dst_table.size()) || !range_in_bounds(src, length, src_table.size()))
    return TrapCode::TableOutOfBounds;
  std::memmove(dst_table.data() + dst, src_table.data() + src, length * sizeof(Ref));
  return TrapCode::None;
}

TrapCode table_init(Table& table, uint64_t dst, const Instance& instance, uint32_t elem, uint64_t src,
                    uint64_t length) {
  const std::vector<Ref>& segment = instance.elem_segments[elem];
  if (!range_in_bounds(dst, length, table.size()) || !range_in_bounds(src, length, segment.size()))
    return TrapCode::TableOutOfBounds;
  std::copy_n(segment.data() + src, length, table.data() + dst);
  return TrapCode::None;
}

void elem_drop(Instance& instance, uint32_t elem) {
  instance.elem_segments[elem].clear();
  instance.elem_segments[elem].shrink_to_fit();
}

}  // namespace kiln::runtime
