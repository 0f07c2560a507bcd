#include "native/tier.h"

#include <algorithm>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <system_error>
#include <utility>
#include <thread>
#include <variant>

#include "base/file.h"
#include "base/log.h"
#include "binary/instruction.h"
#include "native/artifact.h"
#include "native/cache.h"
#include "native/compiler_process.h"
#include "runtime/call.h"
#include "runtime/objects.h"

namespace kiln::native {

NativeCode::NativeCode(std::shared_ptr<const LoadedChunk> chunk, const void* function, const void* trampoline)
    : runtime::CompiledCode(&enter, function),
      chunk_(std::move(chunk)),
      trampoline_(reinterpret_cast<Trampoline>(const_cast<void*>(trampoline))) {}

Expected<std::shared_ptr<const LoadedChunk>> LoadedChunk::load(const runtime::Module& wasm,
                                                                std::span<const uint8_t> object,
                                                                const std::vector<CompiledFunction>& functions,
                                                                bool loop_entries) {
  auto chunk = std::make_shared<LoadedChunk>(wasm, KILN_TRY(LoadedObject::load(object, host_symbol)));
  for (const CompiledFunction& f : functions) {
    const void* code = chunk->object_.symbol(loop_entries ? loop_entry_symbol(f.defined_index)
                                                          : function_symbol(f.defined_index));
    if (!code) return Error(ErrorKind::Malformed, "native code lacks the symbol of a function it compiled");
    FunctionCode function{reinterpret_cast<uintptr_t>(code), f.code_size, wasm.ir().num_imported_funcs + f.defined_index,
                          {}, {}};
    for (const OffsetEntry& e : f.offsets) {
      if (e.code_offset & kExactFault) function.faults.push_back({e.code_offset & ~kExactFault, e.wasm_offset});
      else function.offsets.push_back(e);
    }
    chunk->functions_.push_back(std::move(function));
  }
  std::sort(chunk->functions_.begin(), chunk->functions_.end(),
            [](const FunctionCode& a, const FunctionCode& b) { return a.begin < b.begin; });
  register_chunk(chunk.get());
  return std::shared_ptr<const LoadedChunk>(std::move(chunk));
}

LoadedChunk::LoadedChunk(const runtime::Module& wasm, LoadedObject object) : wasm_(wasm), object_(std::move(object)) {}

LoadedChunk::~LoadedChunk() { unregister_chunk(this); }

const LoadedChunk::FunctionCode* LoadedChunk::function_at(uintptr_t pc) const {
  auto f = std::upper_bound(functions_.begin(), functions_.end(), pc,
                            [](uintptr_t p, const FunctionCode& c) { return p < c.begin; });
  if (f == functions_.begin()) return nullptr;
  --f;
  return pc < f->begin + f->size ? &*f : nullptr;
}

std::optional<TraceFrame> LoadedChunk::trace_frame(uintptr_t pc) const {
  const FunctionCode* f = function_at(pc);
  if (!f) return std::nullopt;
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

// The exact address of the access when kiln-llvm recorded one; else (LLVM
// does not keep !pcsections through every combination of a load with its
// user: cvtsi2sd from memory for f64.convert_i32_s) the access before the
// instruction the ranges name.
std::optional<TraceFrame> LoadedChunk::fault_frame(uintptr_t pc) const {
  std::optional<TraceFrame> frame = trace_frame(pc);
  const FunctionCode* f = function_at(pc);
  if (!frame || !f || !frame->offset) return frame;
  auto at = static_cast<uint32_t>(pc - f->begin);
  auto exact = std::lower_bound(f->faults.begin(), f->faults.end(), at,
                                [](const OffsetEntry& e, uint32_t a) { return e.code_offset < a; });
  if (exact != f->faults.end() && exact->code_offset == at) frame->offset = exact->wasm_offset;
  else if (frame->func_index >= wasm_.ir().num_imported_funcs)
    frame->offset = binary::last_memory_access(wasm_.ir(), frame->func_index - wasm_.ir().num_imported_funcs,
                                               *frame->offset, wasm_.engine().config().features)
                        .value_or(*frame->offset);
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

// A compile request on a thread of its own (the auto tier's: a whole
// module, a batch of hot functions, or one function's loop entry). The thread
// owns what it needs (`wasm`, the module's bytes): the module may go first.
// `then`, if any, runs on that thread with a successful response.
class BackgroundCompile {
 public:
  using Then = std::function<void(const CompileResponse&)>;
  static Expected<std::shared_ptr<BackgroundCompile>> start(SharedBytes wasm, CompileRequest request,
                                                            Then then = {}) {
    auto job = std::make_shared<BackgroundCompile>();
    request.module = wasm.span();
    try {
      std::thread([job, wasm, request = std::move(request), then = std::move(then)] {
        Expected<CompileResponse> response = run_compiler(request);
        if (then && response && response->error.empty()) then(*response);
        std::lock_guard<std::mutex> lock(job->mutex_);
        job->response_ = std::move(response);
      }).detach();
    } catch (const std::system_error& e) {
      return Error(ErrorKind::Resource, std::string("cannot start a compile thread: ") + e.what());
    }
    return job;
  }
  // kiln-llvm's answer once it has come (taken once), else nothing.
  std::optional<Expected<CompileResponse>> take() {
    std::lock_guard<std::mutex> lock(mutex_);
    return std::exchange(response_, std::nullopt);
  }

 private:
  std::mutex mutex_;
  std::optional<Expected<CompileResponse>> response_;
};

// The functions of a big module compiled in batches (AutoTier::by_function),
// gathered into one response to keep as the module's HotFunctions cache entry,
// which the next run starts with. Rewritten after each batch, on the compile
// thread, so that the program never waits for the write.
class HotCode {
 public:
  HotCode(SharedBytes wasm, std::vector<uint32_t> declared, Identity identity,
          std::string path)
      : wasm_(std::move(wasm)), declared_(std::move(declared)), identity_(std::move(identity)), path_(std::move(path)) {}

  // Adds a batch's code (or, at the start, the cached entry's).
  void add(const CompileResponse& batch) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto first = static_cast<uint32_t>(all_.objects.size());
    all_.objects.insert(all_.objects.end(), batch.objects.begin(), batch.objects.end());
    for (CompiledFunction f : batch.compiled) {
      f.object += first;
      all_.compiled.push_back(std::move(f));
    }
    all_.not_compiled.insert(all_.not_compiled.end(), batch.not_compiled.begin(), batch.not_compiled.end());
  }
  // Writes the cache entry (a failure only means the next run compiles again).
  void store() const {
    if (path_.empty()) return;
    std::lock_guard<std::mutex> lock(mutex_);
    (void)write_file_atomically(path_, Artifact::write(identity_, wasm_, declared_, all_));
  }

 private:
  mutable std::mutex mutex_;
  SharedBytes wasm_;
  std::vector<uint32_t> declared_;
  Identity identity_;
  std::string path_;
  CompileResponse all_;
};

// One function's loop entry (runtime::LoopEntry), compiled when a frame of
// it is found hot in a loop after the module's native code is ready.
struct LoopEntryState {
  std::shared_ptr<BackgroundCompile> job;
  std::shared_ptr<const LoadedChunk> chunk;
  const void* code = nullptr;
  bool failed = false;
};

// What the LLVM tier knows of one module: its artifact (compiled when the
// first function was needed, found in the cache, or the one it was loaded
// from) and the chunks loaded so far. Used under the module's compile lock.
struct ModuleState {
  // The auto tier: the compile started by the first hot function, and the
  // native code given to functions that were interpreted until then (null:
  // none yet; interpreted_only: the tier does not compile it).
  std::shared_ptr<BackgroundCompile> background;
  std::vector<std::unique_ptr<runtime::CompiledCode>> tiered_up;
  std::vector<bool> interpreted_only;
  std::map<uint32_t, LoopEntryState> loop_entries;  // by defined index
  // A big module (AutoTier::by_function): hot functions compiled on their
  // own, a batch at a time; their code lands in tiered_up.
  std::vector<uint32_t> hot_counts;                   // hot reports, by defined index
  std::vector<uint32_t> queued;                       // hot, for the next batch
  std::vector<bool> requested;                        // queued, in a batch, or compiled
  std::shared_ptr<BackgroundCompile> batch;           // in flight, if any
  std::vector<uint32_t> in_batch;                     // its functions
  std::vector<std::shared_ptr<const LoadedChunk>> batch_chunks;
  std::shared_ptr<HotCode> hot_code;                  // every batch so far, for the code cache
  bool hot_looked_up = false;                         // the cache's HotFunctions entry
  std::optional<CacheKey> cache_key;                  // cache_key()
  std::optional<size_t> code_bytes;                   // of all function bodies (AutoTier::by_function)
  uint64_t hot_reports = 0;  // before the background compile starts
  bool looked_up = false;  // in the code cache
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

// The module's key in the code cache, its digest computed on first use.
const CacheKey& cache_key(const runtime::Module& module, ModuleState& state) {
  if (!state.cache_key) state.cache_key = CacheKey::of(module.ir().bytes);
  return *state.cache_key;
}

Expected<void> prepare(const runtime::Module& module, ModuleState& state) {
  const runtime::EngineConfig& config = module.engine().config();
  if (!state.artifact) {
    Identity identity = Identity::current(compile_options(config));
    if (!config.cache_dir.empty()) state.artifact = cache_of(config).find(cache_key(module, state), identity);
    if (!state.artifact) {
      std::vector<uint8_t> bytes = KILN_TRY(compile_artifact(module));
      if (!config.cache_dir.empty()) cache_of(config).store(cache_key(module, state), identity, bytes);
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

// Native code for defined function `defined_index` from the module's
// artifact (state.artifact set); Unsupported when the artifact lacks it.
Expected<std::unique_ptr<runtime::CompiledCode>> native_code(const runtime::Module& module, ModuleState& state,
                                                             uint32_t defined_index) {
  std::variant<uint32_t, std::string> where = state.artifact->function(defined_index);
  if (const std::string* reason = std::get_if<std::string>(&where))
    return Error(ErrorKind::Unsupported, reason->empty() ? "kiln-llvm did not compile it" : *reason);
  uint32_t chunk = std::get<uint32_t>(where);
  KILN_TRY_VOID(load_chunk(module, state, chunk));
  if (!state.functions[defined_index]) return Error(ErrorKind::Unsupported, "its chunk of native code lacks it");
  const LoadedObject& object = state.chunks[chunk]->object();
  const void* function = object.symbol(function_symbol(defined_index));
  const void* trampoline = object.symbol(trampoline_symbol(defined_index));
  if (!function || !trampoline) return Error(ErrorKind::Unsupported, "its native code lacks its symbols");
  std::unique_ptr<runtime::CompiledCode> code = std::make_unique<NativeCode>(state.chunks[chunk], function, trampoline);
  return code;
}

std::shared_ptr<ModuleState> state_of(const runtime::Module& module) {
  return module.tier_state<ModuleState>([] { return std::make_shared<ModuleState>(); });
}

class LlvmTier final : public runtime::Tier {
 public:
  const char* name() const override { return "llvm"; }

  Expected<std::unique_ptr<runtime::CompiledCode>> compile(const runtime::Module& module,
                                                           uint32_t defined_index) const override {
    std::shared_ptr<ModuleState> state = state_of(module);
    if (!state->prepared) {
      state->prepared = true;
      if (Expected<void> ok = prepare(module, *state); !ok) state->failure = std::move(ok).error();
    }
    if (state->failure) return *state->failure;
    return native_code(module, *state, defined_index);
  }
};

// A request for all of `module`'s functions, its bytes in `module`'s IR.
CompileRequest request_for(const runtime::Module& module) {
  const runtime::EngineConfig& config = module.engine().config();
  CompileRequest request;
  request.options = compile_options(config);
  request.options.threads = config.compile_threads;
  request.module = module.ir().bytes;
  for (uint32_t f = 0; f < module.ir().codes.size(); ++f) request.functions.push_back(f);
  return request;
}

Expected<std::vector<uint8_t>> artifact_from(const CompileRequest& request, const std::vector<uint32_t>& declared_funcs,
                                             Expected<CompileResponse> response) {
  if (!response) return response.error();
  if (!response->error.empty()) return Error(ErrorKind::Unsupported, "kiln-llvm: " + response->error);
  return Artifact::write(Identity::current(request.options), request.module, declared_funcs, *response);
}

// Compiles all of `module` in the background (state.background).
Expected<void> start_background_compile(const runtime::Module& module, ModuleState& state) {
  const runtime::EngineConfig& config = module.engine().config();
  CompileRequest request = request_for(module);
  request.declared_funcs = module.declared_funcs();
  // Every core but the one that runs the program (unless configured).
  if (!request.options.threads) request.options.threads = std::max(1u, std::thread::hardware_concurrency() - 1);
  if (!config.cache_dir.empty())
    request.artifact_path = cache_of(config).entry_path(cache_key(module, state), Identity::current(request.options));
  log_message("tier", "auto tier: compiling the module in the background (%zu functions)", request.functions.size());
  state.background = KILN_TRY(BackgroundCompile::start(module.ir().bytes, std::move(request)));
  return {};
}

// Whether the tier leaves a function with this error to the interpreter
// (FallbackTier's rule).
bool leaves_to_interpreter(const Error& error) {
  return error.kind == ErrorKind::Unsupported || error.kind == ErrorKind::Io;
}

// The auto tier: functions start interpreted, counting their calls and loop
// iterations; the first to get hot starts a compile of the whole module on a
// background thread (kiln-llvm also stores it in the code cache), and once it
// is done, each hot report gives the functions of its instance that ran so far
// native entries; the others get native code when first called. A module
// found in the code cache runs native code from the start.
class AutoTier final : public runtime::Tier {
 public:
  explicit AutoTier(std::shared_ptr<const runtime::Tier> interpreter) : interpreter_(std::move(interpreter)) {}
  const char* name() const override { return "auto"; }

  Expected<std::unique_ptr<runtime::CompiledCode>> compile(const runtime::Module& module,
                                                           uint32_t defined_index) const override {
    std::shared_ptr<ModuleState> state = state_of(module);
    const runtime::EngineConfig& config = module.engine().config();
    if (!state->looked_up && !state->artifact && !config.cache_dir.empty()) {
      state->looked_up = true;
      state->artifact = cache_of(config).find(cache_key(module, *state), Identity::current(compile_options(config)));
      if (state->artifact) KILN_TRY_VOID(prepare(module, *state));
    }
    if (!state->artifact && by_function(module, *state) && !state->hot_looked_up) {
      state->hot_looked_up = true;
      start_with_cached_hot_code(module, *state);
    }
    if (state->artifact) {
      Expected<std::unique_ptr<runtime::CompiledCode>> code = native_code(module, *state, defined_index);
      if (code || !leaves_to_interpreter(code.error())) return code;
    } else if (defined_index < state->tiered_up.size() && state->tiered_up[defined_index]) {
      // Compiled in a batch (by_function) before this instance first called it.
      std::unique_ptr<runtime::CompiledCode> code = static_cast<const NativeCode&>(*state->tiered_up[defined_index]).share();
      return code;
    }
    return interpreter_->compile(module, defined_index);
  }

  runtime::HotAnswer hot(runtime::Function& function, uint32_t loop_offset) const override {
    const runtime::Module& module = *function.instance->module;
    std::unique_lock<std::mutex> lock = module.lock_compiles();
    std::shared_ptr<ModuleState> state = state_of(module);
    if (state->failure) return {};
    if (!state->artifact && by_function(module, *state)) return hot_by_function(function, loop_offset, module, *state);
    if (!state->artifact && !artifact_ready(module, *state)) return {!state->failure, {}};
    tier_up(*function.instance, module, *state);
    if (loop_offset == kAtEntry) return {};  // native from its next call on, or never
    // A frame that loops on in the interpreter: on-stack replacement.
    return loop_entry(module, *state, function.func_index - module.ir().num_imported_funcs);
  }

 private:
  // The loop entry of a function, once compiled (compiling it first).
  static runtime::HotAnswer loop_entry(const runtime::Module& module, ModuleState& state, uint32_t defined) {
    LoopEntryState& entry = state.loop_entries[defined];
    if (entry.code) return {false, {&enter_loop, entry.code}};
    if (entry.failed) return {};
    if (!entry.job) {
      CompileRequest request = request_for(module);
      request.functions = {defined};
      request.loop_entries = true;
      request.options.threads = 1;
      Expected<std::shared_ptr<BackgroundCompile>> job =
          BackgroundCompile::start(module.ir().bytes, std::move(request));
      entry.failed = !job;
      if (job) entry.job = std::move(*job);
      return {!entry.failed, {}};
    }
    std::optional<Expected<CompileResponse>> answer = entry.job->take();
    if (!answer) return {true, {}};
    Expected<CompileResponse>& response = *answer;
    entry.failed = true;
    if (!response || !response->error.empty() || response->objects.size() != 1 || response->compiled.size() != 1) {
      log_message("tier", "auto tier: function %u has no loop entry: %s", module.ir().num_imported_funcs + defined,
                  !response ? response.error().message.c_str()
                  : !response->not_compiled.empty() ? response->not_compiled[0].reason.c_str()
                                                     : response->error.c_str());
      return {};
    }
    Expected<std::shared_ptr<const LoadedChunk>> chunk =
        LoadedChunk::load(module, response->objects[0], response->compiled, true);
    if (!chunk) return {};
    entry.code = (*chunk)->object().symbol(loop_entry_symbol(defined));
    if (!entry.code) return {};
    entry.chunk = std::move(*chunk);
    entry.failed = false;
    log_message("tier", "auto tier: function %u continues in native code at a loop",
                module.ir().num_imported_funcs + defined);
    return {false, {&enter_loop, entry.code}};
  }

  // Modules with more code than this are compiled a few hot functions at a
  // time, as they get hot, never as a whole: at LLVM's some 20-40 KB of wasm a
  // CPU-second, compiling all of one would take longer than most runs of it
  // (yosys, 28 MB of code, takes 6 minutes on 2 cores with `kiln compile`).
  static constexpr size_t kByFunctionCodeBytes = 1 << 20;
  // A batch holds at most this much wasm, so that its code comes back within
  // about a second and the hottest functions do not wait for colder ones.
  static constexpr size_t kBatchBytes = 48 * 1024;
  // By the size of its code (a big data segment costs nothing to compile).
  static bool by_function(const runtime::Module& module, ModuleState& state) {
    if (!state.code_bytes) {
      size_t bytes = 0;
      for (const ir::FunctionBody& code : module.ir().codes) bytes += code.whole.size;
      state.code_bytes = bytes;
    }
    return *state.code_bytes > kByFunctionCodeBytes;
  }

  // A hot report under by_function: counts it; a function hot for long enough
  // for its size (the rule of reports_needed, per function) joins the next
  // batch; once its code is there, the reporting instance switches to it (and
  // a frame hot in a loop asks for a loop entry).
  static runtime::HotAnswer hot_by_function(runtime::Function& function, uint32_t loop_offset,
                                            const runtime::Module& module, ModuleState& state) {
    start_by_function(module, state);
    take_batch(module, state);
    uint32_t defined = function.func_index - module.ir().num_imported_funcs;
    if (state.interpreted_only[defined]) return {};
    if (state.tiered_up[defined]) {
      tier_up(*function.instance, module, state);
      if (loop_offset == kAtEntry) return {};
      return loop_entry(module, state, defined);
    }
    if (!state.requested[defined] && ++state.hot_counts[defined] >= reports_for_bytes(module.ir().codes[defined].whole.size)) {
      state.requested[defined] = true;
      state.queued.push_back(defined);
    }
    start_batch(module, state);
    return {true, {}};
  }

  // Starts compiling the next batch of queued functions (first hot, first
  // compiled) unless one is in flight.
  static void start_batch(const runtime::Module& module, ModuleState& state) {
    if (state.batch || state.queued.empty()) return;
    CompileRequest request = request_for(module);
    request.functions.clear();
    size_t bytes = 0, taken = 0;
    for (; taken < state.queued.size() && (taken == 0 || bytes < kBatchBytes); ++taken) {
      request.functions.push_back(state.queued[taken]);
      bytes += module.ir().codes[state.queued[taken]].whole.size;
    }
    state.queued.erase(state.queued.begin(), state.queued.begin() + static_cast<ptrdiff_t>(taken));
    if (!request.options.threads) request.options.threads = std::max(1u, std::thread::hardware_concurrency() - 1);
    log_message("tier", "auto tier: compiling %zu hot functions (%zu bytes of wasm) in the background",
                request.functions.size(), bytes);
    state.in_batch = request.functions;
    std::shared_ptr<HotCode> hot = hot_code(module, state);
    Expected<std::shared_ptr<BackgroundCompile>> job =
        BackgroundCompile::start(module.ir().bytes, std::move(request), [hot](const CompileResponse& batch) {
          hot->add(batch);
          hot->store();
        });
    if (job) state.batch = std::move(*job);
    else take_failed_batch(state, job.error().message);
  }

  // Sizes the state's vectors for compiling `module` by function.
  static void start_by_function(const runtime::Module& module, ModuleState& state) {
    size_t functions = module.ir().codes.size();
    state.hot_counts.resize(functions);
    state.requested.resize(functions);
    state.tiered_up.resize(functions);
    state.interpreted_only.resize(functions);
  }

  // Loads an object of compiled `functions` and gives them their native code
  // in tiered_up; false if it cannot be loaded.
  static bool adopt_code(const runtime::Module& module, ModuleState& state, std::span<const uint8_t> object,
                         std::vector<CompiledFunction> functions) {
    std::erase_if(functions, [&](const CompiledFunction& f) { return f.defined_index >= state.tiered_up.size(); });
    Expected<std::shared_ptr<const LoadedChunk>> chunk = LoadedChunk::load(module, object, functions);
    if (!chunk) return false;
    for (const CompiledFunction& f : functions) {
      const void* code = (*chunk)->object().symbol(function_symbol(f.defined_index));
      const void* trampoline = (*chunk)->object().symbol(trampoline_symbol(f.defined_index));
      if (!code || !trampoline) continue;
      state.tiered_up[f.defined_index] = std::make_unique<NativeCode>(*chunk, code, trampoline);
      state.requested[f.defined_index] = true;
    }
    state.batch_chunks.push_back(std::move(*chunk));
    return true;
  }

  // The HotCode of a big module, made on first use.
  static std::shared_ptr<HotCode> hot_code(const runtime::Module& module, ModuleState& state) {
    if (state.hot_code) return state.hot_code;
    const runtime::EngineConfig& config = module.engine().config();
    Identity identity = Identity::current(compile_options(config));
    std::string path = config.cache_dir.empty()
                           ? ""
                           : cache_of(config).entry_path(cache_key(module, state), identity, CacheEntry::HotFunctions);
    state.hot_code = std::make_shared<HotCode>(module.ir().bytes, module.declared_funcs(), identity, path);
    return state.hot_code;
  }

  // A big module starts with the functions an earlier run found hot and
  // compiled (the code cache's HotFunctions entry), and without those that
  // kiln-llvm could not compile then.
  static void start_with_cached_hot_code(const runtime::Module& module, ModuleState& state) {
    const runtime::EngineConfig& config = module.engine().config();
    if (config.cache_dir.empty()) return;
    std::shared_ptr<const Artifact> cached = cache_of(config).find(
        cache_key(module, state), Identity::current(compile_options(config)), CacheEntry::HotFunctions);
    if (!cached) return;
    start_by_function(module, state);
    CompileResponse seed;  // the entry again, for the next one
    for (uint32_t c = 0; c < cached->chunk_count(); ++c) {
      Expected<Chunk> chunk = cached->chunk(c);
      if (!chunk || !adopt_code(module, state, chunk->object, chunk->functions)) continue;
      auto object = static_cast<uint32_t>(seed.objects.size());
      seed.objects.emplace_back(chunk->object.begin(), chunk->object.end());
      for (CompiledFunction& f : chunk->functions) {
        f.object = object;
        seed.compiled.push_back(std::move(f));
      }
    }
    for (uint32_t f = 0; f < std::min(cached->function_count(), state.requested.size()); ++f) {
      std::variant<uint32_t, std::string> where = cached->function(f);
      const std::string* reason = std::get_if<std::string>(&where);
      if (!reason || reason->empty()) continue;  // compiled, or never asked for
      state.requested[f] = state.interpreted_only[f] = true;
      seed.not_compiled.push_back({f, *reason});
    }
    hot_code(module, state)->add(seed);
    log_message("tier", "auto tier: %zu hot functions compiled by an earlier run", seed.compiled.size());
  }

  // The batch's functions stay interpreted (`why` is logged).
  static void take_failed_batch(ModuleState& state, const std::string& why) {
    log_message("tier", "auto tier: %zu hot functions stay interpreted: %s", state.in_batch.size(), why.c_str());
    for (uint32_t f : state.in_batch) state.interpreted_only[f] = true;
    state.in_batch.clear();
    state.batch.reset();
  }

  // Takes the batch's code once it is done: each function compiled gets its
  // native code in tiered_up, each other stays interpreted.
  static void take_batch(const runtime::Module& module, ModuleState& state) {
    if (!state.batch) return;
    std::optional<Expected<CompileResponse>> answer = state.batch->take();
    if (!answer) return;
    Expected<CompileResponse>& response = *answer;
    if (!response) return take_failed_batch(state, response.error().message);
    if (!response->error.empty()) return take_failed_batch(state, "kiln-llvm: " + response->error);
    for (uint32_t object = 0; object < response->objects.size(); ++object) {
      std::vector<CompiledFunction> functions;
      for (const CompiledFunction& f : response->compiled)
        if (f.object == object) functions.push_back(f);
      adopt_code(module, state, response->objects[object], std::move(functions));  // (if not, they stay interpreted)
    }
    size_t compiled = 0;
    for (uint32_t f : state.in_batch) {
      if (state.tiered_up[f]) ++compiled;
      else state.interpreted_only[f] = true;
    }
    for (const NotCompiled& n : response->not_compiled)
      log_message("tier", "auto tier: function %u stays interpreted: %s", module.ir().num_imported_funcs + n.defined_index,
                  n.reason.c_str());
    log_message("tier", "auto tier: %zu of %zu hot functions compiled", compiled, state.in_batch.size());
    state.in_batch.clear();
    state.batch.reset();
    start_batch(module, state);
  }

  // Hot reports a module needs before it is compiled: compiling costs in
  // proportion to its size (LLVM does some 20-40 KB of wasm a CPU-second),
  // so a big module must have been interpreted for longer to be worth it. One
  // report per 50 bytes: 1 for a small module, some 600 000 (about 6e8 loop
  // iterations or calls, several seconds of interpreting) for a 30 MB one,
  // whose `--version` run must not start minutes of compiling.
  static uint64_t reports_needed(const runtime::Module& module) { return reports_for_bytes(module.ir().bytes.size()); }
  static uint64_t reports_for_bytes(size_t wasm_bytes) { return std::max<uint64_t>(1, wasm_bytes / 50); }

  // Starts the background compile, or takes its artifact once it is done.
  static bool artifact_ready(const runtime::Module& module, ModuleState& state) {
    if (!state.background && ++state.hot_reports < reports_needed(module)) return false;
    if (!state.background) {
      if (Expected<void> started = start_background_compile(module, state); !started)
        state.failure = std::move(started).error();
      return false;
    }
    std::optional<Expected<CompileResponse>> answer = state.background->take();
    if (!answer) return false;
    Expected<std::vector<uint8_t>> artifact = artifact_from(request_for(module), module.declared_funcs(), std::move(*answer));
    Expected<std::shared_ptr<const Artifact>> opened =
        artifact ? artifact_in_memory(std::move(*artifact), "the module's native code") : artifact.error();
    Expected<void> ok = opened ? (state.artifact = *opened, prepare(module, state)) : Expected<void>(opened.error());
    if (!ok) {
      log_message("tier", "auto tier: the module stays interpreted: %s", ok.error().message.c_str());
      state.failure = std::move(ok).error();
      return false;
    }
    return true;
  }

  // Gives the interpreted functions of `instance` native entries.
  static void tier_up(runtime::Instance& instance, const runtime::Module& module, ModuleState& state) {
    uint32_t imported = module.ir().num_imported_funcs;
    state.tiered_up.resize(module.ir().codes.size());
    state.interpreted_only.resize(module.ir().codes.size());
    size_t switched = 0;
    for (runtime::Function* f : instance.funcs) {
      if (f->instance != &instance || f->func_index < imported || !f->code || f->native) continue;
      uint32_t defined = f->func_index - imported;
      if (state.interpreted_only[defined]) continue;
      if (!state.tiered_up[defined]) {
        if (!state.artifact) continue;  // by_function: not compiled (yet)
        Expected<std::unique_ptr<runtime::CompiledCode>> code = native_code(module, state, defined);
        if (!code) {
          state.interpreted_only[defined] = true;
          continue;
        }
        state.tiered_up[defined] = std::move(*code);
      }
      const runtime::CompiledCode& code = *state.tiered_up[defined];
      f->code = &code;
      f->entry = code.entry;
      f->native = code.native;
      ++switched;
    }
    if (switched) log_message("tier", "auto tier: %zu functions that ran interpreted switch to native code", switched);
  }

  std::shared_ptr<const runtime::Tier> interpreter_;
};

}  // namespace

Expected<std::vector<uint8_t>> compile_artifact(const runtime::Module& module) {
  CompileRequest request = request_for(module);
  return artifact_from(request, module.declared_funcs(), run_compiler(request));
}

Expected<std::shared_ptr<runtime::Module>> load_artifact(runtime::Engine& engine, std::shared_ptr<const void> owner,
                                                        std::span<const uint8_t> bytes, const std::string& name) {
  std::shared_ptr<const Artifact> artifact = KILN_TRY(Artifact::open(std::move(owner), bytes, name));
  KILN_TRY_VOID(artifact->check_identity(Identity::current(compile_options(engine.config()))));
  // The module's bytes stay in the artifact (a mapped file): not copied.
  SharedBytes wasm(artifact, artifact->wasm());
  std::shared_ptr<runtime::Module> module =
      KILN_TRY(runtime::Module::from_validated_binary(engine, std::move(wasm), artifact->declared_funcs()));
  if (artifact->function_count() > module->ir().codes.size())
    return Error(ErrorKind::Malformed, name + " is a damaged compiled module (more functions than its module)");
  auto state = std::make_shared<ModuleState>();
  state->artifact = std::move(artifact);
  module->set_tier_state(std::move(state));
  return module;
}

Expected<std::vector<uint8_t>> serialize(const runtime::Module& module) {
  const runtime::Tier* tier = module.engine().config().tier.get();
  std::string_view name = tier ? tier->name() : "";
  if (name == "llvm" || name == "auto") return compile_artifact(module);
  const SharedBytes& wasm = module.ir().bytes;
  return std::vector<uint8_t>(wasm.begin(), wasm.end());
}

Expected<std::shared_ptr<runtime::Module>> deserialize(runtime::Engine& engine, std::span<const uint8_t> bytes) {
  if (!is_artifact(bytes)) return runtime::Module::from_binary(engine, std::vector<uint8_t>(bytes.begin(), bytes.end()));
  auto owner = std::make_shared<const std::vector<uint8_t>>(bytes.begin(), bytes.end());
  return load_artifact(engine, owner, *owner, "the serialized module");
}

std::shared_ptr<const runtime::Tier> llvm_tier() {
  static const std::shared_ptr<const runtime::Tier> tier = std::make_shared<LlvmTier>();
  return tier;
}

runtime::EngineConfig with_auto(runtime::EngineConfig config, std::shared_ptr<const runtime::Tier> interpreter) {
  // Without kiln-llvm nothing would ever get faster: no counting either.
  if (compiler_path().empty()) {
    log_message("tier", "auto tier: kiln-llvm is not installed: interpreting only");
    config.tier = std::move(interpreter);
    return config;
  }
  config.tier = std::make_shared<AutoTier>(std::move(interpreter));
  config.count_hotness = true;
  return config;
}

runtime::EngineConfig with_llvm(runtime::EngineConfig config, std::shared_ptr<const runtime::Tier> fallback) {
  config.tier = std::make_shared<runtime::FallbackTier>(llvm_tier(), std::move(fallback));
  return config;
}

}  // namespace kiln::native
