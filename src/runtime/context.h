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

class Function;
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

struct InstanceContext;

// The fields of a Function that calls read (Function derives from it).
struct FunctionHeader {
  Entry entry = nullptr;
  const CompiledCode* code = nullptr;
  uint32_t type_id = 0;  // canonical type id in the Engine, for call_indirect
  uint32_t func_index = 0;
  Instance* instance = nullptr;  // null for a host function
  // Native code of this function, callable directly as
  // (InstanceContext* context, params...) -> results; null when it has none.
  const void* native = nullptr;
  InstanceContext* context = nullptr;  // its instance's; null for a host function
};

// A call in progress, innermost last: for the backtrace of a trap, and to
// bound the call depth. An interpreter frame records where to return in its
// code (`frame` is the caller's frame); a native frame has no frame, and
// `return_ip` holds the wasm offset of its call instruction instead.
struct CallRecord {
  const uint32_t* return_ip;
  uint8_t* frame;
  Function* function;  // the caller
};

// The call stack: a fixed array sized for the maximum call depth (committed by
// the kernel only as deep as calls actually go), so a call is a bounds check
// and three stores. Its fields are at fixed offsets, for native code.
struct CallStack {
  explicit CallStack(uint32_t max_depth);
  ~CallStack();
  CallStack(const CallStack&) = delete;
  CallStack& operator=(const CallStack&) = delete;

  size_t size() const { return static_cast<size_t>(top_ - base_); }
  const CallRecord* top() const { return top_; }
  bool full() const { return top_ == limit_; }
  void push(const CallRecord& record) { *top_++ = record; }
  CallRecord pop() { return *--top_; }
  const CallRecord& operator[](size_t i) const { return base_[i]; }
  void resize(size_t size) { top_ = base_ + size; }

  CallRecord* base_ = nullptr;
  CallRecord* top_ = nullptr;
  CallRecord* limit_ = nullptr;
  size_t bytes_ = 0;
};

// What running code of a store reads and writes: its limits and call stack
// (runtime::Thread derives from it).
struct ThreadState {
  explicit ThreadState(uint32_t max_call_depth) : calls(max_call_depth) {}
  RuntimeLimits limits;
  CallStack calls;
};

struct InstanceContext {
  MemoryDefinition* const* memories = nullptr;  // by memory index
  RawValue* const* globals = nullptr;           // each global's value (two slots for a v128)
  TableDefinition* const* tables = nullptr;     // by table index
  FunctionHeader* const* functions = nullptr;   // by function index
  const uint32_t* type_ids = nullptr;           // canonical id of each type index
  ThreadState* thread = nullptr;                // the store's limits and call stack
  Instance* instance = nullptr;                 // for runtime calls (operations.h)
};

// The offsets a code generator uses.
namespace offsets {
inline constexpr size_t kContextMemories = 0;
inline constexpr size_t kContextGlobals = 8;
inline constexpr size_t kContextTables = 16;
inline constexpr size_t kContextFunctions = 24;
inline constexpr size_t kContextTypeIds = 32;
inline constexpr size_t kContextThread = 40;
inline constexpr size_t kContextInstance = 48;
inline constexpr size_t kMemoryBase = 0;
inline constexpr size_t kMemorySize = 8;
inline constexpr size_t kTableBase = 0;
inline constexpr size_t kTableSize = 8;
inline constexpr size_t kThreadFuel = 0;
inline constexpr size_t kThreadEpochDeadline = 8;
inline constexpr size_t kThreadEpoch = 16;
inline constexpr size_t kThreadStackLimit = 24;
inline constexpr size_t kThreadCallTop = 40;
inline constexpr size_t kThreadCallLimit = 48;
inline constexpr size_t kCallRecordSize = 24;
inline constexpr size_t kFunctionEntry = 0;
inline constexpr size_t kFunctionCode = 8;
inline constexpr size_t kFunctionTypeId = 16;
inline constexpr size_t kFunctionInstance = 24;
inline constexpr size_t kFunctionNative = 32;
inline constexpr size_t kFunctionContext = 40;
}  // namespace offsets

static_assert(offsetof(InstanceContext, memories) == offsets::kContextMemories);
static_assert(offsetof(InstanceContext, globals) == offsets::kContextGlobals);
static_assert(offsetof(InstanceContext, tables) == offsets::kContextTables);
static_assert(offsetof(InstanceContext, functions) == offsets::kContextFunctions);
static_assert(offsetof(InstanceContext, type_ids) == offsets::kContextTypeIds);
static_assert(offsetof(InstanceContext, thread) == offsets::kContextThread);
static_assert(offsetof(InstanceContext, instance) == offsets::kContextInstance);
static_assert(offsetof(MemoryDefinition, base) == offsets::kMemoryBase);
static_assert(offsetof(MemoryDefinition, size_bytes) == offsets::kMemorySize);
static_assert(offsetof(TableDefinition, base) == offsets::kTableBase);
static_assert(offsetof(TableDefinition, size) == offsets::kTableSize);
static_assert(offsetof(ThreadState, limits) == 0);
static_assert(offsetof(RuntimeLimits, fuel) == offsets::kThreadFuel);
static_assert(offsetof(RuntimeLimits, epoch_deadline) == offsets::kThreadEpochDeadline);
static_assert(offsetof(RuntimeLimits, epoch) == offsets::kThreadEpoch);
static_assert(offsetof(RuntimeLimits, stack_limit) == offsets::kThreadStackLimit);
static_assert(offsetof(ThreadState, calls) + offsetof(CallStack, top_) == offsets::kThreadCallTop);
static_assert(offsetof(ThreadState, calls) + offsetof(CallStack, limit_) == offsets::kThreadCallLimit);
static_assert(sizeof(CallRecord) == offsets::kCallRecordSize);
static_assert(offsetof(FunctionHeader, entry) == offsets::kFunctionEntry);
static_assert(offsetof(FunctionHeader, code) == offsets::kFunctionCode);
static_assert(offsetof(FunctionHeader, type_id) == offsets::kFunctionTypeId);
static_assert(offsetof(FunctionHeader, instance) == offsets::kFunctionInstance);
static_assert(offsetof(FunctionHeader, native) == offsets::kFunctionNative);
static_assert(offsetof(FunctionHeader, context) == offsets::kFunctionContext);

}  // namespace kiln::runtime
