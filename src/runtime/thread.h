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

// The store's execution state; its ThreadState part (context.h) is what
// native code reads and writes.
class Thread : public ThreadState {
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
