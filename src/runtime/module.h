// A compiled module: the validated ir::Module plus what execution needs, shared by
// all its instances ("compile once, instantiate many").
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "base/error.h"
#include "ir/features.h"
#include "ir/module.h"
#include "runtime/tier.h"

namespace kiln::runtime {

class Engine;

class Module {
 public:
  // Decodes (binary) and validates; the text form goes through text::wat_to_wasm first.
  static Expected<std::shared_ptr<Module>> from_binary(Engine& engine, std::vector<uint8_t> bytes);
  static Expected<std::shared_ptr<Module>> from_text(Engine& engine, std::string_view text);
  // Accepts either: text if it starts like text (text::looks_like_text), else
  // binary, so empty or foreign bytes get the binary decoder's error.
  static Expected<std::shared_ptr<Module>> from_bytes_or_text(Engine& engine, std::vector<uint8_t> bytes);
  // Reads and compiles a file: text when its name ends in .wat or .wast or its
  // content starts like text, binary otherwise. Io errors name the file.
  static Expected<std::shared_ptr<Module>> from_file(Engine& engine, const std::string& path);
  // Decodes a module that this Kiln validated before (a compiled artifact's),
  // with the declared functions validation found; not validated again.
  static Expected<std::shared_ptr<Module>> from_validated_binary(Engine& engine, SharedBytes bytes,
                                                                 std::vector<uint32_t> declared_funcs);

  ~Module();

  const ir::Module& ir() const { return ir_; }
  Engine& engine() const { return *engine_; }
  const std::vector<uint32_t>& declared_funcs() const { return declared_funcs_; }
  // Canonical type id of each type index (for call_indirect checks across modules).
  const std::vector<uint32_t>& type_ids() const { return type_ids_; }

  // The code of defined function `defined_index` from the engine's tier,
  // compiled on first use and kept for every instance. Thread-safe.
  Expected<const CompiledCode*> compiled(uint32_t defined_index) const;
  // Per-module state of the engine's tier (the LLVM tier keeps its loaded
  // code here), created on first use by `make`. Only while the tier compiles
  // (Tier::compile runs under the module's compile lock).
  template <class T, class Make>
  std::shared_ptr<T> tier_state(Make make) const {
    if (!tier_state_) tier_state_ = make();
    return std::static_pointer_cast<T>(tier_state_);
  }
  // Gives the tier its state before any function is compiled (the code of an
  // artifact the module was loaded from).
  void set_tier_state(std::shared_ptr<void> state) { tier_state_ = std::move(state); }
  // The compile lock, for a tier that compiles outside Module::compiled (Tier::hot).
  std::unique_lock<std::mutex> lock_compiles() const { return std::unique_lock<std::mutex>(compile_mutex_); }

  // The code if it has been compiled already, else null. Thread-safe.
  const CompiledCode* compiled_if_ready(uint32_t defined_index) const {
    return code_[defined_index].load(std::memory_order_acquire);
  }

 private:
  Module() = default;
  static Expected<std::shared_ptr<Module>> compile_binary(Engine& engine, std::vector<uint8_t> bytes);
  static std::shared_ptr<Module> make(Engine& engine, ir::Module decoded, std::vector<uint32_t> declared_funcs);
  Engine* engine_ = nullptr;
  ir::Module ir_;
  std::vector<uint32_t> declared_funcs_;
  std::vector<uint32_t> type_ids_;
  mutable std::unique_ptr<std::atomic<CompiledCode*>[]> code_;
  mutable std::mutex compile_mutex_;
  mutable std::shared_ptr<void> tier_state_;
};

}  // namespace kiln::runtime
