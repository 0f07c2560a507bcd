// The Engine: configuration shared by every Store, and the registry that gives
// structurally equal function types one id (so call_indirect can compare types
// across modules with one integer comparison).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "ir/features.h"
#include "ir/types.h"
#include "runtime/tier.h"

namespace kiln::runtime {

struct EngineConfig {
  ir::Features features;
  uint64_t max_memory_pages = 65536;        // per memory, on top of the module's maximum
  uint64_t max_table_elements = 10000000;   // per table
  size_t value_stack_bytes = size_t{64} << 20;
  uint32_t max_call_depth = 100000;
  // Fuel: code charges the instructions it runs against the store's fuel and
  // traps with "all fuel consumed" when it runs out. Off: no cost at all.
  bool consume_fuel = false;
  // Epoch interruption: code checks the engine's epoch against the store's
  // deadline at function entries and loop headers, and traps with "interrupted"
  // when it has passed. Off: no cost at all.
  bool epoch_interruption = false;
  // The compiler of this engine's modules (tier.h): interp::interpreter_tier(),
  // the LLVM tier, ... Chosen by whoever makes the engine (the APIs, the CLI).
  std::shared_ptr<const Tier> tier;
  // Compiling tiers: threads to compile one module on (0: every core), and the
  // directory of the code cache (empty: no cache).
  uint32_t compile_threads = 0;
  std::string cache_dir;
  // Interpreted code counts calls and loop iterations per function and
  // reports hot functions to the tier (Tier::hot): the auto tier.
  bool count_hotness = false;
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

  // The epoch: advanced by the embedder (e.g. a timer thread); running code
  // compares it with its store's deadline. Thread-safe.
  void increment_epoch() { epoch_.fetch_add(1, std::memory_order_relaxed); }
  uint64_t epoch() const { return epoch_.load(std::memory_order_relaxed); }
  const std::atomic<uint64_t>* epoch_counter() const { return &epoch_; }

 private:
  std::atomic<uint64_t> epoch_{0};
  EngineConfig config_;
  std::mutex types_mutex_;
  std::unordered_map<std::string, uint32_t> type_ids_;
};

}  // namespace kiln::runtime
