// Calling functions through their entries (tier.h): the runtime's side of the
// one calling convention every tier shares.
#pragma once

#include "base/error.h"
#include "runtime/objects.h"
#include "runtime/thread.h"

namespace kiln::runtime {

// Calls `function` (wasm of any tier, or host) from the host, with its
// arguments in `slots`; its results are written over them.
inline Expected<void> invoke(Thread& thread, Function& function, RawValue* slots) {
  thread.caller = nullptr;  // a host function called from the host has no caller instance
  return function.entry(function, thread, slots);
}

// The entry of every host function: calls its callback, with no caller instance.
Expected<void> host_entry(Function& function, Thread& thread, RawValue* slots);

// The first entry of every wasm function: compiles it (compile_function), then
// calls the entry that compilation installed.
Expected<void> compile_entry(Function& function, Thread& thread, RawValue* slots);

// One frame of a trap's backtrace: a wasm function at `offset` (its name and
// its module's from the name section), or a host function.
TraceFrame trace_frame(const Function& f, std::optional<uint32_t> offset);
// Adds a frame to `error`'s backtrace, keeping at most kMaxTraceFrames (and
// counting the rest).
inline constexpr size_t kMaxTraceFrames = 64;
void add_trace_frame(Error& error, TraceFrame frame);

// Compiles a wasm function with its engine's tier, unless it already is, and
// installs the tier's entry and code in it. Code is compiled once per module
// and shared by every instance's Function.
Expected<void> compile_function(Function& function);
// Tells the engine's tier that `function` is hot (Tier::hot).
HotAnswer report_hot(Function& function, uint32_t loop_offset);

}  // namespace kiln::runtime
