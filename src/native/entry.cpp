// Running native code: its entry, the helpers it calls (KILN_NATIVE_HELPERS),
// and how a trap, a fault or an error from a callee unwinds to the entry.
//
// Native frames hold nothing that needs cleaning up, so a trap does not
// return through them: kiln_trap (or kiln_call, with a callee's error, or the
// fault handler, with an access in a guard region) jumps straight back to the
// innermost native entry, which returns the error as a value, as the
// interpreter does. Its backtrace comes from the chain of frame pointers
// (every native function keeps one), captured just before the jump: the
// return address in each frame maps to its call's wasm offset.
#include <pthread.h>
#include <ucontext.h>

#include <algorithm>
#include <atomic>
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

// Loaded chunks by address, to find the function and offset of a frame.
struct ChunkRange {
  uintptr_t begin, end;
  const LoadedChunk* chunk;
};
std::mutex g_chunks_mutex;
std::vector<ChunkRange> g_chunks;  // sorted by begin

// `fault`: pc is an access that faulted (LoadedChunk::fault_frame), not a call.
std::optional<TraceFrame> native_frame_at(uintptr_t pc, bool fault = false) {
  std::lock_guard<std::mutex> lock(g_chunks_mutex);
  auto it = std::upper_bound(g_chunks.begin(), g_chunks.end(), pc,
                             [](uintptr_t p, const ChunkRange& r) { return p < r.begin; });
  if (it == g_chunks.begin() || pc >= std::prev(it)->end) return std::nullopt;
  return fault ? std::prev(it)->chunk->fault_frame(pc) : std::prev(it)->chunk->trace_frame(pc);
}

// The error a native execution ended with, and its backtrace: the frames
// deeper down (already in the error), then the native frames `frames` holds
// (captured before unwinding: the unwind reuses their stack). Return
// addresses into trampolines, forwarders and the entry map to no function.
Error unwound_error(Thread& thread, const runtime::FrameChain& frames) {
  Error error;
  if (thread.pending_error) {
    error = std::move(*thread.pending_error);
    thread.pending_error.reset();
  } else {  // a fault in a guard region
    error = Error::from_trap(TrapCode::MemoryOutOfBounds);
    if (std::optional<TraceFrame> frame = native_frame_at(frames.pc, true)) runtime::add_trace_frame(error, std::move(*frame));
  }
  for (size_t i = 0; i < frames.count; ++i) {
    uintptr_t pc = frames.return_addresses[i] - 1;  // within the call
    if (std::optional<TraceFrame> frame = native_frame_at(pc)) runtime::add_trace_frame(error, std::move(*frame));
  }
  // The chain always ends with the returns into the entry's trampoline and
  // into the entry.
  error.trace_omitted += frames.omitted >= 2 ? frames.omitted - 2 : 0;
  return error;
}

// Unwinds to the innermost native entry (thread.pending_error set); the
// backtrace goes on at the caller of the frame whose frame pointer is `fp`.
[[noreturn]] void unwind_from(uintptr_t fp) {
  runtime::GuardedExecution* entry = runtime::current_guarded();
  runtime::capture_frame_chain(0, false, fp, *entry->frames);
  siglongjmp(entry->jump, 1);
}

}  // namespace

void register_chunk(const LoadedChunk* chunk) {
  std::lock_guard<std::mutex> lock(g_chunks_mutex);
  auto begin = reinterpret_cast<uintptr_t>(chunk->object().code_begin());
  ChunkRange range{begin, begin + chunk->object().code_size(), chunk};
  g_chunks.insert(std::upper_bound(g_chunks.begin(), g_chunks.end(), range,
                                   [](const ChunkRange& a, const ChunkRange& b) { return a.begin < b.begin; }),
                  range);
}

void unregister_chunk(const LoadedChunk* chunk) {
  std::lock_guard<std::mutex> lock(g_chunks_mutex);
  std::erase_if(g_chunks, [chunk](const ChunkRange& r) { return r.chunk == chunk; });
}

namespace {

// A call into native code from outside it: a function's trampoline, or a
// loop entry (which says whether it ran).
struct NativeCall {
  const void* code;
  void* context;
  RawValue* slots;
  bool loop_entry = false;
  uint32_t loop_offset = 0;
  int32_t entered = 0;
};

using LoopEntryCode = int32_t (*)(void* context, RawValue* frame, uint32_t loop_offset);

Expected<void> run_native(Thread& thread, NativeCall& call) {
  const uintptr_t saved_limit = thread.limits.stack_limit;
  Function* const saved_current = thread.current;
  if (!saved_limit) thread.limits.stack_limit = native_stack_limit(thread);
  runtime::FrameChain frames;
  frames.end = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
  runtime::GuardedExecution guard;
  guard.frames = &frames;
  runtime::enter_guarded(&guard);
  if (sigsetjmp(guard.jump, 0)) {
    runtime::leave_guarded(&guard);
    Error error = unwound_error(thread, frames);
    thread.current = saved_current;
    thread.limits.stack_limit = saved_limit;
    return error;
  }
  if (call.loop_entry)
    call.entered = reinterpret_cast<LoopEntryCode>(const_cast<void*>(call.code))(call.context, call.slots, call.loop_offset);
  else
    reinterpret_cast<NativeCode::Trampoline>(const_cast<void*>(call.code))(call.context, call.slots);
  runtime::leave_guarded(&guard);
  thread.limits.stack_limit = saved_limit;
  return {};
}

}  // namespace

Expected<void> enter(Function& function, Thread& thread, RawValue* slots) {
  const auto& code = static_cast<const NativeCode&>(*function.code);
  NativeCall call{reinterpret_cast<const void*>(code.trampoline()), &function.instance->context, slots};
  return run_native(thread, call);
}

std::atomic<uint64_t> g_loop_entries_taken{0};

uint64_t loop_entries_taken() { return g_loop_entries_taken.load(std::memory_order_relaxed); }

Expected<bool> enter_loop(Function& function, Thread& thread, RawValue* frame, uint32_t loop_offset,
                          const void* code) {
  NativeCall call{code, &function.instance->context, frame, true, loop_offset};
  // Counted while it runs (taken back if it was no entry).
  g_loop_entries_taken.fetch_add(1, std::memory_order_relaxed);
  KILN_TRY_VOID(run_native(thread, call));
  if (!call.entered) g_loop_entries_taken.fetch_sub(1, std::memory_order_relaxed);
  return call.entered != 0;
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
  kiln::native::unwind_from(*static_cast<uintptr_t*>(__builtin_frame_address(0)));
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
  kiln::native::unwind_from(reinterpret_cast<uintptr_t>(__builtin_frame_address(0)));
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
