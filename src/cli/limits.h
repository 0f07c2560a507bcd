// `kiln run`'s resource limits: --fuel, --timeout, --max-memory,
// --max-table-elements, --max-stack. Parsing of sizes and durations, and the
// timer that interrupts running wasm when a timeout passes.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "base/error.h"
#include "runtime/engine.h"
#include "runtime/store.h"

namespace kiln::cli {

struct LimitOptions {
  std::string fuel;                // instructions
  std::string timeout;             // "500ms", "2s", "1m", "1.5" (seconds)
  std::string max_memory;          // per memory: "64MiB", "1GiB", "65536" (bytes)
  std::string max_table_elements;  // per table
  std::string max_stack;           // value stack: "1MiB"
};

// "64MiB" -> bytes. Accepts K/KB/KiB, M/MB/MiB, G/GB/GiB (all binary) or bytes.
Expected<uint64_t> parse_size(const std::string& text);
// "500ms" -> duration. Accepts ns, us, ms, s, m, h; a bare number is seconds.
Expected<std::chrono::nanoseconds> parse_duration(const std::string& text);

// Applies the engine-level limits (before modules are compiled).
Expected<void> configure_engine(const LimitOptions& limits, runtime::EngineConfig& config);
// Applies the store-level limits (fuel, the epoch deadline).
Expected<void> configure_store(const LimitOptions& limits, runtime::Store& store);

// Advances the engine's epoch once `timeout` has passed, which interrupts wasm
// running with a deadline of one tick. Stops early when destroyed.
class Watchdog {
 public:
  Watchdog(runtime::Engine& engine, std::chrono::nanoseconds timeout);
  ~Watchdog();
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

 private:
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace kiln::cli
