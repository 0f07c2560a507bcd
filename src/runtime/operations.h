// The instructions too big to be inline code, as functions every tier calls:
// memory.grow, bulk memory, and the table operations. A trap is returned as
// its TrapCode (None when there is none); the interpreter's handlers and the
// LLVM tier's calls both go through these, so the tiers cannot disagree.
#pragma once

#include <cstdint>

#include "kiln/error.hpp"
#include "runtime/memory.h"
#include "runtime/objects.h"

namespace kiln::runtime {

// [start, start + length) lies within [0, size), without overflow.
inline bool range_in_bounds(uint64_t start, uint64_t length, uint64_t size) {
  return start <= size && length <= size - start;
}

// memory.grow: the old size in pages, or -1 (the limit, the limiter, no memory).
inline int64_t memory_grow(Memory& memory, uint64_t delta_pages) { return memory.grow(delta_pages); }
// memory.fill, memory.copy (the memories may be the same; the ranges may
// overlap) and memory.init from the instance's data segment `data`.
TrapCode memory_fill(Memory& memory, uint64_t dst, uint8_t value, uint64_t length);
TrapCode memory_copy(Memory& dst_memory, uint64_t dst, Memory& src_memory, uint64_t src, uint64_t length);
TrapCode memory_init(Memory& memory, uint64_t dst, const Instance& instance, uint32_t data, uint64_t src,
                     uint64_t length);
// data.drop: the segment reads as empty from now on.
void data_drop(Instance& instance, uint32_t data);

// table.get and table.set, with their bounds check.
TrapCode table_get(const Table& table, uint64_t index, Ref& out);
TrapCode table_set(Table& table, uint64_t index, Ref value);
// table.grow: the old size, or -1.
inline int64_t table_grow(Table& table, uint64_t delta, Ref init) { return table.grow(delta, init); }
TrapCode table_fill(Table& table, uint64_t dst, Ref value, uint64_t length);
TrapCode table_copy(Table& dst_table, uint64_t dst, Table& src_table, uint64_t src, uint64_t length);
TrapCode table_init(Table& table, uint64_t dst, const Instance& instance, uint32_t elem, uint64_t src,
                    uint64_t length);
// elem.drop: the segment reads as empty from now on (and its memory is freed).
void elem_drop(Instance& instance, uint32_t elem);

}  // namespace kiln::runtime
