#include "native/tier.h"

#include <algorithm>
#include <variant>

#include "native/artifact.h"
#include "native/cache.h"
#include "native/compiler_process.h"
#include "runtime/call.h"

namespace kiln::native {

NativeCode::NativeCode(std::shared_ptr<const LoadedChunk> chunk, const void* function, const void* trampoline)
    : runtime::CompiledCode(&enter, function),
      chunk_(std::move(chunk)),
      trampoline_(reinterpret_cast<Trampoline>(const_cast<void*>(trampoline))) {}

Expected<std::shared_ptr<const LoadedChunk>> LoadedChunk::load(const runtime::Module& wasm,
                                                                std::span<const uint8_t> object,
                                                                const std::vector<CompiledFunction>& functions) {
  auto chunk = std::make_shared<LoadedChunk>(wasm, KILN_TRY(LoadedObject::load(object, host_symbol)));
  for (const CompiledFunction& f : functions) {
    const void* code = chunk->object_.symbol(function_symbol(f.defined_index));
    if (!code) return Error(ErrorKind::Malformed, "native code lacks the symbol of a function it compiled");
    chunk->functions_.push_back({reinterpret_cast<uintptr_t>(code), f.code_size,
                                 wasm.ir().num_imported_funcs + f.defined_index, f.offsets});
  }
  std::sort(chunk->functions_.begin(), chunk->functions_.end(),
            [](const FunctionCode& a, const FunctionCode& b) { return a.begin < b.begin; });
  register_chunk(chunk.get());
  return std::shared_ptr<const LoadedChunk>(std::move(chunk));
}

LoadedChunk::LoadedChunk(const runtime::Module& wasm, LoadedObject object) : wasm_(wasm), object_(std::move(object)) {}

LoadedChunk::~LoadedChunk() { unregister_chunk(this); }

std::optional<TraceFrame> LoadedChunk::trace_frame(uintptr_t pc) const {
  auto f = std::upper_bound(functions_.begin(), functions_.end(), pc,
                            [](uintptr_t p, const FunctionCode& c) { return p < c.begin; });
  if (f == functions_.begin()) return std::nullopt;
  --f;
  if (pc >= f->begin + f->size) return std::nullopt;
  TraceFrame frame;
  const ir::Module& m = wasm_.ir();
  frame.func_index = f->func_index;
  frame.function = m.function_name(f->func_index);
  frame.module = m.names.module_name.value_or("");
  auto at = static_cast<uint32_t>(pc - f->begin);
  auto it = std::upper_bound(f->offsets.begin(), f->offsets.end(), at,
                             [](uint32_t a, const OffsetEntry& e) { return a < e.code_offset; });
  if (it != f->offsets.begin()) frame.offset = std::prev(it)->wasm_offset;
  return frame;
}

CompileOptions compile_options(const runtime::EngineConfig& config) {
  CompileOptions options;
  options.features = config.features.to_bits();
  options.consume_fuel = config.consume_fuel;
  options.epoch_interruption = config.epoch_interruption;
  return options;
}

namespace {

// What the LLVM tier knows of one module: its artifact (compiled when the
// first function was needed, found in the cache, or the one it was loaded
// from) and the chunks loaded so far. Used under the module's compile lock.
struct ModuleState {
  bool prepared = false;
  std::optional<Error> failure;  // the module as a whole could not be compiled
  std::shared_ptr<const Artifact> artifact;
  std::vector<std::shared_ptr<const LoadedChunk>> chunks;  // by chunk index; null until loaded
  std::vector<std::optional<CompiledFunction>> functions;   // by defined index, from loaded chunks
};

Expected<std::shared_ptr<const Artifact>> artifact_in_memory(std::vector<uint8_t> bytes, const std::string& name) {
  auto owner = std::make_shared<const std::vector<uint8_t>>(std::move(bytes));
  std::span<const uint8_t> view(*owner);
  return Artifact::open(owner, view, name);
}

CodeCache cache_of(const runtime::EngineConfig& config) { return CodeCache(config.cache_dir, compiler_build()); }

Expected<void> prepare(const runtime::Module& module, ModuleState& state) {
  const runtime::EngineConfig& config = module.engine().config();
  if (!state.artifact) {
    Identity identity = Identity::current(compile_options(config));
    if (!config.cache_dir.empty()) state.artifact = cache_of(config).find(module.ir().bytes, identity);
    if (!state.artifact) {
      std::vector<uint8_t> bytes = KILN_TRY(compile_artifact(module));
      if (!config.cache_dir.empty()) cache_of(config).store(module.ir().bytes, identity, bytes);
      state.artifact = KILN_TRY(artifact_in_memory(std::move(bytes), "the module's native code"));
    }
  }
  state.chunks.resize(state.artifact->chunk_count());
  state.functions.resize(module.ir().codes.size());
  return {};
}

// Loads chunk `index` into executable memory, unless it is already.
Expected<void> load_chunk(const runtime::Module& module, ModuleState& state, uint32_t index) {
  if (state.chunks[index]) return {};
  Chunk chunk = KILN_TRY(state.artifact->chunk(index));
  std::erase_if(chunk.functions, [&](const CompiledFunction& f) { return f.defined_index >= state.functions.size(); });
  state.chunks[index] = KILN_TRY(LoadedChunk::load(module, chunk.object, chunk.functions));
  for (CompiledFunction& f : chunk.functions) {
    f.object = index;
    state.functions[f.defined_index] = std::move(f);
  }
  return {};
}

class LlvmTier final : public runtime::Tier {
 public:
  const char* name() const override { return "llvm"; }

  Expected<std::unique_ptr<runtime::CompiledCode>> compile(const runtime::Module& module,
                                                           uint32_t defined_index) const override {
    std::shared_ptr<ModuleState> state = module.tier_state<ModuleState>([] { return std::make_shared<ModuleState>(); });
    if (!state->prepared) {
      state->prepared = true;
      if (Expected<void> ok = prepare(module, *state); !ok) state->failure = std::move(ok).error();
    }
    if (state->failure) return *state->failure;
    std::variant<uint32_t, std::string> where = state->artifact->function(defined_index);
    if (const std::string* reason = std::get_if<std::string>(&where))
      return Error(ErrorKind::Unsupported, reason->empty() ? "kiln-llvm did not compile it" : *reason);
    uint32_t chunk = std::get<uint32_t>(where);
    KILN_TRY_VOID(load_chunk(module, *state, chunk));
    if (!state->functions[defined_index]) return Error(ErrorKind::Unsupported, "its chunk of native code lacks it");
    const LoadedObject& object = state->chunks[chunk]->object();
    const void* function = object.symbol(function_symbol(defined_index));
    const void* trampoline = object.symbol(trampoline_symbol(defined_index));
    if (!function || !trampoline) return Error(ErrorKind::Unsupported, "its native code lacks its symbols");
    std::unique_ptr<runtime::CompiledCode> code = std::make_unique<NativeCode>(state->chunks[chunk], function, trampoline);
    return code;
  }
};

}  // namespace

Expected<std::vector<uint8_t>> compile_artifact(const runtime::Module& module) {
  const ir::Module& m = module.ir();
  const runtime::EngineConfig& config = module.engine().config();
  CompileRequest request;
  request.options = compile_options(config);
  request.options.threads = config.compile_threads;
  request.module = m.bytes;
  for (uint32_t f = 0; f < m.codes.size(); ++f) request.functions.push_back(f);
  CompileResponse response = KILN_TRY(run_compiler(request));
  if (!response.error.empty()) return Error(ErrorKind::Unsupported, "kiln-llvm: " + response.error);
  return Artifact::write(Identity::current(request.options), m.bytes, module.declared_funcs(), response);
}

Expected<std::shared_ptr<runtime::Module>> load_artifact(runtime::Engine& engine, std::shared_ptr<const void> owner,
                                                        std::span<const uint8_t> bytes, const std::string& name) {
  std::shared_ptr<const Artifact> artifact = KILN_TRY(Artifact::open(std::move(owner), bytes, name));
  KILN_TRY_VOID(artifact->check_identity(Identity::current(compile_options(engine.config()))));
  std::span<const uint8_t> wasm = artifact->wasm();
  std::shared_ptr<runtime::Module> module = KILN_TRY(runtime::Module::from_validated_binary(
      engine, std::vector<uint8_t>(wasm.begin(), wasm.end()), artifact->declared_funcs()));
  if (artifact->function_count() > module->ir().codes.size())
    return Error(ErrorKind::Malformed, name + " is a damaged compiled module (more functions than its module)");
  auto state = std::make_shared<ModuleState>();
  state->artifact = std::move(artifact);
  module->set_tier_state(std::move(state));
  return module;
}

std::shared_ptr<const runtime::Tier> llvm_tier() {
  static const std::shared_ptr<const runtime::Tier> tier = std::make_shared<LlvmTier>();
  return tier;
}

runtime::EngineConfig with_llvm(runtime::EngineConfig config, std::shared_ptr<const runtime::Tier> fallback) {
  config.tier = std::make_shared<runtime::FallbackTier>(llvm_tier(), std::move(fallback));
  return config;
}

}  // namespace kiln::native
