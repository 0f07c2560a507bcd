// Running native code: its entry, the helpers it calls (KILN_NATIVE_HELPERS),
// and how a trap, a fault or an error from a callee unwinds to the entry.
//
// Native frames hold nothing that needs cleaning up, so a trap does not
// return through them: kiln_trap (or kiln_call, with a callee's error, or the
// fault handler, with an access in a guard region) jumps straight back to the
// innermost native entry, which builds the backtrace by following the frame
// pointers of the native frames (every native function keeps one; the return
// address of each frame maps to its call's wasm offset) and returns the error
// as a value, as the interpreter does.
#include <pthread.h>
#include <ucontext.h>

#include <algorithm>
#include <cmath>
#include <csetjmp>
#include <cstring>
#include <mutex>
#include <cstdio>
#include <cstdlib>

#include "native/tier.h"
#include "runtime/call.h"
#include "runtime/guard.h"
#include "runtime/module.h"
#include "runtime/objects.h"
#include "runtime/operations.h"
#include "runtime/store.h"

namespace kiln::native {

using runtime::Function;
using runtime::FunctionHeader;
using runtime::InstanceContext;
using runtime::RawValue;
using runtime::Thread;

namespace {

Thread& thread_of(InstanceContext* ctx) { return static_cast<Thread&>(*ctx->thread); }

[[noreturn]] void unwind_to_entry() { siglongjmp(runtime::current_guarded()->jump, 1); }

// Native code's own limit on this thread's stack: leave room below it for
// host functions and the runtime (the fault handler runs on its own stack).
uintptr_t stack_limit_of_this_thread() {
  thread_local uintptr_t limit = 0;
  if (limit) return limit;
  pthread_attr_t attributes;
  void* low = nullptr;
  size_t size = 0;
  if (pthread_getattr_np(pthread_self(), &attributes) == 0) {
    pthread_attr_getstack(&attributes, &low, &size);
    pthread_attr_destroy(&attributes);
  }
  constexpr size_t kReserve = 256 * 1024;
  limit = low && size > 2 * kReserve ? reinterpret_cast<uintptr_t>(low) + kReserve : 1;
  return limit;
}

// The limit for native code entered from the host: the thread's own limit,
// or nearer when the value stack is small (--max-stack), so that a small
// stack ends recursion sooner on every tier (native frames are some 2-4 times
// smaller than the interpreter's call records and frames; allow 4 bytes per
// value-stack byte).
uintptr_t native_stack_limit(const Thread& thread) {
  auto here = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
  size_t budget = (thread.stack_end() - thread.stack_begin()) * size_t{4};
  uintptr_t limit = stack_limit_of_this_thread();
  return here > budget && here - budget > limit ? here - budget : limit;
}

// Native code by address, to find the function and offset of a fault.
struct CodeRange {
  uintptr_t begin, end;
  const NativeCode* code;
};
std::mutex g_ranges_mutex;
std::vector<CodeRange> g_ranges;  // sorted by begin

const NativeCode* native_code_at(uintptr_t pc) {
  std::lock_guard<std::mutex> lock(g_ranges_mutex);
  auto it = std::upper_bound(g_ranges.begin(), g_ranges.end(), pc,
                             [](uintptr_t p, const CodeRange& r) { return p < r.begin; });
  if (it == g_ranges.begin()) return nullptr;
  --it;
  return pc < it->end ? it->code : nullptr;
}

// Where the walk of native frames starts: the innermost frame's pc (exact: the
// faulting instruction; else a return address, which lies after its call)
// and its frame pointer. Set just before unwinding to the entry.
struct UnwindStart {
  uintptr_t pc = 0;
  uintptr_t fp = 0;
  bool exact = false;
};
thread_local UnwindStart t_unwind_start;

// The frame of a native function whose frame pointer is `fp`: [fp] holds its
// caller's frame pointer, [fp+8] the return address into its caller.
UnwindStart caller_of_frame(uintptr_t fp) {
  const auto* frame = reinterpret_cast<const uintptr_t*>(fp);
  return {frame[1], frame[0], false};
}

// Unwinds to the entry, the walk starting at the caller of frame `fp`.
[[noreturn]] void unwind_from_caller_of(uintptr_t fp) {
  t_unwind_start = caller_of_frame(fp);
  unwind_to_entry();
}

// The error a native execution ended with, and its backtrace: the frames
// deeper down (already in the error), then every native frame from the
// innermost out to the entry's trampoline (frames of trampolines and
// forwarders map to no function, and add nothing).
Error unwound_error(Thread& thread, const runtime::GuardedExecution& guard) {
  Error error;
  UnwindStart at = t_unwind_start;
  t_unwind_start = {};
  if (thread.pending_error) {
    error = std::move(*thread.pending_error);
    thread.pending_error.reset();
  } else {  // a fault in a guard region
    error = Error::from_trap(TrapCode::MemoryOutOfBounds);
#if defined(__x86_64__)
    if (guard.register_count > REG_RBP) at = {guard.registers[REG_RIP], guard.registers[REG_RBP], true};
#endif
  }
  while (at.pc && at.fp && in_native_code(at.pc)) {
    uintptr_t pc = at.exact ? at.pc : at.pc - 1;
    if (const NativeCode* code = native_code_at(pc)) runtime::add_trace_frame(error, code->trace_frame(pc));
    at = caller_of_frame(at.fp);
  }
  return error;
}

}  // namespace

void register_native_code(const NativeCode* code) {
  std::lock_guard<std::mutex> lock(g_ranges_mutex);
  CodeRange range{reinterpret_cast<uintptr_t>(code->code_begin()),
                  reinterpret_cast<uintptr_t>(code->code_begin()) + code->code_size(), code};
  g_ranges.insert(std::upper_bound(g_ranges.begin(), g_ranges.end(), range,
                                   [](const CodeRange& a, const CodeRange& b) { return a.begin < b.begin; }),
                  range);
}

void unregister_native_code(const NativeCode* code) {
  std::lock_guard<std::mutex> lock(g_ranges_mutex);
  std::erase_if(g_ranges, [code](const CodeRange& r) { return r.code == code; });
}

Expected<void> enter(Function& function, Thread& thread, RawValue* slots) {
  const auto& code = static_cast<const NativeCode&>(*function.code);
  const uintptr_t saved_limit = thread.limits.stack_limit;
  Function* const saved_current = thread.current;
  if (!saved_limit) thread.limits.stack_limit = native_stack_limit(thread);
  runtime::GuardedExecution guard;
  runtime::enter_guarded(&guard);
  if (sigsetjmp(guard.jump, 0)) {
    runtime::leave_guarded(&guard);
    Error error = unwound_error(thread, guard);
    thread.current = saved_current;
    thread.limits.stack_limit = saved_limit;
    return error;
  }
  code.trampoline()(&function.instance->context, slots);
  runtime::leave_guarded(&guard);
  thread.limits.stack_limit = saved_limit;
  return {};
}

}  // namespace kiln::native

// ---- the helpers native code calls ------------------------------------------------

using kiln::TrapCode;
using kiln::native::thread_of;
using kiln::runtime::FunctionHeader;
using kiln::runtime::InstanceContext;
using kiln::runtime::Ref;

namespace {

kiln::runtime::Memory& memory(InstanceContext* ctx, uint32_t index) { return *ctx->instance->memories[index]; }
kiln::runtime::Table& table(InstanceContext* ctx, uint32_t index) { return *ctx->instance->tables[index]; }
uint32_t code_of(TrapCode code) { return static_cast<uint32_t>(code); }

}  // namespace

extern "C" {

[[noreturn]] void kiln_trap(InstanceContext* ctx, uint32_t code, uint32_t func_index, uint32_t wasm_offset) {
  kiln::runtime::Thread& thread = thread_of(ctx);
  {
    kiln::Error error = kiln::Error::from_trap(static_cast<TrapCode>(code));
    kiln::runtime::add_trace_frame(error, kiln::runtime::trace_frame(*ctx->instance->funcs[func_index], wasm_offset));
    thread.pending_error = std::move(error);
  }
  // The walk goes on from the trapping function's caller.
  kiln::native::unwind_from_caller_of(*static_cast<uintptr_t*>(__builtin_frame_address(0)));
}

void kiln_call(InstanceContext* ctx, FunctionHeader* header, kiln::runtime::RawValue* slots) {
  kiln::runtime::Thread& thread = thread_of(ctx);
  auto& callee = static_cast<kiln::runtime::Function&>(*header);
  {
    uint8_t* saved_top = thread.top;
    thread.caller = ctx->instance;
    kiln::Expected<void> result = callee.entry(callee, thread, slots);
    thread.top = saved_top;
    if (result) return;
    kiln::Error error = std::move(result).error();
    if (callee.is_host()) kiln::runtime::add_trace_frame(error, kiln::runtime::trace_frame(callee, std::nullopt));
    thread.pending_error = std::move(error);
  }
  // The walk starts at the calling native function, at this call.
  kiln::native::unwind_from_caller_of(reinterpret_cast<uintptr_t>(__builtin_frame_address(0)));
}

int64_t kiln_memory_grow(InstanceContext* ctx, uint32_t mem, int64_t delta) {
  return kiln::runtime::memory_grow(memory(ctx, mem), static_cast<uint64_t>(delta));
}

uint32_t kiln_memory_fill(InstanceContext* ctx, uint32_t mem, uint64_t dst, uint32_t value, uint64_t length) {
  return code_of(kiln::runtime::memory_fill(memory(ctx, mem), dst, static_cast<uint8_t>(value), length));
}

uint32_t kiln_memory_copy(InstanceContext* ctx, uint32_t dst_mem, uint32_t src_mem, uint64_t dst, uint64_t src,
                          uint64_t length) {
  return code_of(kiln::runtime::memory_copy(memory(ctx, dst_mem), dst, memory(ctx, src_mem), src, length));
}

uint32_t kiln_memory_init(InstanceContext* ctx, uint32_t mem, uint32_t data, uint64_t dst, uint64_t src,
                          uint64_t length) {
  return code_of(kiln::runtime::memory_init(memory(ctx, mem), dst, *ctx->instance, data, src, length));
}

void kiln_data_drop(InstanceContext* ctx, uint32_t data) { kiln::runtime::data_drop(*ctx->instance, data); }

uint32_t kiln_table_get(InstanceContext* ctx, uint32_t t, uint64_t index, Ref* out) {
  return code_of(kiln::runtime::table_get(table(ctx, t), index, *out));
}

uint32_t kiln_table_set(InstanceContext* ctx, uint32_t t, uint64_t index, Ref value) {
  return code_of(kiln::runtime::table_set(table(ctx, t), index, value));
}

int64_t kiln_table_grow(InstanceContext* ctx, uint32_t t, Ref init, uint64_t delta) {
  return kiln::runtime::table_grow(table(ctx, t), delta, init);
}

uint32_t kiln_table_fill(InstanceContext* ctx, uint32_t t, uint64_t dst, Ref value, uint64_t length) {
  return code_of(kiln::runtime::table_fill(table(ctx, t), dst, value, length));
}

uint32_t kiln_table_copy(InstanceContext* ctx, uint32_t dst_table, uint32_t src_table, uint64_t dst, uint64_t src,
                         uint64_t length) {
  return code_of(kiln::runtime::table_copy(table(ctx, dst_table), dst, table(ctx, src_table), src, length));
}

uint32_t kiln_table_init(InstanceContext* ctx, uint32_t t, uint32_t elem, uint64_t dst, uint64_t src, uint64_t length) {
  return code_of(kiln::runtime::table_init(table(ctx, t), dst, *ctx->instance, elem, src, length));
}

void kiln_elem_drop(InstanceContext* ctx, uint32_t elem) { kiln::runtime::elem_drop(*ctx->instance, elem); }

}  // extern "C"

namespace kiln::native {

// The addresses the loader gives native code's undefined symbols: the
// helpers, and what LLVM itself may call (memory functions, libm rounding
// where the CPU has no instruction for it).
const void* host_symbol(std::string_view name) {
  struct Symbol {
    std::string_view name;
    const void* address;
  };
  static const Symbol kSymbols[] = {
#define KILN_HELPER_SYMBOL(name, signature, comment) {#name, reinterpret_cast<const void*>(&name)},
      KILN_NATIVE_HELPERS(KILN_HELPER_SYMBOL)
#undef KILN_HELPER_SYMBOL
      {"memcpy", reinterpret_cast<const void*>(&std::memcpy)},
      {"memmove", reinterpret_cast<const void*>(&std::memmove)},
      {"memset", reinterpret_cast<const void*>(&std::memset)},
      {"ceilf", reinterpret_cast<const void*>(static_cast<float (*)(float)>(&std::ceil))},
      {"ceil", reinterpret_cast<const void*>(static_cast<double (*)(double)>(&std::ceil))},
      {"floorf", reinterpret_cast<const void*>(static_cast<float (*)(float)>(&std::floor))},
      {"floor", reinterpret_cast<const void*>(static_cast<double (*)(double)>(&std::floor))},
      {"truncf", reinterpret_cast<const void*>(static_cast<float (*)(float)>(&std::trunc))},
      {"trunc", reinterpret_cast<const void*>(static_cast<double (*)(double)>(&std::trunc))},
      {"roundevenf", reinterpret_cast<const void*>(&::roundevenf)},
      {"roundeven", reinterpret_cast<const void*>(&::roundeven)},
      {"sqrtf", reinterpret_cast<const void*>(static_cast<float (*)(float)>(&std::sqrt))},
      {"sqrt", reinterpret_cast<const void*>(static_cast<double (*)(double)>(&std::sqrt))},
  };
  for (const Symbol& s : kSymbols)
    if (s.name == name) return s.address;
  return nullptr;
}

}  // namespace kiln::native
