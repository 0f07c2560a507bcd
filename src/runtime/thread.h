// Per-store execution state of running code, whichever tier runs it: the value
// stack that interpreter frames live on, the call stack of return addresses,
// fuel, the epoch deadline, and the error being returned.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "base/error.h"
#include "runtime/context.h"

namespace kiln::runtime {

class Function;
class Instance;
class Store;

struct CallRecord {
  const uint32_t* return_ip;
  uint8_t* frame;
  Function* function;
};

// The call stack: a fixed array sized for the maximum call depth (committed by
// the kernel only as deep as calls actually go), so a call is a bounds check
// and three stores.
class CallStack {
 public:
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

 private:
  CallRecord* base_ = nullptr;
  CallRecord* top_ = nullptr;
  CallRecord* limit_ = nullptr;
  size_t bytes_ = 0;
};

class Thread {
 public:
  Thread(size_t value_stack_bytes, uint32_t max_call_depth);
  ~Thread();
  Thread(const Thread&) = delete;
  Thread& operator=(const Thread&) = delete;

  uint8_t* stack_begin() const { return stack_; }
  uint8_t* stack_end() const { return stack_ + stack_bytes_; }

  // The first free byte of the value stack: where the next entry from the host
  // places its frame. Updated around host calls so re-entry stacks correctly.
  uint8_t* top = nullptr;
  Store* store = nullptr;  // the store this thread runs code of
  // The wasm function executing now (kept in memory, not a register, so it is
  // still known after a memory fault unwinds the dispatch loop).
  Function* current = nullptr;
  // The instance whose code makes the call through an entry in progress (for a
  // host function's Caller); null when the host calls.
  Instance* caller = nullptr;
  CallStack calls;

  // Fuel, the epoch deadline and the native stack limit (context.h), which
  // every instance of the store points at.
  RuntimeLimits limits;
  // Set while a handler runs a whole loop itself (F32/F64AxpyLoop): its
  // registers need not hold the instruction pointer, so a memory fault there
  // takes the instruction from here.
  const uint32_t* loop_ip = nullptr;

  // The error the dispatch loop is about to return (a trap, or one from a host
  // function or lazy translation): set and consumed at once, so nested runs
  // (wasm -> host -> wasm) can share it. Here rather than a local of run(),
  // where GCC zero-fills all of the optional<Error> on every entry into wasm.
  std::optional<Error> pending_error;

 private:
  uint8_t* stack_ = nullptr;
  size_t stack_bytes_ = 0;
};

}  // namespace kiln::runtime
