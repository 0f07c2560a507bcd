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
// executable memory, shared by the code of each function compiled into it.
struct LoadedChunk {
  LoadedObject object;
};

// One function's native code (runtime::CompiledCode::native is its function
// proper, called directly by other native code).
class NativeCode final : public runtime::CompiledCode {
 public:
  // `function` and `trampoline` lie in `chunk`; `wasm` is the module it was
  // compiled from (which owns this code), `func_index` its index there.
  NativeCode(std::shared_ptr<const LoadedChunk> chunk, const runtime::Module& wasm, uint32_t func_index,
             const void* function, const void* trampoline, uint32_t code_size, std::vector<OffsetEntry> offsets);
  ~NativeCode() override;

  using Trampoline = void (*)(void* context, runtime::RawValue* slots);
  Trampoline trampoline() const { return trampoline_; }
  const uint8_t* code_begin() const { return static_cast<const uint8_t*>(native); }
  uint32_t code_size() const { return code_size_; }
  // The backtrace frame of this function for an instruction at `pc` in it.
  TraceFrame trace_frame(uintptr_t pc) const;

 private:
  std::shared_ptr<const LoadedChunk> chunk_;
  const runtime::Module& wasm_;
  uint32_t func_index_;
  Trampoline trampoline_;
  uint32_t code_size_;
  std::vector<OffsetEntry> offsets_;
};

// Native code by address (entry.cpp), for the function and offset of a fault.
void register_native_code(const NativeCode* code);
void unregister_native_code(const NativeCode* code);
// The address of a symbol native code may import: a helper, memcpy, ...
const void* host_symbol(std::string_view name);

// The entry of every natively compiled function (runtime::Entry).
Expected<void> enter(runtime::Function& function, runtime::Thread& thread, runtime::RawValue* slots);

// The LLVM tier: compiles a whole module with kiln-llvm when its first
// function is needed (or takes its code from the engine's code cache, or from
// the artifact it was loaded from), and loads the code chunk by chunk as
// functions are first called. Functions kiln-llvm cannot compile yet fail
// with an Unsupported error naming why (runtime::FallbackTier then uses
// another tier).
std::shared_ptr<const runtime::Tier> llvm_tier();

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
