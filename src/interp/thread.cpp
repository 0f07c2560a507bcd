#include "interp/thread.h"

#include <sys/mman.h>

#include <new>

namespace kiln::interp {

Thread::Thread(size_t value_stack_bytes, uint32_t max_call_depth)
    : stack_bytes_(value_stack_bytes), max_call_depth_(max_call_depth) {
  // Reserved lazily by the kernel: only the pages frames touch are committed.
  void* p = mmap(nullptr, stack_bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  stack_ = static_cast<uint8_t*>(p);
  top = stack_;
  calls.reserve(1024);
}

Thread::~Thread() { munmap(stack_, stack_bytes_); }

}  // namespace kiln::interp
