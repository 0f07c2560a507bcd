// Out-of-bounds memory accesses as hardware faults.
//
// Every 32-bit linear memory reserves 8 GiB + 64 KiB of address space, of which
// only the current size is accessible: any wasm address plus any static offset
// lands inside the reservation, so compiled code (and the interpreter) can access
// memory without a bounds check. An access past the end faults; the handler
// installed here recognizes faults inside a registered reservation while wasm
// runs on this thread and unwinds to the active execution, which reports the trap
// "out of bounds memory access". The handler takes a fault only when both the
// faulting address is in a reservation and the faulting instruction is in code
// registered as Kiln's (the interpreter's dispatch loop, compiled wasm); any
// other fault goes to whatever handler the process had before, or gets the
// default action. It runs on an alternate signal stack, which enter_guarded
// gives every thread that runs wasm and has none.
#pragma once

#include <csetjmp>
#include <cstddef>
#include <cstdint>

namespace kiln::runtime {

// Makes [base, base + size) a guarded reservation. Returns false when the
// registry is full.
bool register_reservation(const void* base, size_t size);
void unregister_reservation(const void* base);

// Makes [begin, begin + size) code whose memory accesses may fault into a
// guard region (the interpreter's loop, a tier's compiled code). Returns
// false when the registry is full.
bool register_code(const void* begin, size_t size);
void unregister_code(const void* begin);

// The return addresses along a chain of frame pointers (each frame's [fp] is
// its caller's frame pointer, [fp + 8] the return address into the caller),
// captured while the frames still exist: a backtrace of native code must be
// taken before unwinding, which reuses their stack. `end` bounds the chain
// (the frame of the native entry): frames at or above it are the host's.
struct FrameChain {
  static constexpr size_t kCapacity = 96;
  uintptr_t end = 0;
  uintptr_t pc = 0;     // the innermost frame's pc
  bool exact = false;   // `pc` is the faulting instruction (else a return address)
  uintptr_t return_addresses[kCapacity];
  size_t count = 0;     // of return_addresses
  size_t omitted = 0;   // frames beyond kCapacity
};
// Fills `chain` (its `end` set) from the innermost frame's pc and frame
// pointer. Only reads memory: safe in a signal handler.
void capture_frame_chain(uintptr_t pc, bool exact, uintptr_t fp, FrameChain& chain);

// An execution that can be unwound by a fault. Executions nest (wasm -> host ->
// wasm); the innermost one on the thread receives the fault.
struct GuardedExecution {
  sigjmp_buf jump;
  GuardedExecution* outer = nullptr;
  // Set by the handler: the general-purpose registers at the fault, so the
  // execution can find its own state (e.g. the interpreter's instruction pointer).
  // Deliberately not zero-initialized: entering wasm must stay cheap.
  uintptr_t registers[32];
  int register_count = 0;
  // Native code's executions: the handler captures the frames of the fault.
  FrameChain* frames = nullptr;
};

// Installs the fault handler (once per process) and makes `execution` the
// innermost guarded execution of this thread until leave_guarded().
void enter_guarded(GuardedExecution* execution);
void leave_guarded(GuardedExecution* execution);
// The innermost guarded execution of this thread, or null.
GuardedExecution* current_guarded();

}  // namespace kiln::runtime
