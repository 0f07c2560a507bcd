#include "runtime/module.h"

#include <cstring>

#include "base/file.h"
#include "binary/decoder.h"
#include "runtime/engine.h"
#include "text/wat.h"
#include "validate/validator.h"

namespace kiln::runtime {

namespace {

bool has_text_extension(const std::string& path) {
  return path.ends_with(".wat") || path.ends_with(".wast");
}

}  // namespace

Expected<std::shared_ptr<Module>> Module::from_binary(Engine& engine, std::vector<uint8_t> bytes) {
  // Sizes in a module are bounded by its length, so this is rare; but a host
  // short of memory gets an error, not an exception through the API.
  try {
    return compile_binary(engine, std::move(bytes));
  } catch (const std::bad_alloc&) {
    return Error(ErrorKind::Resource, "out of memory compiling the module");
  }
}

Expected<std::shared_ptr<Module>> Module::compile_binary(Engine& engine, std::vector<uint8_t> bytes) {
  ir::Module decoded = KILN_TRY(binary::decode_module(std::move(bytes), engine.config().features));
  std::vector<uint32_t> declared = KILN_TRY(validate::validate_module(decoded, engine.config().features));
  return make(engine, std::move(decoded), std::move(declared));
}

Expected<std::shared_ptr<Module>> Module::from_validated_binary(Engine& engine, SharedBytes bytes,
                                                                std::vector<uint32_t> declared_funcs) {
  try {
    ir::Module decoded = KILN_TRY(binary::decode_module(std::move(bytes), engine.config().features));
    return make(engine, std::move(decoded), std::move(declared_funcs));
  } catch (const std::bad_alloc&) {
    return Error(ErrorKind::Resource, "out of memory loading the module");
  }
}

std::shared_ptr<Module> Module::make(Engine& engine, ir::Module decoded, std::vector<uint32_t> declared_funcs) {
  std::shared_ptr<Module> module(new Module());
  module->engine_ = &engine;
  module->ir_ = std::move(decoded);
  module->declared_funcs_ = std::move(declared_funcs);
  for (const ir::FuncType& type : module->ir_.types) module->type_ids_.push_back(engine.intern_type(type));
  size_t defined = module->ir_.functions.size();
  module->code_.reset(new std::atomic<CompiledCode*>[defined]);
  for (size_t i = 0; i < defined; ++i) module->code_[i].store(nullptr, std::memory_order_relaxed);
  return module;
}

Expected<std::shared_ptr<Module>> Module::from_text(Engine& engine, std::string_view text) {
  std::vector<uint8_t> bytes;
  try {
    bytes = KILN_TRY(text::wat_to_wasm(text));
  } catch (const std::bad_alloc&) {
    return Error(ErrorKind::Resource, "out of memory parsing the module");
  }
  return from_binary(engine, std::move(bytes));
}

Expected<std::shared_ptr<Module>> Module::from_bytes_or_text(Engine& engine, std::vector<uint8_t> bytes) {
  if (!text::looks_like_text(bytes)) return from_binary(engine, std::move(bytes));
  std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  return from_text(engine, text);
}

Expected<std::shared_ptr<Module>> Module::from_file(Engine& engine, const std::string& path) {
  std::vector<uint8_t> bytes = KILN_TRY(read_file(path));
  if (has_text_extension(path)) {
    std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    return from_text(engine, text);
  }
  return from_bytes_or_text(engine, std::move(bytes));
}

Module::~Module() {
  if (!code_) return;
  for (size_t i = 0; i < ir_.functions.size(); ++i) delete code_[i].load(std::memory_order_relaxed);
}

Expected<const CompiledCode*> Module::compiled(uint32_t defined_index) const {
  CompiledCode* code = code_[defined_index].load(std::memory_order_acquire);
  if (code) return static_cast<const CompiledCode*>(code);
  const Tier* tier = engine_->config().tier.get();
  if (!tier) return Error(ErrorKind::Usage, "the engine has no compiler tier configured");
  std::lock_guard<std::mutex> lock(compile_mutex_);
  code = code_[defined_index].load(std::memory_order_relaxed);
  if (code) return static_cast<const CompiledCode*>(code);
  std::unique_ptr<CompiledCode> compiled = KILN_TRY(tier->compile(*this, defined_index));
  code = compiled.release();
  code_[defined_index].store(code, std::memory_order_release);
  return static_cast<const CompiledCode*>(code);
}

}  // namespace kiln::runtime
