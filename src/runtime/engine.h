// The Engine: configuration shared by every Store, and the registry that gives
// structurally equal function types one id (so call_indirect can compare types
// across modules with one integer comparison).
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

#include "ir/features.h"
#include "ir/types.h"

namespace kiln::runtime {

struct EngineConfig {
  ir::Features features;
  uint64_t max_memory_pages = 65536;        // per memory, on top of the module's maximum
  uint64_t max_table_elements = 10000000;   // per table
  size_t value_stack_bytes = size_t{64} << 20;
  uint32_t max_call_depth = 100000;
};

class Engine {
 public:
  explicit Engine(EngineConfig config = {}) : config_(config) {}
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  const EngineConfig& config() const { return config_; }
  EngineConfig& mutable_config() { return config_; }

  // The canonical id of a function type. Thread-safe.
  uint32_t intern_type(const ir::FuncType& type);

 private:
  EngineConfig config_;
  std::mutex types_mutex_;
  std::unordered_map<std::string, uint32_t> type_ids_;
};

}  // namespace kiln::runtime
