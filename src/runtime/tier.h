// How compiled code plugs into the runtime, whichever tier produced it.
//
// Every function has an entry with one calling convention (the "array call"):
// the arguments in `slots` (one RawValue per value, two for a v128), the
// results written over them. Host functions, the interpreter and native code
// all provide entries; every call from the host and every call across tiers
// goes through them. The runtime never looks inside a tier's code.
#pragma once

#include <cstdint>
#include <memory>

#include "base/error.h"
#include "runtime/value.h"

namespace kiln::runtime {

class Function;
class Module;
class Thread;

// Calls `callee` with its arguments in `slots` (which hold max(params, results)
// slots), on `thread`; on success its results are in `slots`.
using Entry = Expected<void> (*)(Function& callee, Thread& thread, RawValue* slots);

// One function's code from a tier: its entry, and whatever the tier keeps
// (translated interpreter code, a native function). Owned by the Module.
class CompiledCode {
 public:
  explicit CompiledCode(Entry entry, const void* native = nullptr) : entry(entry), native(native) {}
  virtual ~CompiledCode() = default;
  CompiledCode(const CompiledCode&) = delete;
  CompiledCode& operator=(const CompiledCode&) = delete;

  const Entry entry;
  // Native code callable directly as (InstanceContext*, params...) -> results
  // (context.h), which other native code calls instead of the entry; null
  // for code that has none (the interpreter's).
  const void* const native;
};

// Code that takes over an interpreted frame at the head of one of its loops
// (on-stack replacement): `enter` runs `code` for `function` from the loop at
// wasm offset `loop_offset` to the function's end, taking the function's
// locals from `frame` and writing its results over it. The frame holds the
// locals as an array call holds arguments: in order, params first, one
// RawValue each (two for a v128). Ok(false): `code` has no entry at that loop
// (nothing ran). An error's backtrace includes `function`'s frame.
struct LoopEntry {
  Expected<bool> (*enter)(Function& function, Thread& thread, RawValue* frame, uint32_t loop_offset,
                          const void* code) = nullptr;
  const void* code = nullptr;
};

// What a tier answers to a hot report (Tier::hot).
struct HotAnswer {
  bool report_again = false;  // reporting the function again may help
  LoopEntry loop_entry;       // for a report at a loop head: code to go on in, if any
};

// A compiler of function bodies: the interpreter's translator, the LLVM tier.
// Thread-safe; the Engine's configuration names the one its modules use.
class Tier {
 public:
  virtual ~Tier() = default;
  virtual const char* name() const = 0;
  // Compiles defined function `defined_index` (0 is the first non-imported
  // function) of a validated module.
  virtual Expected<std::unique_ptr<CompiledCode>> compile(const Module& module, uint32_t defined_index) const = 0;
  // Interpreted code reports that `function` is hot (EngineConfig::
  // count_hotness; runtime::report_hot): a tier that tiers up may start
  // compiling, or replace the entries of its instance's functions with
  // faster code now (this is a safe point of the calling thread: frames
  // still running the old code finish in it, unless the answer gives them
  // a loop entry). `loop_offset`: the wasm offset of the loop at whose head
  // the report is made, or kAtEntry.
  static constexpr uint32_t kAtEntry = UINT32_MAX;
  virtual HotAnswer hot(Function& function, uint32_t loop_offset) const {
    (void)function;
    (void)loop_offset;
    return {};
  }
};

// A tier that compiles what `primary` can and gives the rest (Unsupported
// and Io errors; others are the call's) to `fallback`:
// the LLVM tier over the interpreter. With KILN_LOG=tier in the environment,
// each function left to the fallback is reported on stderr, with the reason.
class FallbackTier final : public Tier {
 public:
  FallbackTier(std::shared_ptr<const Tier> primary, std::shared_ptr<const Tier> fallback)
      : primary_(std::move(primary)), fallback_(std::move(fallback)) {}
  const char* name() const override { return primary_->name(); }
  Expected<std::unique_ptr<CompiledCode>> compile(const Module& module, uint32_t defined_index) const override;

 private:
  std::shared_ptr<const Tier> primary_, fallback_;
};

}  // namespace kiln::runtime
