// Per-thread execution state of the interpreter: the value stack that frames live
// on and the call stack of return addresses.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace kiln::runtime {
class Function;
class Store;
}

namespace kiln::interp {

struct CallRecord {
  const uint32_t* return_ip;
  uint8_t* frame;
  runtime::Function* function;
};

class Thread {
 public:
  Thread(size_t value_stack_bytes, uint32_t max_call_depth);
  ~Thread();
  Thread(const Thread&) = delete;
  Thread& operator=(const Thread&) = delete;

  uint8_t* stack_begin() const { return stack_; }
  uint8_t* stack_end() const { return stack_ + stack_bytes_; }
  uint32_t max_call_depth() const { return max_call_depth_; }

  // The first free byte of the value stack: where the next entry from the host
  // places its frame. Updated around host calls so re-entry stacks correctly.
  uint8_t* top = nullptr;
  runtime::Store* store = nullptr;  // the store this thread runs code of
  // The wasm function executing now (kept in memory, not a register, so it is
  // still known after a memory fault unwinds the dispatch loop).
  runtime::Function* current = nullptr;
  std::vector<CallRecord> calls;

 private:
  uint8_t* stack_ = nullptr;
  size_t stack_bytes_ = 0;
  uint32_t max_call_depth_ = 0;
};

}  // namespace kiln::interp
