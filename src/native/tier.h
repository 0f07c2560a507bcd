// The LLVM tier as the runtime sees it (runtime/tier.h): native code from
// kiln-llvm, loaded into this process and called through native::enter.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <optional>
#include <string_view>
#include <vector>

#include "native/loader.h"
#include "native/protocol.h"
#include "runtime/engine.h"
#include "runtime/module.h"
#include "runtime/tier.h"

namespace kiln::native {

// One loaded chunk of a module's native code (artifact.h): its object in
// executable memory, shared by the code of each function compiled into it,
// and where each function's code lies, for backtraces (a function called
// only directly by other native code has no NativeCode of its own).
class LoadedChunk {
 public:
  // `functions`: the chunk's compiled functions, as kiln-llvm described them
  // (their loop entries, for a chunk of loop entries).
  static Expected<std::shared_ptr<const LoadedChunk>> load(const runtime::Module& wasm, std::span<const uint8_t> object,
                                                           const std::vector<CompiledFunction>& functions,
                                                           bool loop_entries = false);
  LoadedChunk(const runtime::Module& wasm, LoadedObject object);
  ~LoadedChunk();
  LoadedChunk(const LoadedChunk&) = delete;
  LoadedChunk& operator=(const LoadedChunk&) = delete;

  const LoadedObject& object() const { return object_; }
  // The backtrace frame for an instruction at `pc` in this chunk's code
  // (none for a trampoline or a forwarder).
  std::optional<TraceFrame> trace_frame(uintptr_t pc) const;
  // The frame of a memory access at `pc` that faulted in a guard region: as
  // trace_frame, but naming the access where the code's ranges name another
  // instruction (instruction selection folds a load into its user: `cmp word
  // [mem], 0` for an `if`).
  std::optional<TraceFrame> fault_frame(uintptr_t pc) const;

 private:
  struct FunctionCode {
    uintptr_t begin = 0;
    uint32_t size = 0;
    uint32_t func_index = 0;
    std::vector<OffsetEntry> offsets;  // sorted by code_offset
    std::vector<OffsetEntry> faults;   // exact addresses of guarded accesses (kExactFault), sorted
  };
  const FunctionCode* function_at(uintptr_t pc) const;
  const runtime::Module& wasm_;
  LoadedObject object_;
  std::vector<FunctionCode> functions_;  // sorted by begin
};

// The chunk whose code holds `pc`, or null (entry.cpp).
const LoadedChunk* chunk_at(uintptr_t pc);
void register_chunk(const LoadedChunk* chunk);
void unregister_chunk(const LoadedChunk* chunk);

// One function's native code (runtime::CompiledCode::native is its function
// proper, called directly by other native code).
class NativeCode final : public runtime::CompiledCode {
 public:
  // `function` and `trampoline` lie in `chunk`.
  NativeCode(std::shared_ptr<const LoadedChunk> chunk, const void* function, const void* trampoline);

  using Trampoline = void (*)(void* context, runtime::RawValue* slots);
  Trampoline trampoline() const { return trampoline_; }
  // Another owner of the same code (each instance's function holds one).
  std::unique_ptr<NativeCode> share() const {
    return std::make_unique<NativeCode>(chunk_, native, reinterpret_cast<const void*>(trampoline_));
  }

 private:
  std::shared_ptr<const LoadedChunk> chunk_;
  Trampoline trampoline_;
};

// The address of a symbol native code may import: a helper, memcpy, ...
const void* host_symbol(std::string_view name);

// The entry of every natively compiled function (runtime::Entry).
Expected<void> enter(runtime::Function& function, runtime::Thread& thread, runtime::RawValue* slots);
// How many times this process went on in native code at a loop (for tests).
uint64_t loop_entries_taken();
// Runs a loop entry (runtime::LoopEntry::enter; `code` is its kiln_o<i>).
Expected<bool> enter_loop(runtime::Function& function, runtime::Thread& thread, runtime::RawValue* frame,
                          uint32_t loop_offset, const void* code);

// The LLVM tier: compiles a whole module with kiln-llvm when its first
// function is needed (or takes its code from the engine's code cache, or from
// the artifact it was loaded from), and loads the code chunk by chunk as
// functions are first called. Functions kiln-llvm cannot compile yet fail
// with an Unsupported error naming why (runtime::FallbackTier then uses
// another tier).
std::shared_ptr<const runtime::Tier> llvm_tier();

// A module as bytes to keep: under the LLVM and auto tiers its artifact
// (native code for all of it, compiled now), else its wasm binary.
Expected<std::vector<uint8_t>> serialize(const runtime::Module& module);
// A module from serialize()'s bytes: an artifact (refused as load_artifact
// refuses one) or a wasm binary, validated.
Expected<std::shared_ptr<runtime::Module>> deserialize(runtime::Engine& engine, std::span<const uint8_t> bytes);

// `config` with the auto tier: `interpreter` first, the LLVM tier for what
// gets hot (AutoTier in tier.cpp); counts hotness.
runtime::EngineConfig with_auto(runtime::EngineConfig config, std::shared_ptr<const runtime::Tier> interpreter);

// `config` with the LLVM tier, falling back to `fallback` (the interpreter)
// for what it does not compile.
runtime::EngineConfig with_llvm(runtime::EngineConfig config, std::shared_ptr<const runtime::Tier> fallback);

// The options code is compiled with for `config` (features, fuel, epochs).
CompileOptions compile_options(const runtime::EngineConfig& config);

// Compiles every function of `module` (on config.compile_threads threads,
// every core by default) into an artifact (artifact.h): `kiln compile`.
Expected<std::vector<uint8_t>> compile_artifact(const runtime::Module& module);

// A module from an artifact (`kiln compile`'s output, or serialized bytes),
// kept alive by `owner`; `name` is for messages. Refused with an Unsupported
// error naming the difference when it was compiled by another Kiln, for another
// processor or with other options than `engine`'s; a damaged one is Malformed.
// Its module is not validated again: it was when it was compiled (an artifact
// is native code, to be run only from a trusted source). The engine's tier
// must be the LLVM tier.
Expected<std::shared_ptr<runtime::Module>> load_artifact(runtime::Engine& engine, std::shared_ptr<const void> owner,
                                                        std::span<const uint8_t> bytes, const std::string& name);

}  // namespace kiln::native
