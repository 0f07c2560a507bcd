#include "native/tier.h"

#include <algorithm>

#include "native/compiler_process.h"
#include "runtime/call.h"

namespace kiln::native {

NativeCode::NativeCode(std::shared_ptr<const NativeModule> objects, const runtime::Module& wasm, uint32_t func_index,
                       const void* function, const void* trampoline, uint32_t code_size,
                       std::vector<OffsetEntry> offsets)
    : runtime::CompiledCode(&enter, function),
      objects_(std::move(objects)),
      wasm_(wasm),
      func_index_(func_index),
      trampoline_(reinterpret_cast<Trampoline>(const_cast<void*>(trampoline))),
      code_size_(code_size),
      offsets_(std::move(offsets)) {
  register_native_code(this);
}

NativeCode::~NativeCode() { unregister_native_code(this); }

TraceFrame NativeCode::trace_frame(uintptr_t pc) const {
  TraceFrame frame;
  const ir::Module& m = wasm_.ir();
  frame.func_index = func_index_;
  frame.function = m.function_name(func_index_);
  frame.module = m.names.module_name.value_or("");
  uint32_t at = static_cast<uint32_t>(pc - reinterpret_cast<uintptr_t>(code_begin()));
  auto it = std::upper_bound(offsets_.begin(), offsets_.end(), at,
                             [](uint32_t a, const OffsetEntry& e) { return a < e.code_offset; });
  if (it != offsets_.begin()) frame.offset = std::prev(it)->wasm_offset;
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

// What the LLVM tier knows of one module: compiled as a whole when its first
// function is needed.
struct ModuleState {
  bool compiled = false;
  std::optional<Error> failure;  // the whole module failed to compile
  std::shared_ptr<NativeModule> objects;
  std::vector<std::optional<CompiledFunction>> functions;  // by defined index
  std::vector<std::string> reasons;                         // why not, by defined index
};

Expected<void> compile_module(const runtime::Module& module, ModuleState& state) {
  const ir::Module& m = module.ir();
  CompileRequest request;
  request.options = compile_options(module.engine().config());
  request.module = m.bytes;
  for (uint32_t f = 0; f < m.codes.size(); ++f) request.functions.push_back(f);
  CompileResponse response = KILN_TRY(run_compiler(request));
  if (!response.error.empty()) return Error(ErrorKind::Unsupported, "kiln-llvm: " + response.error);
  state.objects = std::make_shared<NativeModule>();
  for (const std::vector<uint8_t>& object : response.objects)
    state.objects->objects.push_back(KILN_TRY(LoadedObject::load(object, host_symbol)));
  state.functions.resize(m.codes.size());
  state.reasons.resize(m.codes.size());
  for (CompiledFunction& f : response.compiled)
    if (f.defined_index < m.codes.size()) state.functions[f.defined_index] = std::move(f);
  for (NotCompiled& n : response.not_compiled)
    if (n.defined_index < m.codes.size()) state.reasons[n.defined_index] = std::move(n.reason);
  return {};
}

class LlvmTier final : public runtime::Tier {
 public:
  const char* name() const override { return "llvm"; }

  Expected<std::unique_ptr<runtime::CompiledCode>> compile(const runtime::Module& module,
                                                           uint32_t defined_index) const override {
    std::shared_ptr<ModuleState> state = module.tier_state<ModuleState>([] { return std::make_shared<ModuleState>(); });
    if (!state->compiled) {
      state->compiled = true;
      if (Expected<void> ok = compile_module(module, *state); !ok) state->failure = std::move(ok).error();
    }
    if (state->failure) return *state->failure;
    const std::optional<CompiledFunction>& f = state->functions[defined_index];
    if (!f) {
      const std::string& reason = state->reasons[defined_index];
      return Error(ErrorKind::Unsupported, reason.empty() ? "kiln-llvm did not compile it" : reason);
    }
    const LoadedObject& object = state->objects->objects[f->object];
    const void* function = object.symbol(function_symbol(defined_index));
    const void* trampoline = object.symbol(trampoline_symbol(defined_index));
    if (!function || !trampoline) return Error(ErrorKind::Unsupported, "its native code lacks its symbols");
    uint32_t func_index = module.ir().num_imported_funcs + defined_index;
    std::unique_ptr<runtime::CompiledCode> code = std::make_unique<NativeCode>(
        state->objects, module, func_index, function, trampoline, f->code_size, f->offsets);
    return code;
  }
};

}  // namespace

std::shared_ptr<const runtime::Tier> llvm_tier() {
  static const std::shared_ptr<const runtime::Tier> tier = std::make_shared<LlvmTier>();
  return tier;
}

runtime::EngineConfig with_llvm(runtime::EngineConfig config, std::shared_ptr<const runtime::Tier> fallback) {
  config.tier = std::make_shared<runtime::FallbackTier>(llvm_tier(), std::move(fallback));
  return config;
}

}  // namespace kiln::native
