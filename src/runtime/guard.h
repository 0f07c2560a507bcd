// Out-of-bounds memory accesses as hardware faults.
//
// Every 32-bit linear memory reserves 8 GiB + 64 KiB of address space, of which
// only the current size is accessible: any wasm address plus any static offset
// lands inside the reservation, so compiled code (and the interpreter) can access
// memory without a bounds check. An access past the end faults; the handler
// installed here recognizes faults inside a registered reservation while wasm
// runs on this thread and unwinds to the active execution, which reports the trap
// "out of bounds memory access". Faults anywhere else are not ours and get the
// default behaviour.
#pragma once

#include <csetjmp>
#include <cstddef>
#include <cstdint>

namespace kiln::runtime {

// Makes [base, base + size) a guarded reservation. Returns false when the
// registry is full.
bool register_reservation(const void* base, size_t size);
void unregister_reservation(const void* base);

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
};

// Installs the fault handler (once per process) and makes `execution` the
// innermost guarded execution of this thread until leave_guarded().
void enter_guarded(GuardedExecution* execution);
void leave_guarded(GuardedExecution* execution);
// The innermost guarded execution of this thread, or null.
GuardedExecution* current_guarded();

}  // namespace kiln::runtime
