// The interpreter's dispatch loop.
//
// Direct threading with computed goto: every translated instruction starts with
// the address of its handler, so dispatch is one indirect jump. All handlers live
// in one function so the hot state (ip, fp, memory base and size) stays in
// registers. Operands are frame offsets (see translator.cpp for the layout).
#include "interp/interpreter.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <type_traits>

#include "interp/handlers.h"
#include "interp/layouts.h"
#include "interp/pairs.def"
#include "interp/simd.h"
#include "interp/translator.h"
#include "runtime/call.h"
#include "runtime/semantics.h"
#include "runtime/guard.h"
#include "runtime/module.h"
#include "runtime/objects.h"
#include "runtime/operations.h"
#include "runtime/store.h"

namespace kiln::interp {

using runtime::CallRecord;
using runtime::Function;
using runtime::Instance;
using runtime::RawValue;
using runtime::Thread;
using kiln::TrapCode;

namespace {

template <class T>
inline T rd(const uint8_t* p) {
  if constexpr (std::is_floating_point_v<T>) {
    // A float load typed as one, so it goes straight into a vector register.
    // (Since the accumulator holds floats as bits, GCC lowers a memcpy into a
    // float to an integer load and a move across: three more cycles.)
    using Unaligned [[gnu::may_alias, gnu::aligned(1)]] = T;
    return *reinterpret_cast<const Unaligned*>(p);
  } else {
    T v;
    std::memcpy(&v, p, sizeof v);
    return v;
  }
}

template <class T>
inline void wr(uint8_t* p, T v) {
  std::memcpy(p, &v, sizeof v);
}

// Accesses to a guest memory, which may fault in its guard region. The empty
// asm that follows each one claims to change `ip`, so the compiler cannot
// move the handler's `ip += n` (or anything computed from the new ip) before
// the access: at a fault, ip still points at the faulting instruction, which
// memory_fault() finds among the saved registers and reports. It emits no
// instruction; the processor still overlaps the access and the dispatch.
#define GUEST_RD(T, address)                       \
  ({                                               \
    T guest_value_ = rd<T>(address);               \
    asm("" : "+r"(ip) : "X"(guest_value_));        \
    guest_value_;                                  \
  })
#define GUEST_WR(T, address, value)                                          \
  do {                                                                       \
    uint8_t* guest_at_ = (address);                                          \
    wr<T>(guest_at_, (value));                                               \
    asm("" : "+r"(ip) : "m"(*reinterpret_cast<const T*>(guest_at_)));        \
  } while (0)

// Frame slots are 8 bytes (16 for v128). A 32-bit integer result is written as
// all 8 (zero-extended, free after a 32-bit operation): a later 8-byte read of
// the slot (Copy64, Return64, Select64, call arguments) is then forwarded from
// the store, where after a 4-byte store it would wait for the store to reach
// the cache (a store-forwarding stall, which cost fib a fifth of its time).
// Floats are not: widening them would move each through an integer register.
template <class T>
inline void set_slot(uint8_t* p, T v) {
  if constexpr (sizeof(T) < 8 && std::is_integral_v<T>) {
    uint64_t bits = 0;
    std::memcpy(&bits, &v, sizeof v);
    std::memcpy(p, &bits, sizeof bits);
  } else {
    std::memcpy(p, &v, sizeof v);
  }
}

// The accumulator's contents for a value written with set_slot: the slot's 8
// bytes (accumulator.def).
template <class T>
inline uint64_t slot_bits(T v) {
  uint64_t bits = 0;
  std::memcpy(&bits, &v, sizeof v);
  return bits;
}

inline const void* load_handler(const uint32_t* ip) {
  const void* h;
  std::memcpy(&h, ip, sizeof h);
  return h;
}

const void* const* g_handler_table = nullptr;

// The value of type T in the accumulator (accumulator.def). Floats travel as
// their bits in the integer register: a float variable kept across all the
// handlers would live on the C++ stack (no vector register survives the
// calls some handlers make), a store and a reload again.
template <class T>
inline T accumulator_as(uint64_t acc) {
  if constexpr (std::is_same_v<T, float>) {
    return std::bit_cast<float>(static_cast<uint32_t>(acc));
  } else if constexpr (std::is_same_v<T, double>) {
    return std::bit_cast<double>(acc);
  } else {
    return static_cast<T>(acc);
  }
}

#ifdef KILN_CHECK_ACCUMULATOR
// Aborts unless the accumulator holds what `slot` does: the slot's 8 bytes, or
// 4 for an f32 (set_slot writes no more).
template <class T>
void check_accumulator(uint64_t acc, const uint8_t* slot, const uint32_t* ip) {
  uint64_t in_slot = 0;
  std::memcpy(&in_slot, slot, std::is_same_v<T, float> ? sizeof(float) : sizeof in_slot);
  if (in_slot == acc) return;
  std::optional<Handler> h = handler_at(load_handler(ip));
  std::fprintf(stderr, "kiln: accumulator %llx, slot %llx in %s\n", static_cast<unsigned long long>(acc),
               static_cast<unsigned long long>(in_slot), h ? handler_name(*h) : "?");
  std::abort();
}
#endif

#ifdef KILN_PROFILE_DISPATCH
// A profiling build (cmake -DKILN_PROFILE_DISPATCH=ON) counts every dispatch and
// every pair of consecutive handlers, and prints the most frequent at exit: the
// data for choosing superinstructions.
constexpr size_t kHandlers = static_cast<size_t>(Handler::Count);
struct DispatchProfile {
  std::vector<std::pair<const void*, size_t>> index;  // handler address -> handler, sorted
  std::vector<uint64_t> singles = std::vector<uint64_t>(kHandlers);
  std::vector<uint64_t> pairs = std::vector<uint64_t>(kHandlers * kHandlers);
  size_t previous = 0;
  ~DispatchProfile();
};
DispatchProfile g_profile;

const char* handler_name(size_t h) { return handler_name(static_cast<Handler>(h)); }

DispatchProfile::~DispatchProfile() {
  uint64_t total = 0;
  for (uint64_t c : singles) total += c;
  if (!total) return;
  std::vector<std::pair<uint64_t, size_t>> order;
  for (size_t i = 0; i < singles.size(); ++i) order.emplace_back(singles[i], i);
  std::sort(order.rbegin(), order.rend());
  std::fprintf(stderr, "dispatches: %llu\n", static_cast<unsigned long long>(total));
  for (size_t i = 0; i < 25 && order[i].first; ++i)
    std::fprintf(stderr, "  %5.2f%%  %s\n", 100.0 * order[i].first / total, handler_name(order[i].second));
  order.clear();
  for (size_t i = 0; i < pairs.size(); ++i) order.emplace_back(pairs[i], i);
  std::sort(order.rbegin(), order.rend());
  std::fprintf(stderr, "pairs:\n");
  for (size_t i = 0; i < 40 && order[i].first; ++i)
    std::fprintf(stderr, "  %5.2f%%  %s -> %s\n", 100.0 * order[i].first / total, handler_name(order[i].second / kHandlers),
                 handler_name(order[i].second % kHandlers));
}

void profile_dispatch(const uint32_t* ip) {
  if (g_profile.index.empty()) {
    for (size_t h = 0; h < kHandlers; ++h) g_profile.index.emplace_back(handler_address(static_cast<Handler>(h)), h);
    std::sort(g_profile.index.begin(), g_profile.index.end());
  }
  const void* address = load_handler(ip);
  auto it = std::lower_bound(g_profile.index.begin(), g_profile.index.end(), std::make_pair(address, size_t{0}));
  if (it == g_profile.index.end() || it->first != address) return;
  ++g_profile.singles[it->second];
  ++g_profile.pairs[g_profile.previous * kHandlers + it->second];
  g_profile.previous = it->second;
}
#endif

// The interpreter's code of `f`, or null when another tier (or the host)
// provides f's entry, or f is not compiled yet. A function whose entry the
// tier replaced while a frame of it ran (Tier::hot) still has its
// interpreter code in its module: that frame's offsets are found there.
inline const Code* code_of(const Function* f) {
  if (f->entry == &enter) return static_cast<const Code*>(f->code);
  if (f->is_host()) return nullptr;
  const runtime::Module& module = *f->instance->module;
  const runtime::CompiledCode* code = module.compiled_if_ready(f->func_index - module.ir().num_imported_funcs);
  return code && code->entry == &enter ? static_cast<const Code*>(code) : nullptr;
}

// Maps a position in translated code back to the wasm byte offset.
std::optional<uint32_t> wasm_offset(const Code* code, const uint32_t* ip) {
  if (!code || code->offsets.empty()) return std::nullopt;
  uint32_t position = static_cast<uint32_t>(ip - code->words.data());
  auto it = std::upper_bound(code->offsets.begin(), code->offsets.end(), position,
                             [](uint32_t p, const std::pair<uint32_t, uint32_t>& e) { return p < e.first; });
  if (it == code->offsets.begin()) return std::nullopt;
  return std::prev(it)->second;
}

TraceFrame trace_frame(const Function* f, const uint32_t* ip) {
  return runtime::trace_frame(*f, ip && !f->is_host() ? wasm_offset(code_of(f), ip) : std::nullopt);
}

// Appends the current frame and its callers (down to `entry_depth`, all of
// them this run's interpreter frames) to the error's trace.
void add_backtrace(Error& error, const Thread& thread, size_t entry_depth, const Function* func, const uint32_t* ip) {
  if (func) runtime::add_trace_frame(error, trace_frame(func, ip));
  for (size_t i = thread.calls.size(); i-- > entry_depth;)
    runtime::add_trace_frame(error, trace_frame(thread.calls[i].function, thread.calls[i].return_ip - 1));
}

using layout::kWideFlag;  // in the flags operand of memory and table handlers
// Handler families whose operands the handlers name (layouts.h).
using layout::AddBr, layout::AxpyIndexedRmw, layout::AxpyRmw, layout::Binary, layout::BrCompare, layout::BrIf,
    layout::Copy, layout::Load, layout::LoadIndexedOp, layout::LoadOp, layout::LoadScaled, layout::MulAddRmw,
    layout::OpStore, layout::Pair, layout::Rmw, layout::Select, layout::Store, layout::Unary, layout::loop_branch,
    layout::second_axpy;

using runtime::range_in_bounds;

// The addition of T (uint32_t or uint64_t): i32.add or i64.add.
template <class T>
inline T add_of(T a, T b) {
  if constexpr (sizeof(T) == 4) return semantics::I32Add(a, b);
  else return semantics::I64Add(a, b);
}

// A plain numeric operator (plain.h) in the generic layout dst a [b]: reads
// the operands at their frame offsets, computes the semantic function, writes
// the result to dst and to the accumulator. A trapping one returns its code
// (the non-trapping ones return None, which the compiler folds away).
template <auto Function>
[[gnu::always_inline]] inline TrapCode plain_operator(uint8_t* fp, const uint32_t* ip, uint64_t& acc) {
  using S = Semantic<decltype(Function)>;
  typename S::Result result;
  if constexpr (S::traps) {
    TrapCode code;
    if constexpr (S::arity == 1)
      code = Function(rd<typename S::A0>(fp + ip[Unary::at(Unary::a)]), result);
    else
      code = Function(rd<typename S::A0>(fp + ip[Binary::at(Binary::a)]),
                      rd<typename S::A1>(fp + ip[Binary::at(Binary::b)]), result);
    if (code != TrapCode::None) return code;
  } else if constexpr (S::arity == 1) {
    result = Function(rd<typename S::A0>(fp + ip[Unary::at(Unary::a)]));
  } else {
    result = Function(rd<typename S::A0>(fp + ip[Binary::at(Binary::a)]), rd<typename S::A1>(fp + ip[Binary::at(Binary::b)]));
  }
  set_slot<typename S::Result>(fp + ip[Binary::at(Binary::dst)], result);
  acc = slot_bits(result);
  return TrapCode::None;
}

// Zeroes the declared locals and loads the constants of a new frame.
// A guarded truncation (handlers.def): the guard |x| < 2^N admits exactly the
// values whose truncation fits (and not NaN); everything else gives the
// minimum, as x86's cvttss2si does.
template <class F, class I>
inline I guarded_trunc(F x) {
  constexpr F limit = static_cast<F>(uint64_t{1} << (sizeof(I) * 8 - 1));
  return std::fabs(x) < limit ? static_cast<I>(x) : std::numeric_limits<I>::min();
}

inline void init_frame(uint8_t* fp, const Code* code) {
  // A multiple of 64 bytes (the translator pads it), usually just 64: moved
  // inline, without a loop, which beats a call to memcpy.
  const uint8_t* from = code->init.data();
  size_t bytes = code->init.size();
  uint8_t* to = fp + code->params_size;
  if (__builtin_expect(bytes == 64, 1)) {
    std::memcpy(to, from, 64);
  } else if (bytes > 256) {
    std::memcpy(to, from, bytes);
  } else {
    for (size_t i = 0; i < bytes; i += 64) std::memcpy(to + i, from + i, 64);
  }
}

// Arguments or results between the host's slots and a frame: a few 8-byte
// slots, usually; inline moves beat a call to memcpy.
inline void copy_slots(void* to, const void* from, size_t bytes) {
  if (bytes > 64) {
    std::memcpy(to, from, bytes);
    return;
  }
  for (size_t i = 0; i < bytes; i += 8)
    std::memcpy(static_cast<uint8_t*>(to) + i, static_cast<const uint8_t*>(from) + i, 8);
}

uint8_t* align16(uint8_t* p) {
  return reinterpret_cast<uint8_t*>((reinterpret_cast<uintptr_t>(p) + 15) & ~uintptr_t{15});
}

// Calls a function that is not interpreter code (a host function, another
// tier's) through its entry, with its arguments (and then results) at `frame`;
// on error stores it in `error`, with the host frame added to its trace.
bool call_entry(Thread& thread, Instance* caller, Function* callee, uint8_t* frame, std::optional<Error>& error) {
  uint8_t* saved_top = thread.top;
  size_t slots = std::max(callee->type().params.size(), callee->type().results.size()) * 2;
  thread.top = align16(frame + slots * sizeof(RawValue));
  thread.caller = caller;
  Expected<void> result = callee->entry(*callee, thread, reinterpret_cast<RawValue*>(frame));
  thread.top = saved_top;
  if (result) return true;
  error = std::move(result).error();
  if (callee->is_host()) error->trace.push_back(trace_frame(callee, nullptr));
  return false;
}

// The function running on `thread` is hot (its HotnessCount `counter` ran
// out): tell the tier, which may give its instance's functions faster entries
// (this frame goes on in the interpreter), and count again if that may help.
// At a loop head (`loop_offset`), the answer may be native code to go on in.
__attribute__((noinline)) runtime::LoopEntry report_hot(Thread& thread, int32_t* counter, uint32_t loop_offset) {
  runtime::HotAnswer answer = thread.current ? runtime::report_hot(*thread.current, loop_offset) : runtime::HotAnswer{};
  __atomic_store_n(counter, answer.report_again ? Code::kHotnessBudget : INT32_MAX, __ATOMIC_RELAXED);
  return answer.loop_entry;
}

enum class LoopEntryResult { NotEntered, Returned, Failed };

// On-stack replacement: `entry` runs the rest of the current call from the
// loop at `loop_offset`, with this frame's locals, and leaves its results at
// the frame's start (as a return does); on failure the error is in `error`,
// its backtrace with this function's frame. Native code that calls back into
// the interpreter places frames past this one.
__attribute__((noinline)) LoopEntryResult enter_loop(Thread& thread, const runtime::LoopEntry& entry, uint8_t* fp,
                                                     uint32_t loop_offset, std::optional<Error>& error) {
  const Code* code = code_of(thread.current);
  if (!code) return LoopEntryResult::NotEntered;
  uint8_t* saved_top = thread.top;
  thread.top = align16(fp + code->frame_size);
  thread.caller = nullptr;
  Expected<bool> entered = entry.enter(*thread.current, thread, reinterpret_cast<RawValue*>(fp), loop_offset, entry.code);
  thread.top = saved_top;
  if (!entered) {
    error = std::move(entered).error();
    return LoopEntryResult::Failed;
  }
  return *entered ? LoopEntryResult::Returned : LoopEntryResult::NotEntered;
}

// Compiles a wasm function that is not compiled yet (runtime::compile_entry
// is still its entry); false, with the error in `error`, if that fails.
bool compile_if_needed(Function* callee, std::optional<Error>& error) {
  if (callee->entry != &runtime::compile_entry) return true;
  Expected<void> ok = runtime::compile_function(*callee);
  if (ok) return true;
  error = std::move(ok).error();
  return false;
}


// After a fault in a memory's guard region: a trap, with the faulting function
// and, if its instruction pointer is found among the saved registers, the offset.
Expected<void> memory_fault(Thread& thread, const runtime::GuardedExecution& guard, size_t entry_depth) {
  Error error = Error::from_trap(TrapCode::MemoryOutOfBounds);
  const Function* f = thread.current;
  const uint32_t* ip = thread.loop_ip;
  thread.loop_ip = nullptr;
  const Code* code = f ? code_of(f) : nullptr;
  if (!ip && code) {
    auto begin = reinterpret_cast<uintptr_t>(code->words.data());
    auto end = begin + code->words.size() * sizeof(uint32_t);
    for (int r = 0; r < guard.register_count && !ip; ++r)
      if (guard.registers[r] >= begin && guard.registers[r] < end) ip = reinterpret_cast<const uint32_t*>(guard.registers[r]);
  }
  add_backtrace(error, thread, entry_depth, f, ip);
  thread.calls.resize(entry_depth);
  return error;
}

// Runs `entry` (a wasm function) whose frame is at `entry_fp` with its arguments in
// place. With `table_out` set, only publishes the handler table and returns.
// In a section of its own (kiln_interp), whose bounds the linker provides, so
// the fault handler can tell an access of the interpreter from any other.
__attribute__((section("kiln_interp"))) Expected<void> run(Thread* thread_ptr, Function* entry, uint8_t* entry_fp,
                                                           const void* const** table_out) {
  static const void* const kTable[] = {
#define SIMPLE(op) &&L_##op,
#define INTERNAL(name) &&L_##name,
#include "interp/handlers.def"
#undef SIMPLE
#undef INTERNAL
  };
  if (table_out) {
    *table_out = kTable;
    return {};
  }

  Thread& thread = *thread_ptr;
  const size_t entry_depth = thread.calls.size();
  const CallRecord* const entry_top = thread.calls.top();
  Function* const caller_current = thread.current;
  thread.current = entry;

  // Out-of-bounds loads and stores fault in the memory's guard region; the
  // handler unwinds to here (runtime/guard.h). Only `thread` and what it points
  // to are used after the jump, never this function's registers.
  runtime::GuardedExecution guard;
  struct LeaveGuard {
    runtime::GuardedExecution* guard;
    Thread* thread;
    Function* caller_current;
    ~LeaveGuard() {
      runtime::leave_guarded(guard);
      thread->current = caller_current;
    }
  } leave_guard{&guard, &thread, caller_current};
  runtime::enter_guarded(&guard);
  if (sigsetjmp(guard.jump, 0)) return memory_fault(thread, guard, entry_depth);

  Instance* inst = entry->instance;
  const uint32_t* ip = code_of(entry)->words.data();
  uint8_t* fp = entry_fp;
  uint8_t* mem = nullptr;
  uint8_t* const stack_end = thread.stack_end();
  TrapCode trap_code = TrapCode::None;
  // The error's backtrace has the current frame (a loop entry's), or needs
  // none (a tail call through an entry replaced it).
  bool frame_in_error = false;
  std::optional<Error>& host_error = thread.pending_error;
  Function* callee = nullptr;
  const Code* callee_code = nullptr;
  uint8_t* callee_fp = nullptr;
  // The accumulator (accumulator.def): a value's bits as set_slot writes them.
  uint64_t acc = 0;

#define W(i) ip[layout::kHandlerWords + (i)]
#define R(T, i) rd<T>(fp + W(i))
#define SET(T, i, v) set_slot<T>(fp + W(i), static_cast<T>(v))
// The destination W(0) of a producer: the result also goes to the accumulator
// of its type (accumulator_set_by() in fusion_tables.cpp lists the producers).
#define SET_DST(T, v)                                                  \
  do {                                                                 \
    T dst_value = static_cast<T>(v);                                   \
    set_slot<T>(fp + W(0), dst_value);                                 \
    acc = slot_bits(dst_value);                                        \
  } while (0)
// Operand i of an accumulator form, which the accumulator of type T holds.
// The check build compares it with the slot: a consumer placed after an
// instruction that is not a producer (or does not produce that slot) aborts.
#ifdef KILN_CHECK_ACCUMULATOR
#define ACC(T, i) (check_accumulator<T>(acc, fp + W(i), ip), accumulator_as<T>(acc))
#else
#define ACC(T, i) accumulator_as<T>(acc)
#endif
#ifdef KILN_PROFILE_DISPATCH
#define DISPATCH()                  \
  do {                              \
    profile_dispatch(ip);           \
    goto* load_handler(ip);         \
  } while (0)
#else
#define DISPATCH() goto* load_handler(ip)
#endif
// Moves past this instruction's n operand words and goes on: `then` is
// DISPATCH() for a handler, `goto L_<follower>` for a then form.
#define CONTINUE(n, then) \
  do {                    \
    ip += layout::kHandlerWords + (n); \
    then;                 \
  } while (0)
#define NEXT(n) CONTINUE(n, DISPATCH())
#define TRAP(code)     \
  do {                 \
    trap_code = code;  \
    goto trap;         \
  } while (0)
#define REFRESH_MEMORY() \
  mem = inst->memories.empty() ? nullptr : inst->memories[0]->data()
#define MEM_SIZE() inst->memories[0]->size_bytes()
// The table of a flags operand, and an index/address operand of the width the
// flags say (see kWideFlag).
#define TABLE(flags) inst->tables[(flags) & ~kWideFlag]
#define INDEX(flags, i) (((flags) & kWideFlag) ? R(uint64_t, i) : uint64_t{R(uint32_t, i)})

  REFRESH_MEMORY();
  DISPATCH();

  // ---- constants -----------------------------------------------------------
L_I32Const: SET(uint32_t, 0, W(1)); NEXT(2);
L_F32Const: SET(uint32_t, 0, W(1)); NEXT(2);
L_I64Const: SET(uint64_t, 0, W(1) | (uint64_t{W(2)} << 32)); NEXT(3);
L_F64Const: SET(uint64_t, 0, W(1) | (uint64_t{W(2)} << 32)); NEXT(3);

  // ---- numeric operators -----------------------------------------------------
// A comparison by its semantic function, operands read by read_a and read_b
// (R, or ACC for an accumulator form) from words i_a and i_b.
#define COMPARE(op, read_a, i_a, read_b, i_b) \
  semantics::op(read_a(KILN_SEMANTIC(op)::A0, i_a), read_b(KILN_SEMANTIC(op)::A1, i_b))
// A binary operator's form that continues with `then` (the then forms below).
#define BINOP_FORM(label, T, Result, expr, then) \
  L_##label : {                                  \
    T a = R(T, Binary::a);                       \
    T b = R(T, Binary::b);                       \
    SET_DST(Result, (expr));                     \
    CONTINUE(Binary::kOperands, then);           \
  }

  // Plain numeric operators (plain.h): each handler from its semantic function,
  // in the generic layout dst a [b].
#define PLAIN_HANDLER(name, sig)                                             \
  L_##name : {                                                               \
    KILN_CHECK_SEMANTIC(name, sig);                                          \
    TrapCode code = plain_operator<&semantics::name>(fp, ip, acc);           \
    if (code != TrapCode::None) TRAP(code);                                  \
    NEXT(1 + KILN_SEMANTIC(name)::arity);                                    \
  }
#define OP(name, prefix, code, text, imm, sig) KILN_PLAIN_ROW(PLAIN_HANDLER, name, prefix, code, text, imm, sig)
#include "ir/opcodes.def"
#undef OP
#undef PLAIN_HANDLER

  // Accumulator forms of unary operators (accumulator.def): the operand from the accumulator.
#define ACC_UNOP(name)                                          \
  L_##name##Acc : {                                             \
    using S = KILN_SEMANTIC(name);                              \
    SET_DST(S::Result, semantics::name(ACC(S::A0, 1)));         \
    NEXT(2);                                                    \
  }
  KILN_ACC_UNARY(ACC_UNOP)
#undef ACC_UNOP

  // Guarded truncations: guarded_trunc above.
#define GUARDED_TRUNC_FORM(label, F, I, read, then) \
  L_##label : {                                       \
    SET_DST(I, (guarded_trunc<F, I>(read(F, 1))));    \
    CONTINUE(2, then);                                \
  }
#define GUARDED_TRUNC(name, F, I)                      \
  GUARDED_TRUNC_FORM(name, F, I, R, DISPATCH())        \
  GUARDED_TRUNC_FORM(name##Acc, F, I, ACC, DISPATCH())
  KILN_ACC_GUARDED(GUARDED_TRUNC)
#undef GUARDED_TRUNC

  // ---- memory ----------------------------------------------------------------
  // Layouts Load and Store (layouts.h). Memory 0, 32-bit.
  // No bounds checks: address + offset < 8 GiB always lands in the memory's
  // reservation, and an access past the end faults (see run()'s entry).
#define LOAD_FORM(label, MemT, Result, then)                          \
  L_##label : {                                                       \
    uint64_t ea = uint64_t{R(uint32_t, Load::addr)} + W(Load::offset); \
    SET_DST(Result, GUEST_RD(MemT, mem + ea));                        \
    CONTINUE(Load::kOperands, then);                                  \
  }
#define LOAD(name, MemT, Result) LOAD_FORM(name, MemT, Result, DISPATCH())
#define STORE_FORM(label, ValT, MemT, then)                                \
  L_##label : {                                                             \
    uint64_t ea = uint64_t{R(uint32_t, Store::addr)} + W(Store::offset);    \
    GUEST_WR(MemT, mem + ea, static_cast<MemT>(R(ValT, Store::value)));     \
    CONTINUE(Store::kOperands, then);                                       \
  }
#define STORE(name, ValT, MemT) STORE_FORM(name, ValT, MemT, DISPATCH())
  LOAD(I32Load, uint32_t, uint32_t)
  LOAD(I64Load, uint64_t, uint64_t)
  LOAD(F32Load, uint32_t, uint32_t)
  LOAD(F64Load, uint64_t, uint64_t)
  LOAD(I32Load8S, int8_t, int32_t)
  LOAD(I32Load8U, uint8_t, uint32_t)
  LOAD(I32Load16S, int16_t, int32_t)
  LOAD(I32Load16U, uint16_t, uint32_t)
  LOAD(I64Load8S, int8_t, int64_t)
  LOAD(I64Load8U, uint8_t, uint64_t)
  LOAD(I64Load16S, int16_t, int64_t)
  LOAD(I64Load16U, uint16_t, uint64_t)
  LOAD(I64Load32S, int32_t, int64_t)
  LOAD(I64Load32U, uint32_t, uint64_t)
  STORE(I32Store, uint32_t, uint32_t)
  STORE(I64Store, uint64_t, uint64_t)
  STORE(F32Store, uint32_t, uint32_t)
  STORE(F64Store, uint64_t, uint64_t)
  STORE(I32Store8, uint32_t, uint8_t)
  STORE(I32Store16, uint32_t, uint16_t)
  STORE(I64Store8, uint64_t, uint8_t)
  STORE(I64Store16, uint64_t, uint16_t)
  STORE(I64Store32, uint64_t, uint32_t)
#define ACC_LOAD(name, MemT, Result)                          \
  L_##name##Acc : {                                           \
    uint64_t ea = uint64_t{ACC(uint32_t, Load::addr)} + W(Load::offset); \
    SET_DST(Result, GUEST_RD(MemT, mem + ea));                \
    NEXT(Load::kOperands);                                    \
  }
  KILN_ACC_LOAD(ACC_LOAD)
#undef ACC_LOAD
#define ACC_STORE(name, ValT, MemT)                                      \
  L_##name##AccAddr : {                                                  \
    uint64_t ea = uint64_t{ACC(uint32_t, Store::addr)} + W(Store::offset); \
    GUEST_WR(MemT, mem + ea, static_cast<MemT>(R(ValT, Store::value)));  \
    NEXT(Store::kOperands);                                              \
  }                                                                      \
  L_##name##AccValue : {                                                 \
    uint64_t ea = uint64_t{R(uint32_t, Store::addr)} + W(Store::offset); \
    GUEST_WR(MemT, mem + ea, static_cast<MemT>(ACC(ValT, Store::value))); \
    NEXT(Store::kOperands);                                              \
  }
  KILN_ACC_STORE(ACC_STORE)
#undef ACC_STORE

  // Loads and stores with an address folded from an i32.add (translator.cpp); the
  // sum is stored too, as the add would have.
// (read_a, read_b: R, or ACC for the accumulator forms)
#define LOAD_ADD_FORM(label, MemT, Result, read_a, read_b, then)                          \
  L_##label : {                                                                           \
    using L = layout::LoadAdd;                                                            \
    uint32_t sum = read_a(uint32_t, L::a) + read_b(uint32_t, L::b);                       \
    SET(uint32_t, L::s, sum);                                                             \
    SET_DST(Result, GUEST_RD(MemT, mem + (uint64_t{sum} + W(L::offset))));                \
    CONTINUE(L::kOperands, then);                                                         \
  }
#define LOAD_ADD(name, MemT, Result) LOAD_ADD_FORM(name, MemT, Result, R, R, DISPATCH())
  // The sum is stored before the other operands are read: they may be the very
  // local the add was redirected to (`local.tee x (i32.add ..)` then `local.get x`).
#define STORE_ADD(name, ValT, MemT)                                                   \
  L_##name : {                                                                        \
    using L = layout::StoreAdd;                                                       \
    uint32_t sum = R(uint32_t, L::a) + R(uint32_t, L::b);                             \
    SET(uint32_t, L::s, sum);                                                         \
    ValT value = R(ValT, L::value);                                                   \
    GUEST_WR(MemT, mem + (uint64_t{sum} + W(L::offset)), static_cast<MemT>(value));   \
    NEXT(L::kOperands);                                                               \
  }
  LOAD_ADD(I32LoadAdd, uint32_t, uint32_t)
  LOAD_ADD(I64LoadAdd, uint64_t, uint64_t)
  LOAD_ADD(F32LoadAdd, uint32_t, uint32_t)
  LOAD_ADD(F64LoadAdd, uint64_t, uint64_t)
  LOAD_ADD(I32Load8SAdd, int8_t, int32_t)
  LOAD_ADD(I32Load8UAdd, uint8_t, uint32_t)
  LOAD_ADD(I32Load16SAdd, int16_t, int32_t)
  LOAD_ADD(I32Load16UAdd, uint16_t, uint32_t)
  STORE_ADD(I32StoreAdd, uint32_t, uint32_t)
  STORE_ADD(I64StoreAdd, uint64_t, uint64_t)
  STORE_ADD(F32StoreAdd, uint32_t, uint32_t)
  STORE_ADD(F64StoreAdd, uint64_t, uint64_t)
  STORE_ADD(I32Store8Add, uint32_t, uint8_t)
  STORE_ADD(I32Store16Add, uint32_t, uint16_t)
#define ACC_LOAD_ADD(name, MemT, Result)                      \
  LOAD_ADD_FORM(name##AccA, MemT, Result, ACC, R, DISPATCH()) \
  LOAD_ADD_FORM(name##AccB, MemT, Result, R, ACC, DISPATCH())
  KILN_ACC_LOAD_ADD(ACC_LOAD_ADD)
#undef ACC_LOAD_ADD
#define ACC_STORE_ADD(name, ValT, MemT)                                  \
  L_##name##AccValue : {                                                 \
    uint32_t sum = R(uint32_t, 0) + R(uint32_t, 1);                      \
    SET(uint32_t, 2, sum);                                               \
    GUEST_WR(MemT, mem + (uint64_t{sum} + W(4)), static_cast<MemT>(ACC(ValT, 3))); \
    NEXT(5);                                                             \
  }
  KILN_ACC_STORE_ADD(ACC_STORE_ADD)
#undef ACC_STORE_ADD

  // Array indexing: s = (i << k) + base (stored), then the access.
#define SCALED_ADDRESS(i)                                                        \
  uint32_t sum = (R(uint32_t, i) << (R(uint32_t, i + 1) & 31)) + R(uint32_t, i + 2); \
  SET(uint32_t, i + 3, sum);
#define LOAD_SCALED(name, MemT, Result)                                    \
  L_##name : {                                                             \
    SCALED_ADDRESS(LoadScaled::i)                                          \
    SET_DST(Result, GUEST_RD(MemT, mem + (uint64_t{sum} + W(LoadScaled::offset)))); \
    NEXT(LoadScaled::kOperands);                                           \
  }
#define STORE_SCALED(name, ValT, MemT)                       \
  L_##name : {                                               \
    SCALED_ADDRESS(0)                                        \
    GUEST_WR(MemT, mem + (uint64_t{sum} + W(5)), static_cast<MemT>(R(ValT, 4))); \
    NEXT(6);                                                 \
  }
  LOAD_SCALED(I32LoadScaled, uint32_t, uint32_t)
  LOAD_SCALED(I64LoadScaled, uint64_t, uint64_t)
  LOAD_SCALED(F64LoadScaled, uint64_t, uint64_t)
  LOAD_SCALED(I32Load16SScaled, int16_t, int32_t)
  STORE_SCALED(I32StoreScaled, uint32_t, uint32_t)
  STORE_SCALED(I64StoreScaled, uint64_t, uint64_t)
  STORE_SCALED(F64StoreScaled, uint64_t, uint64_t)
#undef LOAD_SCALED
#undef STORE_SCALED
#undef SCALED_ADDRESS

  // ALU pairs: t = a OP1 b, a temporary (never stored); dst = t OP2 c.
#define PAIR(name, T, first, second) \
  L_##name : {                       \
    T a = R(T, 1);                   \
    T b = R(T, 2);                   \
    T t = (first);                   \
    T c = R(T, 3);                   \
    SET_DST(T, (second));            \
    NEXT(4);                         \
  }
// The operations of pairs.def: semantics::<Type><Op> (runtime/semantics.h).
#define KILN_OP(T, op) semantics::T##op
#define KILN_CTYPE_I32 uint32_t
#define KILN_CTYPE_I64 uint64_t
#define KILN_CTYPE_F32 float
#define KILN_CTYPE_F64 double
#define KILN_PAIR_BODY(T, first, second) \
  PAIR(T##first##second, KILN_CTYPE_##T, KILN_OP(T, first)(a, b), KILN_OP(T, second)(t, c))
  KILN_ALL_PAIRS(KILN_PAIR_BODY)
#undef KILN_PAIR_BODY
#undef PAIR

  // Accumulator forms of ALU ops (accumulator.def): a or b from the accumulator.
#define ACC_ALU_FORM(label, T, op, read_a, read_b, then)          \
  L_##label : {                                                   \
    KILN_CTYPE_##T a = read_a(KILN_CTYPE_##T, Binary::a);         \
    KILN_CTYPE_##T b = read_b(KILN_CTYPE_##T, Binary::b);         \
    SET_DST(KILN_CTYPE_##T, KILN_OP(T, op)(a, b));               \
    CONTINUE(Binary::kOperands, then);                            \
  }
#define ACC_ALU(T, op)                                            \
  ACC_ALU_FORM(T##op##AccA, T, op, ACC, R, DISPATCH())            \
  ACC_ALU_FORM(T##op##AccB, T, op, R, ACC, DISPATCH())
  KILN_ACC_ALU(ACC_ALU)
#undef ACC_ALU
  // Pairs with a (AccA) or c (AccC) from the accumulator: the pair's code with
  // `read_a` / `read_c` as the reads of those operands.
#define ACC_PAIR_FORM(label, T, first, second, read_a, read_c, then) \
  L_##label : {                                                      \
    KILN_CTYPE_##T a = read_a(KILN_CTYPE_##T, Pair::a);              \
    KILN_CTYPE_##T b = R(KILN_CTYPE_##T, Pair::b);                   \
    KILN_CTYPE_##T t = KILN_OP(T, first)(a, b);                     \
    KILN_CTYPE_##T c = read_c(KILN_CTYPE_##T, Pair::c);              \
    SET_DST(KILN_CTYPE_##T, KILN_OP(T, second)(t, c));              \
    CONTINUE(Pair::kOperands, then);                                 \
  }
#define ACC_PAIR(T, first, second)                                                \
  ACC_PAIR_FORM(T##first##second##AccA, T, first, second, ACC, R, DISPATCH())     \
  ACC_PAIR_FORM(T##first##second##AccC, T, first, second, R, ACC, DISPATCH())
  KILN_ACC_PAIRS(ACC_PAIR)
#undef ACC_PAIR
#define ACC_VALUE_COMPARE(name)                         \
  L_##name##AccA : {                                    \
    SET_DST(uint32_t, COMPARE(name, ACC, Binary::a, R, Binary::b)); \
    NEXT(Binary::kOperands);                            \
  }                                                     \
  L_##name##AccB : {                                    \
    SET_DST(uint32_t, COMPARE(name, R, Binary::a, ACC, Binary::b)); \
    NEXT(Binary::kOperands);                            \
  }
  KILN_ACC_VALUE_COMPARE(ACC_VALUE_COMPARE)
#undef ACC_VALUE_COMPARE

  // A load feeding an ALU op: t, the loaded value, is a temporary (never
  // stored); x is the operand word at `x_i`, `address` computed before.
#define LOAD_THEN_OP(MemT, T, address, x_i, expr) \
  T t = static_cast<T>(GUEST_RD(MemT, mem + (address)));  \
  T x = R(T, x_i);                                  \
  SET_DST(T, (expr));
#define LOAD_OP(name, MemT, T, expr)                                              \
  L_##name : {                                                                    \
    LOAD_THEN_OP(MemT, T, uint64_t{R(uint32_t, LoadOp::p)} + W(LoadOp::offset), LoadOp::x, expr) \
    NEXT(LoadOp::kOperands);                                                      \
  }
  LOAD_OP(I32AddLoad, uint32_t, uint32_t, semantics::I32Add(t, x))
  LOAD_OP(I32SubLoadL, uint32_t, uint32_t, semantics::I32Sub(t, x))
  LOAD_OP(I32SubLoadR, uint32_t, uint32_t, semantics::I32Sub(x, t))
  LOAD_OP(I32AndLoad, uint32_t, uint32_t, semantics::I32And(t, x))
  LOAD_OP(I32OrLoad, uint32_t, uint32_t, semantics::I32Or(t, x))
  LOAD_OP(I32XorLoad, uint32_t, uint32_t, semantics::I32Xor(t, x))
  LOAD_OP(I32MulLoad, uint32_t, uint32_t, semantics::I32Mul(t, x))
  LOAD_OP(I64AddLoad, uint64_t, uint64_t, semantics::I64Add(t, x))
  LOAD_OP(I64XorLoad, uint64_t, uint64_t, semantics::I64Xor(t, x))
  LOAD_OP(F32AddLoad, float, float, semantics::F32Add(t, x))
  LOAD_OP(F32MulLoad, float, float, semantics::F32Mul(t, x))
  LOAD_OP(F64AddLoad, double, double, semantics::F64Add(t, x))
  LOAD_OP(F64SubLoadL, double, double, semantics::F64Sub(t, x))
  LOAD_OP(F64SubLoadR, double, double, semantics::F64Sub(x, t))
  LOAD_OP(F64MulLoad, double, double, semantics::F64Mul(t, x))
  LOAD_OP(F64DivLoadL, double, double, semantics::F64Div(t, x))
  LOAD_OP(F64DivLoadR, double, double, semantics::F64Div(x, t))
#undef LOAD_OP

  // The same after an address add: s = a + b is stored first.
#define LOAD_INDEXED_OP(name, MemT, T, expr)                 \
  L_##name : {                                               \
    using L = LoadIndexedOp;                                 \
    uint32_t s = R(uint32_t, L::a) + R(uint32_t, L::b);      \
    SET(uint32_t, L::s, s);                                  \
    LOAD_THEN_OP(MemT, T, uint64_t{s} + W(L::offset), L::x, expr) \
    NEXT(L::kOperands);                                      \
  }
  LOAD_INDEXED_OP(I32AddLoadIndexed, uint32_t, uint32_t, semantics::I32Add(t, x))
  LOAD_INDEXED_OP(F32AddLoadIndexed, float, float, semantics::F32Add(t, x))
  LOAD_INDEXED_OP(F32MulLoadIndexed, float, float, semantics::F32Mul(t, x))
  LOAD_INDEXED_OP(F64AddLoadIndexed, double, double, semantics::F64Add(t, x))
  LOAD_INDEXED_OP(F64SubLoadIndexedL, double, double, semantics::F64Sub(t, x))
  LOAD_INDEXED_OP(F64SubLoadIndexedR, double, double, semantics::F64Sub(x, t))
  LOAD_INDEXED_OP(F64MulLoadIndexed, double, double, semantics::F64Mul(t, x))
#undef LOAD_INDEXED_OP
#undef LOAD_THEN_OP

  // An ALU op whose result t, a temporary (never stored), goes to memory.
  // With its accumulator forms (accumulator.def): a or b from the accumulator.
#define OP_STORE_FORM(label, T, MemT, expr, read_a, read_b)            \
  L_##label : {                                                        \
    T a = read_a(T, OpStore::a);                                       \
    T b = read_b(T, OpStore::b);                                       \
    GUEST_WR(MemT, mem + (uint64_t{R(uint32_t, OpStore::p)} + W(OpStore::offset)), static_cast<MemT>(expr)); \
    NEXT(OpStore::kOperands);                                          \
  }
#define OP_STORE(name, T, MemT, expr)                 \
  OP_STORE_FORM(name, T, MemT, expr, R, R)            \
  OP_STORE_FORM(name##AccA, T, MemT, expr, ACC, R)    \
  OP_STORE_FORM(name##AccB, T, MemT, expr, R, ACC)
  KILN_ACC_OP_STORE(OP_STORE)
#undef OP_STORE
#undef OP_STORE_FORM

  // Read-modify-write c[i] += m at address p (handlers.def: the loaded value,
  // the product and the sum are temporaries, never stored).
#define ACCUMULATE(T, m, p, offset_i)                       \
  uint8_t* at = mem + (uint64_t{p} + W(offset_i));           \
  GUEST_WR(T, at, GUEST_RD(T, at) + (m));
#define RMW(name, T)                             \
  L_##name : {                                   \
    ACCUMULATE(T, R(T, Rmw::x), R(uint32_t, Rmw::p), Rmw::offset) \
    NEXT(Rmw::kOperands);                        \
  }
  RMW(I32AddRmw, uint32_t)
  RMW(I64AddRmw, uint64_t)
  RMW(F32AddRmw, float)
  RMW(F64AddRmw, double)
#undef RMW
#define MUL_ADD_RMW(name, T)                                 \
  L_##name : {                                               \
    ACCUMULATE(T, R(T, MulAddRmw::a) * R(T, MulAddRmw::b), R(uint32_t, MulAddRmw::p), MulAddRmw::offset) \
    NEXT(MulAddRmw::kOperands);                              \
  }
  MUL_ADD_RMW(F32MulAddRmw, float)
  MUL_ADD_RMW(F64MulAddRmw, double)
#undef MUL_ADD_RMW
  // c[i] += x[j] * k: the operands xa xb xs k xoffset offset of layout L
  // (AxpyRmw or AxpyIndexedRmw), from `first` on (the operand of xa: a
  // merged form's second instruction's is further on), and p's value in `p`
  // (xs never shares p's slot: the translator checks).
#define AXPY(T, L, first, p) AXPY_FROM(T, R(uint32_t, first), L, first, p)
// The same with xa's value given (the paired form has it in a register).
#define AXPY_FROM(T, xa_value, L, first, p)                                                     \
  uint32_t xs = (xa_value) + R(uint32_t, (first) + L::xb - L::xa);                              \
  SET(uint32_t, (first) + L::xs - L::xa, xs);                                                   \
  T m = GUEST_RD(T, mem + (uint64_t{xs} + W((first) + L::xoffset - L::xa))) * R(T, (first) + L::k - L::xa); \
  ACCUMULATE(T, m, p, (first) + L::offset - L::xa)
#define AXPY_RMW(name, T)              \
  L_##name : {                         \
    const uint32_t p = R(uint32_t, AxpyRmw::p); \
    AXPY(T, AxpyRmw, AxpyRmw::xa, p)          \
    NEXT(AxpyRmw::kOperands);                 \
  }
  AXPY_RMW(F32AxpyRmw, float)
  AXPY_RMW(F64AxpyRmw, double)
#undef AXPY_RMW
  // p = pa + pb (stored), then the axpy: an AxpyIndexedRmw's own operands.
#define AXPY_INDEXED(T)                                             \
  using A = AxpyIndexedRmw;                                         \
  const uint32_t p = R(uint32_t, A::pa) + R(uint32_t, A::pb);       \
  SET(uint32_t, A::p, p);                                           \
  AXPY(T, A, A::xa, p)
#define AXPY_INDEXED_RMW(name, T)                                   \
  L_##name : {                                                      \
    AXPY_INDEXED(T)                                                 \
    NEXT(A::kOperands);                                             \
  }
  AXPY_INDEXED_RMW(F32AxpyIndexedRmw, float)
  AXPY_INDEXED_RMW(F64AxpyIndexedRmw, double)
#undef AXPY_INDEXED_RMW

  // The second instruction's operands are layout::second_axpy(...), after its handler.
#define AXPY_INDEXED_RMW_TWICE(name, T)                                     \
  L_##name : {                                                              \
    AXPY_INDEXED(T)                                                         \
    const uint32_t first_xs = xs;                                           \
    {                                                                       \
      const uint32_t p2 = p + R(uint32_t, second_axpy(A::pb));              \
      SET(uint32_t, second_axpy(A::p), p2);                                 \
      AXPY_FROM(T, first_xs, A, second_axpy(A::xa), p2)                     \
    }                                                                       \
    NEXT(second_axpy(A::kOperands));                                        \
  }
  AXPY_INDEXED_RMW_TWICE(F32AxpyIndexedRmwTwice, float)
  AXPY_INDEXED_RMW_TWICE(F64AxpyIndexedRmwTwice, double)
#undef AXPY_INDEXED_RMW_TWICE
#undef AXPY_INDEXED
  // The pair's words (20), then the branch's handler and its a b s c rel at
  // W(22): a is the counter (the translator puts it there), s the same slot.
  // Loads and stores happen in the original order, element by element: c and
  // x may overlap. A fault reports the pair's instruction, as the pair does
  // (through thread.loop_ip: the loop's registers need not hold ip).
#define AXPY_LOOP(name, T)                                                        \
  L_##name : {                                                                    \
    using A = AxpyIndexedRmw;                                                     \
    const uint32_t pa = R(uint32_t, A::pa), xa = R(uint32_t, A::xa);              \
    const uint32_t pb2 = R(uint32_t, second_axpy(A::pb)), xb2 = R(uint32_t, second_axpy(A::xb)); \
    const T k = R(T, A::k), k2 = R(T, second_axpy(A::k));                         \
    const uint32_t xoffset = W(A::xoffset), offset = W(A::offset);                \
    const uint32_t xoffset2 = W(second_axpy(A::xoffset)), offset2 = W(second_axpy(A::offset)); \
    const uint32_t step = R(uint32_t, loop_branch(AddBr::b)), end = R(uint32_t, loop_branch(AddBr::c)); \
    uint32_t i = R(uint32_t, loop_branch(AddBr::a)), p, xs, p2, xs2;              \
    thread.loop_ip = ip;                                                          \
    do {                                                                          \
      p = pa + i;                                                                 \
      xs = xa + i;                                                                \
      T m = GUEST_RD(T, mem + (uint64_t{xs} + xoffset)) * k;                            \
      uint8_t* at = mem + (uint64_t{p} + offset);                                 \
      GUEST_WR(T, at, GUEST_RD(T, at) + m);                                                   \
      p2 = p + pb2;                                                               \
      xs2 = xs + xb2;                                                             \
      T m2 = GUEST_RD(T, mem + (uint64_t{xs2} + xoffset2)) * k2;                        \
      uint8_t* at2 = mem + (uint64_t{p2} + offset2);                              \
      GUEST_WR(T, at2, GUEST_RD(T, at2) + m2);                                                \
      i += step;                                                                  \
    } while (i != end);                                                           \
    thread.loop_ip = nullptr;                                                     \
    SET(uint32_t, A::p, p);                                                       \
    SET(uint32_t, A::xs, xs);                                                     \
    SET(uint32_t, second_axpy(A::p), p2);                                         \
    SET(uint32_t, second_axpy(A::xs), xs2);                                       \
    SET(uint32_t, loop_branch(AddBr::s), i);                                      \
    NEXT(loop_branch(AddBr::kOperands));                                          \
  }
  AXPY_LOOP(F32AxpyLoop, float)
  AXPY_LOOP(F64AxpyLoop, double)
#undef AXPY_LOOP
#undef AXPY
#undef AXPY_FROM
#undef ACCUMULATE

  // A byte converted to a float (the byte is never stored).
#define CONVERT_LOAD8U(name, F)                                   \
  L_##name : {                                                    \
    uint64_t ea = uint64_t{R(uint32_t, Load::addr)} + W(Load::offset); \
    SET_DST(F, static_cast<F>(GUEST_RD(uint8_t, mem + ea)));      \
    NEXT(Load::kOperands);                                        \
  }                                                               \
  L_##name##Add : {                                               \
    using L = layout::LoadAdd;                                    \
    uint32_t sum = R(uint32_t, L::a) + R(uint32_t, L::b);         \
    SET(uint32_t, L::s, sum);                                     \
    SET_DST(F, static_cast<F>(GUEST_RD(uint8_t, mem + (uint64_t{sum} + W(L::offset))))); \
    NEXT(L::kOperands);                                           \
  }
  CONVERT_LOAD8U(F32ConvertLoad8U, float)
  CONVERT_LOAD8U(F64ConvertLoad8U, double)
#undef CONVERT_LOAD8U

  // Checked accesses, for any memory (flags: its index, high bit: 64-bit),
  // with explicit bounds checks and 64-bit offsets (translator.cpp).
#define MEMORY(flags) inst->memories[(flags) & ~kWideFlag]
#define CHECKED_EA(addr_i, flags, offset, size, ea)                                  \
  runtime::Memory* m = MEMORY(flags);                                               \
  uint64_t ea;                                                                      \
  if (__builtin_add_overflow(INDEX(flags, addr_i), (offset), &ea) ||                \
      !range_in_bounds(ea, (size), m->size_bytes()))                                \
    TRAP(TrapCode::MemoryOutOfBounds);
#define LOAD_CHECKED(name, MemT, Result)                                            \
  L_##name##Checked : {                                                             \
    CHECKED_EA(1, W(2), W(3) | (uint64_t{W(4)} << 32), sizeof(MemT), ea)            \
    SET(Result, 0, GUEST_RD(MemT, m->data() + ea));                                       \
    NEXT(5);                                                                        \
  }
#define STORE_CHECKED(name, ValT, MemT)                                             \
  L_##name##Checked : {                                                             \
    CHECKED_EA(0, W(2), W(3) | (uint64_t{W(4)} << 32), sizeof(MemT), ea)            \
    GUEST_WR(MemT, m->data() + ea, static_cast<MemT>(R(ValT, 1)));                        \
    NEXT(5);                                                                        \
  }
  LOAD_CHECKED(I32Load, uint32_t, uint32_t)
  LOAD_CHECKED(I64Load, uint64_t, uint64_t)
  LOAD_CHECKED(F32Load, uint32_t, uint32_t)
  LOAD_CHECKED(F64Load, uint64_t, uint64_t)
  LOAD_CHECKED(I32Load8S, int8_t, int32_t)
  LOAD_CHECKED(I32Load8U, uint8_t, uint32_t)
  LOAD_CHECKED(I32Load16S, int16_t, int32_t)
  LOAD_CHECKED(I32Load16U, uint16_t, uint32_t)
  LOAD_CHECKED(I64Load8S, int8_t, int64_t)
  LOAD_CHECKED(I64Load8U, uint8_t, uint64_t)
  LOAD_CHECKED(I64Load16S, int16_t, int64_t)
  LOAD_CHECKED(I64Load16U, uint16_t, uint64_t)
  LOAD_CHECKED(I64Load32S, int32_t, int64_t)
  LOAD_CHECKED(I64Load32U, uint32_t, uint64_t)
  LOAD_CHECKED(V128Load, simd::V128, simd::V128)
  STORE_CHECKED(I32Store, uint32_t, uint32_t)
  STORE_CHECKED(I64Store, uint64_t, uint64_t)
  STORE_CHECKED(F32Store, uint32_t, uint32_t)
  STORE_CHECKED(F64Store, uint64_t, uint64_t)
  STORE_CHECKED(I32Store8, uint32_t, uint8_t)
  STORE_CHECKED(I32Store16, uint32_t, uint16_t)
  STORE_CHECKED(I64Store8, uint64_t, uint8_t)
  STORE_CHECKED(I64Store16, uint64_t, uint16_t)
  STORE_CHECKED(I64Store32, uint64_t, uint32_t)
  STORE_CHECKED(V128Store, simd::V128, simd::V128)
#undef LOAD_CHECKED
#undef STORE_CHECKED
#undef CHECKED_EA
L_MemorySizeChecked:  // dst flags
  SET(uint64_t, 0, MEMORY(W(1))->pages());
  NEXT(2);
  // (Bulk memory by the runtime's operations, which every tier shares.)
#define RUN_OPERATION(call)                    \
  do {                                         \
    TrapCode code = (call);                    \
    if (code != TrapCode::None) TRAP(code);    \
  } while (0)
L_MemoryGrowChecked: {  // dst flags delta
  int64_t old = runtime::memory_grow(*MEMORY(W(1)), INDEX(W(1), 2));
  SET(uint64_t, 0, static_cast<uint64_t>(old));
  NEXT(3);
}
L_MemoryFillChecked:  // flags dst value len
  RUN_OPERATION(runtime::memory_fill(*MEMORY(W(0)), INDEX(W(0), 1), static_cast<uint8_t>(R(uint32_t, 2)),
                                     INDEX(W(0), 3)));
  NEXT(4);
L_MemoryCopyChecked: {  // dst_flags src_flags dst src len
  uint64_t len = (W(0) & W(1) & kWideFlag) ? R(uint64_t, 4) : uint64_t{R(uint32_t, 4)};
  RUN_OPERATION(runtime::memory_copy(*MEMORY(W(0)), INDEX(W(0), 2), *MEMORY(W(1)), INDEX(W(1), 3), len));
  NEXT(5);
}
L_MemoryInitChecked:  // data flags dst src len
  RUN_OPERATION(runtime::memory_init(*MEMORY(W(1)), INDEX(W(1), 2), *inst, W(0), R(uint32_t, 3), R(uint32_t, 4)));
  NEXT(5);
#undef MEMORY

L_MemorySize:
  SET(uint32_t, 0, inst->memories[0]->pages());
  NEXT(1);
L_MemoryGrow: {
  int64_t old = runtime::memory_grow(*inst->memories[0], R(uint32_t, 1));
  SET(uint32_t, 0, static_cast<uint32_t>(old));
  REFRESH_MEMORY();
  NEXT(2);
}
L_MemoryFill:  // dst value len
  RUN_OPERATION(runtime::memory_fill(*inst->memories[0], R(uint32_t, 0), static_cast<uint8_t>(R(uint32_t, 1)),
                                     R(uint32_t, 2)));
  NEXT(3);
L_MemoryCopy:  // dst src len
  RUN_OPERATION(runtime::memory_copy(*inst->memories[0], R(uint32_t, 0), *inst->memories[0], R(uint32_t, 1),
                                     R(uint32_t, 2)));
  NEXT(3);
L_MemoryInit:  // data dst src len
  RUN_OPERATION(runtime::memory_init(*inst->memories[0], R(uint32_t, 1), *inst, W(0), R(uint32_t, 2), R(uint32_t, 3)));
  NEXT(4);
L_DataDrop:
  runtime::data_drop(*inst, W(0));
  NEXT(1);

#include "interp/simd_handlers.inc"

  // ---- variables and parametric ---------------------------------------------------
L_Copy64:
  SET_DST(uint64_t, R(uint64_t, Copy::src));
  NEXT(Copy::kOperands);
L_Copy64Acc:
  SET_DST(uint64_t, ACC(uint64_t, Copy::src));
  NEXT(Copy::kOperands);
L_Copy64x2:
  std::memcpy(fp + W(0), fp + W(1), 8);
  std::memcpy(fp + W(2), fp + W(3), 8);
  NEXT(4);
L_Copy64x3:
  std::memcpy(fp + W(0), fp + W(1), 8);
  std::memcpy(fp + W(2), fp + W(3), 8);
  std::memcpy(fp + W(4), fp + W(5), 8);
  NEXT(6);
L_Copy64x4:
  std::memcpy(fp + W(0), fp + W(1), 8);
  std::memcpy(fp + W(2), fp + W(3), 8);
  std::memcpy(fp + W(4), fp + W(5), 8);
  std::memcpy(fp + W(6), fp + W(7), 8);
  NEXT(8);
L_Copy128:
  std::memmove(fp + W(Copy::dst), fp + W(Copy::src), 16);
  NEXT(Copy::kOperands);
L_Select64: {
  uint64_t v = R(uint32_t, Select::cond) ? R(uint64_t, Select::a) : R(uint64_t, Select::b);
  SET_DST(uint64_t, v);
  NEXT(Select::kOperands);
}
L_Select64Acc: {
  uint64_t v = ACC(uint32_t, Select::cond) ? R(uint64_t, Select::a) : R(uint64_t, Select::b);
  SET_DST(uint64_t, v);
  NEXT(Select::kOperands);
}
L_Select128: {
  uint8_t v[16];
  std::memcpy(v, fp + (R(uint32_t, Select::cond) ? W(Select::a) : W(Select::b)), 16);
  std::memcpy(fp + W(Select::dst), v, 16);
  NEXT(Select::kOperands);
}
L_GlobalGet64:
  SET(uint64_t, 0, inst->globals[W(1)]->value[0].i64);
  NEXT(2);
L_GlobalGet128:
  std::memcpy(fp + W(0), inst->globals[W(1)]->value, 16);
  NEXT(2);
L_GlobalSet64:
  inst->globals[W(1)]->value[0].i64 = R(uint64_t, 0);
  NEXT(2);
L_GlobalSet128:
  std::memcpy(inst->globals[W(1)]->value, fp + W(0), 16);
  NEXT(2);

  // ---- references and tables -------------------------------------------------
L_RefNull:
  SET(uint64_t, 0, 0);
  NEXT(1);
L_RefIsNull:
  SET(uint32_t, 0, R(runtime::Ref, 1) == nullptr);
  NEXT(2);
L_RefFunc:
  SET(runtime::Ref, 0, inst->funcs[W(1)]);
  NEXT(2);
  // Tables: W(flags) names the table; its high bit says indices are 64-bit.
L_TableGet: {  // dst flags index
  runtime::Ref value;
  RUN_OPERATION(runtime::table_get(*TABLE(W(1)), INDEX(W(1), 2), value));
  SET(runtime::Ref, 0, value);
  NEXT(3);
}
L_TableSet:  // flags index value
  RUN_OPERATION(runtime::table_set(*TABLE(W(0)), INDEX(W(0), 1), R(runtime::Ref, 2)));
  NEXT(3);
L_TableSize:
  SET(uint64_t, 0, TABLE(W(1))->size());
  NEXT(2);
L_TableGrow: {  // dst flags init delta
  int64_t old = runtime::table_grow(*TABLE(W(1)), INDEX(W(1), 3), R(runtime::Ref, 2));
  SET(uint64_t, 0, static_cast<uint64_t>(old));
  NEXT(4);
}
L_TableFill:  // flags dst value len
  RUN_OPERATION(runtime::table_fill(*TABLE(W(0)), INDEX(W(0), 1), R(runtime::Ref, 2), INDEX(W(0), 3)));
  NEXT(4);
L_TableCopy: {  // dst_flags src_flags dst src len
  uint64_t len = (W(0) & W(1) & kWideFlag) ? R(uint64_t, 4) : uint64_t{R(uint32_t, 4)};
  RUN_OPERATION(runtime::table_copy(*TABLE(W(0)), INDEX(W(0), 2), *TABLE(W(1)), INDEX(W(1), 3), len));
  NEXT(5);
}
L_TableInit:  // flags elem dst src len
  RUN_OPERATION(runtime::table_init(*TABLE(W(0)), INDEX(W(0), 2), *inst, W(1), R(uint32_t, 3), R(uint32_t, 4)));
  NEXT(5);
L_ElemDrop:
  runtime::elem_drop(*inst, W(0));
  NEXT(1);
#undef RUN_OPERATION

  // ---- control ------------------------------------------------------------------
L_Unreachable:
  TRAP(TrapCode::Unreachable);
L_Fuel:
  thread.limits.fuel -= W(0);
  if (thread.limits.fuel < 0) TRAP(TrapCode::OutOfFuel);
  NEXT(1);
L_EpochCheck:
  if (thread.limits.epoch->load(std::memory_order_relaxed) >= thread.limits.epoch_deadline) TRAP(TrapCode::Interrupted);
  NEXT(0);
L_HotnessCount: {
  using H = layout::HotnessCount;
  auto* counter =
      reinterpret_cast<int32_t*>(static_cast<uintptr_t>(W(H::counter_lo) | static_cast<uint64_t>(W(H::counter_hi)) << 32));
  int32_t left = __atomic_load_n(counter, __ATOMIC_RELAXED) - 1;
  __atomic_store_n(counter, left, __ATOMIC_RELAXED);
  if (__builtin_expect(left <= 0, 0)) {
    runtime::LoopEntry entry = report_hot(thread, counter, W(H::loop_offset));
    if (entry.enter) {
      switch (enter_loop(thread, entry, fp, W(H::loop_offset), host_error)) {
        case LoopEntryResult::NotEntered: break;
        case LoopEntryResult::Returned: goto L_Return;
        case LoopEntryResult::Failed:
          frame_in_error = true;
          goto error_exit;
      }
    }
  }
  NEXT(H::kOperands);
}
L_Br:
  ip += static_cast<int32_t>(W(layout::Br::rel));
  DISPATCH();
  // Jumps by the relative target in W(rel_i) if `cond`, else goes on to the
  // next instruction, `n` operand words on.
#define JUMP_IF(cond, rel_i, n)                 \
  do {                                          \
    if (cond) {                                 \
      ip += static_cast<int32_t>(W(rel_i));     \
      DISPATCH();                               \
    }                                           \
    NEXT(n);                                    \
  } while (0)
L_BrIfNz:
  JUMP_IF(R(uint32_t, BrIf::cond), BrIf::rel, BrIf::kOperands);
L_BrIfZ:
  JUMP_IF(!R(uint32_t, BrIf::cond), BrIf::rel, BrIf::kOperands);
L_BrIfNz64:
  JUMP_IF(R(uint64_t, BrIf::cond), BrIf::rel, BrIf::kOperands);
L_BrIfZ64:
  JUMP_IF(!R(uint64_t, BrIf::cond), BrIf::rel, BrIf::kOperands);
#define BRANCH_IF(name, op) \
  L_##name:                 \
  JUMP_IF(COMPARE(op, R, BrCompare::a, R, BrCompare::b), BrCompare::rel, BrCompare::kOperands);
  BRANCH_IF(BrI32Eq, I32Eq)
  BRANCH_IF(BrI32Ne, I32Ne)
  BRANCH_IF(BrI32LtS, I32LtS)
  BRANCH_IF(BrI32LtU, I32LtU)
  BRANCH_IF(BrI32GtS, I32GtS)
  BRANCH_IF(BrI32GtU, I32GtU)
  BRANCH_IF(BrI32LeS, I32LeS)
  BRANCH_IF(BrI32LeU, I32LeU)
  BRANCH_IF(BrI32GeS, I32GeS)
  BRANCH_IF(BrI32GeU, I32GeU)
  BRANCH_IF(BrI64Eq, I64Eq)
  BRANCH_IF(BrI64Ne, I64Ne)
  BRANCH_IF(BrI64LtS, I64LtS)
  BRANCH_IF(BrI64LtU, I64LtU)
  BRANCH_IF(BrI64GtS, I64GtS)
  BRANCH_IF(BrI64GtU, I64GtU)
  BRANCH_IF(BrI64LeS, I64LeS)
  BRANCH_IF(BrI64LeU, I64LeU)
  BRANCH_IF(BrI64GeS, I64GeS)
  BRANCH_IF(BrI64GeU, I64GeU)
  BRANCH_IF(BrF32Eq, F32Eq)
  BRANCH_IF(BrF32Ne, F32Ne)
  BRANCH_IF(BrF32Lt, F32Lt)
  BRANCH_IF(BrF32Gt, F32Gt)
  BRANCH_IF(BrF32Le, F32Le)
  BRANCH_IF(BrF32Ge, F32Ge)
  BRANCH_IF(BrF64Eq, F64Eq)
  BRANCH_IF(BrF64Ne, F64Ne)
  BRANCH_IF(BrF64Lt, F64Lt)
  BRANCH_IF(BrF64Gt, F64Gt)
  BRANCH_IF(BrF64Le, F64Le)
  BRANCH_IF(BrF64Ge, F64Ge)
#undef BRANCH_IF
#define ACC_BRANCH_IF(name, op)             \
  L_##name##AccA:                           \
  JUMP_IF(COMPARE(op, ACC, BrCompare::a, R, BrCompare::b), BrCompare::rel, BrCompare::kOperands); \
  L_##name##AccB:                           \
  JUMP_IF(COMPARE(op, R, BrCompare::a, ACC, BrCompare::b), BrCompare::rel, BrCompare::kOperands);
  KILN_ACC_COMPARE(ACC_BRANCH_IF)
#undef ACC_BRANCH_IF
L_BrIfNzAcc:
  JUMP_IF(ACC(uint32_t, BrIf::cond), BrIf::rel, BrIf::kOperands);
L_BrIfZAcc:
  JUMP_IF(!ACC(uint32_t, BrIf::cond), BrIf::rel, BrIf::kOperands);
#define BRANCH_IF_NOT(name, op) \
  L_##name:                     \
  JUMP_IF(!COMPARE(op, R, BrCompare::a, R, BrCompare::b), BrCompare::rel, BrCompare::kOperands);
  BRANCH_IF_NOT(BrF32NotEq, F32Eq)
  BRANCH_IF_NOT(BrF32NotNe, F32Ne)
  BRANCH_IF_NOT(BrF32NotLt, F32Lt)
  BRANCH_IF_NOT(BrF32NotGt, F32Gt)
  BRANCH_IF_NOT(BrF32NotLe, F32Le)
  BRANCH_IF_NOT(BrF32NotGe, F32Ge)
  BRANCH_IF_NOT(BrF64NotEq, F64Eq)
  BRANCH_IF_NOT(BrF64NotNe, F64Ne)
  BRANCH_IF_NOT(BrF64NotLt, F64Lt)
  BRANCH_IF_NOT(BrF64NotGt, F64Gt)
  BRANCH_IF_NOT(BrF64NotLe, F64Le)
  BRANCH_IF_NOT(BrF64NotGe, F64Ge)
#undef BRANCH_IF_NOT
#define ADD_BRANCH_IF(name, op)                                          \
  L_##name : {                                                           \
    uint32_t sum = semantics::I32Add(R(uint32_t, AddBr::a), R(uint32_t, AddBr::b)); \
    SET(uint32_t, AddBr::s, sum);                                        \
    uint32_t c = R(uint32_t, AddBr::c);                                  \
    if (semantics::op(sum, c)) {                                         \
      ip += static_cast<int32_t>(W(AddBr::rel));                         \
      DISPATCH();                                                        \
    }                                                                    \
    NEXT(AddBr::kOperands);                                              \
  }
  ADD_BRANCH_IF(AddBrI32Eq, I32Eq)
  ADD_BRANCH_IF(AddBrI32Ne, I32Ne)
  ADD_BRANCH_IF(AddBrI32LtS, I32LtS)
  ADD_BRANCH_IF(AddBrI32LtU, I32LtU)
  ADD_BRANCH_IF(AddBrI32GtS, I32GtS)
  ADD_BRANCH_IF(AddBrI32GtU, I32GtU)
  ADD_BRANCH_IF(AddBrI32LeS, I32LeS)
  ADD_BRANCH_IF(AddBrI32LeU, I32LeU)
  ADD_BRANCH_IF(AddBrI32GeS, I32GeS)
  ADD_BRANCH_IF(AddBrI32GeU, I32GeU)
#undef ADD_BRANCH_IF
  // The second addition's dst a b are W(5)..W(7).
#define ADD_PAIR(name, T1, T2)                                         \
  L_##name : {                                                         \
    SET(T1, 0, add_of<T1>(R(T1, 1), R(T1, 2)));                        \
    T2 second = add_of<T2>(R(T2, 6), R(T2, 7));                        \
    set_slot<T2>(fp + W(5), second);                     \
    acc = slot_bits(second);                             \
    NEXT(8);                                             \
  }
  ADD_PAIR(AddPairI32I32, uint32_t, uint32_t)
  ADD_PAIR(AddPairI32I64, uint32_t, uint64_t)
  ADD_PAIR(AddPairI64I32, uint64_t, uint32_t)
  ADD_PAIR(AddPairI64I64, uint64_t, uint64_t)
#undef ADD_PAIR
  // Then forms (handlers.def, KILN_THEN): the first instruction's own handler
  // code (its form macro), continuing with a direct jump to the follower's
  // handler instead of a dispatch. THEN_<first>(next) defines the form.
#define THEN_GOTO(next) goto L_##next
#define THEN_I32Add(next) BINOP_FORM(I32AddThen##next, uint32_t, uint32_t, semantics::I32Add(a, b), THEN_GOTO(next))
#define THEN_I64Add(next) BINOP_FORM(I64AddThen##next, uint64_t, uint64_t, semantics::I64Add(a, b), THEN_GOTO(next))
#define THEN_F32Mul(next) BINOP_FORM(F32MulThen##next, float, float, semantics::F32Mul(a, b), THEN_GOTO(next))
#define THEN_I32Load8U(next) LOAD_FORM(I32Load8UThen##next, uint8_t, uint32_t, THEN_GOTO(next))
#define THEN_I32Load16S(next) LOAD_FORM(I32Load16SThen##next, int16_t, int32_t, THEN_GOTO(next))
#define THEN_I32Store8(next) STORE_FORM(I32Store8Then##next, uint32_t, uint8_t, THEN_GOTO(next))
#define THEN_F32AddAccA(next) ACC_ALU_FORM(F32AddAccAThen##next, F32, Add, ACC, R, THEN_GOTO(next))
#define THEN_F32MulAddAccC(next) \
  ACC_PAIR_FORM(F32MulAddAccCThen##next, F32, Mul, Add, R, ACC, THEN_GOTO(next))
#define THEN_I32Load8UAdd(next) \
  LOAD_ADD_FORM(I32Load8UAddThen##next, uint8_t, uint32_t, R, R, THEN_GOTO(next))
#define THEN_I32TruncF32SGuardedAcc(next) \
  GUARDED_TRUNC_FORM(I32TruncF32SGuardedAccThen##next, float, int32_t, ACC, THEN_GOTO(next))
#define THEN(first, next) THEN_##first(next)
  KILN_THEN(THEN)
#undef THEN
  // The jump of a br_table whose count word is W(count_i), targets after it;
  // an index past the table takes the last (default) target.
#define BR_TABLE_JUMP(index, count_i)                      \
  do {                                                     \
    uint32_t count = W(count_i);                           \
    uint32_t i = (index);                                  \
    if (i >= count - 1) i = count - 1;                     \
    ip += static_cast<int32_t>(W((count_i) + 1 + i));      \
    DISPATCH();                                            \
  } while (0)
L_BrTable:  // index count targets...
  BR_TABLE_JUMP(R(uint32_t, layout::BrTable::index), layout::BrTable::count);
// `switch (code[pc])`: the index loaded from a scaled address (I32LoadScaled's
// operands, then the count and targets). The address and the loaded index are
// still stored where the translator put them.
L_BrTableLoadScaled: {
  using T = layout::BrTableLoadScaled;
  uint32_t sum = (R(uint32_t, T::i) << (R(uint32_t, T::k) & 31)) + R(uint32_t, T::base);
  SET(uint32_t, T::s, sum);
  uint32_t index = GUEST_RD(uint32_t, mem + (uint64_t{sum} + W(T::offset)));
  SET(uint32_t, T::index, index);
  BR_TABLE_JUMP(index, T::count);
}
#undef BR_TABLE_JUMP

L_Call:  // func_index args
  callee = inst->funcs[W(0)];
  callee_fp = fp + W(1);
  ip += 4;
  goto do_call;

L_CallIndirect: {  // type_id table_flags index_slot args
  runtime::Table* table = TABLE(W(1));
  uint64_t index = INDEX(W(1), 2);
  if (index >= table->size()) TRAP(TrapCode::UndefinedElement);
  callee = static_cast<Function*>(table->get(index));
  if (!callee) TRAP(TrapCode::UninitializedElement);
  if (callee->type_id != W(0)) TRAP(TrapCode::IndirectCallTypeMismatch);
  callee_fp = fp + W(3);
  ip += 6;
  goto do_call;
}

L_ReturnCall: {  // func_index args args_size
  callee = inst->funcs[W(0)];
  std::memmove(fp, fp + W(1), W(2));
  goto do_tail_call;
}

L_ReturnCallIndirect: {  // type_id table_flags index_slot args args_size
  runtime::Table* table = TABLE(W(1));
  uint64_t index = INDEX(W(1), 2);
  if (index >= table->size()) TRAP(TrapCode::UndefinedElement);
  callee = static_cast<Function*>(table->get(index));
  if (!callee) TRAP(TrapCode::UninitializedElement);
  if (callee->type_id != W(0)) TRAP(TrapCode::IndirectCallTypeMismatch);
  std::memmove(fp, fp + W(3), W(4));
  goto do_tail_call;
}

do_tail_call:
  // The callee replaces the current frame: its arguments are now at fp. A host
  // callee runs and then we return; a wasm callee reuses this frame.
  callee_fp = fp;
  if (!compile_if_needed(callee, host_error)) goto error_exit;
  if (callee->entry != &enter) {
    ip = nullptr;  // after the call through the entry, return
    // The callee replaced this frame: a trap in it has no frame of ours to name.
    frame_in_error = true;
    goto do_entry_call;
  }
  callee_code = static_cast<const Code*>(callee->code);
  if (fp + callee_code->frame_size > stack_end) {
    TRAP(TrapCode::StackExhausted);
  }
  init_frame(fp, callee_code);
  thread.current = callee;
  if (inst != callee->instance) {
    inst = callee->instance;
    REFRESH_MEMORY();
  }
  ip = callee_code->words.data();
  DISPATCH();

do_call:
  // One test covers the slow cases: interpreter code runs in this loop; a host
  // function, another tier's code or one not compiled yet has another entry.
  if (__builtin_expect(callee->entry != &enter, 0)) {
    if (!compile_if_needed(callee, host_error)) goto error_exit;
    if (callee->entry != &enter) goto do_entry_call;
  }
  callee_code = static_cast<const Code*>(callee->code);
  if (callee_fp + callee_code->frame_size > stack_end || thread.calls.full()) {
    ip -= 4;  // report the call instruction
    TRAP(TrapCode::StackExhausted);
  }
  thread.calls.push({ip, fp, thread.current});
  init_frame(callee_fp, callee_code);
  fp = callee_fp;
  thread.current = callee;
  if (inst != callee->instance) {  // memory bases never move: refresh only on a switch
    inst = callee->instance;
    REFRESH_MEMORY();
  }
  ip = callee_code->words.data();
  DISPATCH();

do_entry_call:
  // (In a helper so no object with a destructor is in scope at the dispatch:
  // Clang refuses indirect gotos out of such scopes.)
  if (!call_entry(thread, inst, callee, callee_fp, host_error)) {
    if (ip) --ip;  // inside the call instruction (ip is past it), as a caller's return_ip - 1 is
    goto error_exit;
  }
  if (ip) DISPATCH();
  frame_in_error = false;
  goto L_Return;  // a tail call through an entry returns its results


L_Return64Acc:
  wr<uint64_t>(fp, ACC(uint64_t, 0));
  goto L_Return;
L_Return64:  // move the single 8-byte result to the frame start, then return
  wr<uint64_t>(fp, R(uint64_t, layout::Return64::src));
L_Return:
  if (thread.calls.top() == entry_top) return {};
  {
    CallRecord record = thread.calls.pop();
    ip = record.return_ip;
    fp = record.frame;
    thread.current = record.function;
    if (inst != record.function->instance) {
      inst = record.function->instance;
      REFRESH_MEMORY();
    }
  }
  DISPATCH();

trap:
  host_error = Error::from_trap(trap_code);
error_exit: {
  // A trap here, or an error from a host function (a trap it raised, or an exit)
  // or from lazy translation: add this frame and the callers to its trace.
  Error error = std::move(*host_error);
  host_error.reset();
  add_backtrace(error, thread, entry_depth, frame_in_error ? nullptr : thread.current, ip);
  thread.calls.resize(entry_depth);
  return error;
}

#undef W
#undef R
#undef SET
#undef SET_DST
#undef JUMP_IF
#undef ACC
#undef DISPATCH
#undef NEXT
#undef TRAP
#undef REFRESH_MEMORY
#undef MEM_SIZE
#undef TABLE
#undef INDEX
}

}  // namespace

const void* handler_address(Handler handler) {
  if (!g_handler_table) {
    const void* const* table = nullptr;
    (void)run(nullptr, nullptr, nullptr, &table);
    g_handler_table = table;
  }
  return g_handler_table[static_cast<size_t>(handler)];
}

std::optional<Handler> handler_at(const void* address) {
  static const std::vector<std::pair<const void*, Handler>> sorted = [] {
    std::vector<std::pair<const void*, Handler>> v;
    for (size_t h = 0; h < static_cast<size_t>(Handler::Count); ++h)
      v.emplace_back(handler_address(static_cast<Handler>(h)), static_cast<Handler>(h));
    std::sort(v.begin(), v.end());
    return v;
  }();
  auto it = std::lower_bound(sorted.begin(), sorted.end(), std::make_pair(address, Handler{}));
  if (it == sorted.end() || it->first != address) return std::nullopt;
  return it->second;
}

const char* handler_name(Handler handler) {
  static const char* const kNames[] = {
#define SIMPLE(op) #op,
#define INTERNAL(name) #name,
#include "interp/handlers.def"
#undef SIMPLE
#undef INTERNAL
  };
  return kNames[static_cast<size_t>(handler)];
}

std::optional<Handler> simple_handler(ir::Opcode op) {
  switch (op) {
#define SIMPLE(name) \
  case ir::Opcode::name: return Handler::name;
#define INTERNAL(name)
#include "interp/handlers.def"
#undef SIMPLE
#undef INTERNAL
    default: return std::nullopt;
  }
}

// The dispatch loop is code whose loads and stores may fault into a guard
// region on purpose (runtime/guard.h).
extern "C" const char __start_kiln_interp[];
extern "C" const char __stop_kiln_interp[];
const bool kLoopRegistered =
    runtime::register_code(__start_kiln_interp, static_cast<size_t>(__stop_kiln_interp - __start_kiln_interp));

}  // namespace kiln::interp

namespace kiln::interp {

Expected<void> enter(Function& function, Thread& thread, RawValue* slots) {
  const Code* code = static_cast<const Code*>(function.code);
  uint8_t* saved_top = thread.top;
  uint8_t* fp = align16(thread.top);
  if (fp + code->frame_size > thread.stack_end() || thread.calls.full())
    return Error::from_trap(TrapCode::StackExhausted);
  copy_slots(fp, slots, code->params_size);
  init_frame(fp, code);
  thread.top = fp + code->frame_size;
  Expected<void> result = run(&thread, &function, fp, nullptr);
  thread.top = saved_top;
  if (!result) return result;
  copy_slots(slots, fp, code->results_size);
  return {};
}

namespace {

class InterpreterTier final : public runtime::Tier {
 public:
  const char* name() const override { return "interp"; }
  Expected<std::unique_ptr<runtime::CompiledCode>> compile(const runtime::Module& module,
                                                           uint32_t defined_index) const override {
    std::unique_ptr<runtime::CompiledCode> code =
        KILN_TRY(translate_function(module, module.ir().num_imported_funcs + defined_index));
    return code;
  }
};

}  // namespace

std::shared_ptr<const runtime::Tier> interpreter_tier() {
  static const std::shared_ptr<const runtime::Tier> tier = std::make_shared<InterpreterTier>();
  return tier;
}

}  // namespace kiln::interp
