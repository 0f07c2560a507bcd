// What compiled code reaches through one pointer, its first argument: the
// parts of an instance and its store that instructions read or write, at
// offsets fixed here and checked by static_assert, so a code generator can
// address them without knowing C++ layouts (Wasmtime's VMContext and
// VMOffsets play this role).
//
//   InstanceContext          the instance's view: arrays of pointers, one per
//                            index space, and the store's limits
//   MemoryDefinition         inside every Memory: base and current size
//   TableDefinition          inside every Table: elements and current size
//   FunctionHeader           the start of every Function: entry, code, type id
//   RuntimeLimits            inside the store's Thread: fuel, epoch, stack
//
// An imported memory, table, global or function is the exporter's own object:
// the pointers lead to the one definition every importer shares, and a
// memory.grow by any of them is seen by all.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

#include "runtime/tier.h"
#include "runtime/value.h"

namespace kiln::runtime {

class Instance;

struct MemoryDefinition {
  uint8_t* base = nullptr;  // never moves for a memory with guard regions
  uint64_t size_bytes = 0;  // the accessible size, updated by memory.grow
};

struct TableDefinition {
  Ref* base = nullptr;  // moves when the table grows
  uint64_t size = 0;
};

// Fuel, the epoch deadline and the native stack limit, for code in one store.
struct RuntimeLimits {
  int64_t fuel = 0;  // what is left; may go negative by the last charge
  uint64_t epoch_deadline = UINT64_MAX;  // trap once *epoch reaches it
  const std::atomic<uint64_t>* epoch = nullptr;  // the engine's epoch counter
  uintptr_t stack_limit = 0;  // native code traps when its stack pointer goes below
};

// The fields of a Function that calls read (Function derives from it).
struct FunctionHeader {
  Entry entry = nullptr;
  const CompiledCode* code = nullptr;
  uint32_t type_id = 0;  // canonical type id in the Engine, for call_indirect
  uint32_t func_index = 0;
  Instance* instance = nullptr;  // null for a host function
};

struct InstanceContext {
  MemoryDefinition* const* memories = nullptr;  // by memory index
  RawValue* const* globals = nullptr;           // each global's value (two slots for a v128)
  TableDefinition* const* tables = nullptr;     // by table index
  FunctionHeader* const* functions = nullptr;   // by function index
  const uint32_t* type_ids = nullptr;           // canonical id of each type index
  RuntimeLimits* limits = nullptr;              // the store's
  Instance* instance = nullptr;                 // for runtime calls (operations.h)
};

// The offsets a code generator uses.
namespace offsets {
inline constexpr size_t kContextMemories = 0;
inline constexpr size_t kContextGlobals = 8;
inline constexpr size_t kContextTables = 16;
inline constexpr size_t kContextFunctions = 24;
inline constexpr size_t kContextTypeIds = 32;
inline constexpr size_t kContextLimits = 40;
inline constexpr size_t kContextInstance = 48;
inline constexpr size_t kMemoryBase = 0;
inline constexpr size_t kMemorySize = 8;
inline constexpr size_t kTableBase = 0;
inline constexpr size_t kTableSize = 8;
inline constexpr size_t kLimitsFuel = 0;
inline constexpr size_t kLimitsEpochDeadline = 8;
inline constexpr size_t kLimitsEpoch = 16;
inline constexpr size_t kLimitsStackLimit = 24;
inline constexpr size_t kFunctionEntry = 0;
inline constexpr size_t kFunctionCode = 8;
inline constexpr size_t kFunctionTypeId = 16;
inline constexpr size_t kFunctionInstance = 24;
}  // namespace offsets

static_assert(offsetof(InstanceContext, memories) == offsets::kContextMemories);
static_assert(offsetof(InstanceContext, globals) == offsets::kContextGlobals);
static_assert(offsetof(InstanceContext, tables) == offsets::kContextTables);
static_assert(offsetof(InstanceContext, functions) == offsets::kContextFunctions);
static_assert(offsetof(InstanceContext, type_ids) == offsets::kContextTypeIds);
static_assert(offsetof(InstanceContext, limits) == offsets::kContextLimits);
static_assert(offsetof(InstanceContext, instance) == offsets::kContextInstance);
static_assert(offsetof(MemoryDefinition, base) == offsets::kMemoryBase);
static_assert(offsetof(MemoryDefinition, size_bytes) == offsets::kMemorySize);
static_assert(offsetof(TableDefinition, base) == offsets::kTableBase);
static_assert(offsetof(TableDefinition, size) == offsets::kTableSize);
static_assert(offsetof(RuntimeLimits, fuel) == offsets::kLimitsFuel);
static_assert(offsetof(RuntimeLimits, epoch_deadline) == offsets::kLimitsEpochDeadline);
static_assert(offsetof(RuntimeLimits, epoch) == offsets::kLimitsEpoch);
static_assert(offsetof(RuntimeLimits, stack_limit) == offsets::kLimitsStackLimit);
static_assert(offsetof(FunctionHeader, entry) == offsets::kFunctionEntry);
static_assert(offsetof(FunctionHeader, code) == offsets::kFunctionCode);
static_assert(offsetof(FunctionHeader, type_id) == offsets::kFunctionTypeId);
static_assert(offsetof(FunctionHeader, instance) == offsets::kFunctionInstance);

}  // namespace kiln::runtime
