#include "runtime/thread.h"

#include <sys/mman.h>

#include <new>

namespace kiln::runtime {

namespace {
// Reserves zeroed memory the kernel commits lazily, page by page.
void* reserve(size_t bytes) {
  void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  return p;
}
}  // namespace

CallStack::CallStack(uint32_t max_depth) : bytes_(size_t{max_depth} * sizeof(CallRecord)) {
  base_ = static_cast<CallRecord*>(reserve(bytes_));
  top_ = base_;
  limit_ = base_ + max_depth;
}

CallStack::~CallStack() { munmap(base_, bytes_); }

Thread::Thread(size_t value_stack_bytes, uint32_t max_call_depth)
    : ThreadState(max_call_depth), stack_bytes_(value_stack_bytes) {
  stack_ = static_cast<uint8_t*>(reserve(stack_bytes_));
  top = stack_;
}

Thread::~Thread() { munmap(stack_, stack_bytes_); }

}  // namespace kiln::runtime
