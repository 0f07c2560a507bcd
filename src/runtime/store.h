// The Store owns every runtime object (functions, memories, tables, globals,
// instances) and the execution state used to run code in them.
#pragma once

#include <memory>
#include <span>
#include <vector>

#include "base/error.h"
#include "runtime/thread.h"
#include "runtime/engine.h"
#include "runtime/limits.h"
#include "runtime/module.h"
#include "runtime/objects.h"

namespace kiln::runtime {

class Store {
 public:
  explicit Store(Engine& engine);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  Engine& engine() const { return engine_; }
  Thread& thread() { return *thread_; }

  Function* create_host_function(ir::FuncType type, HostCallback callback, std::string debug_name = {});
  Expected<Memory*> create_memory(const ir::MemoryType& type);
  Table* create_table(const ir::TableType& type, Ref init = nullptr);
  Global* create_global(const ir::GlobalType& type, const Value& value);

  // Instantiates `module` with `imports` given in the order of the module's imports.
  // Errors: Unlinkable (import mismatch), Trap (a segment or the start function
  // trapped; effects before the trap remain, as the spec says), Uninstantiable.
  Expected<Instance*> instantiate(std::shared_ptr<const Module> module, std::span<const Extern> imports);

  // Calls a function with typed arguments (checked against its type).
  Expected<std::vector<Value>> call(Function* function, std::span<const Value> args);

  // Fuel (EngineConfig::consume_fuel): what code in this store may still use.
  Expected<void> set_fuel(uint64_t fuel);
  Expected<uint64_t> fuel() const;
  // Epoch interruption (EngineConfig::epoch_interruption): code traps once the
  // engine's epoch reaches its current value plus `ticks`.
  void set_epoch_deadline(uint64_t ticks);

  // Resource limits (not owned; must outlive the store's use of it).
  void set_limiter(ResourceLimiter* limiter) { limiter_ = limiter; }
  ResourceLimiter* limiter() const { return limiter_; }
  size_t instance_count() const { return instances_.size(); }

 private:
  Engine& engine_;
  ResourceLimiter* limiter_ = nullptr;
  std::unique_ptr<Thread> thread_;
  std::vector<std::unique_ptr<Function>> functions_;
  std::vector<std::unique_ptr<Memory>> memories_;
  std::vector<std::unique_ptr<Table>> tables_;
  std::vector<std::unique_ptr<Global>> globals_;
  std::vector<std::unique_ptr<Instance>> instances_;

  friend class Instantiator;
};

// Import matching rules (the spec's extern subtyping), exposed for linkers.
Expected<void> check_import(const ir::Module& module, const ir::Import& import, const Extern& value, Engine& engine);

}  // namespace kiln::runtime
