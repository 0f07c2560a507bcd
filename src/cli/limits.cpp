#include "cli/limits.h"

#include <cctype>
#include <cmath>
#include <cstdlib>

namespace kiln::cli {

namespace {

// Splits "64MiB" into 64 and "MiB".
bool split_number(const std::string& text, double& number, std::string& unit) {
  if (text.empty()) return false;
  char* end = nullptr;
  number = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || number < 0 || !std::isfinite(number)) return false;
  unit.assign(end);
  return true;
}

Error usage(const std::string& what) { return Error(ErrorKind::Usage, what); }

}  // namespace

Expected<uint64_t> parse_size(const std::string& text) {
  double number;
  std::string unit;
  if (!split_number(text, number, unit)) return usage("invalid size '" + text + "'");
  double scale;
  if (unit.empty() || unit == "B") scale = 1;
  else if (unit == "K" || unit == "KB" || unit == "KiB") scale = 1024.0;
  else if (unit == "M" || unit == "MB" || unit == "MiB") scale = 1024.0 * 1024;
  else if (unit == "G" || unit == "GB" || unit == "GiB") scale = 1024.0 * 1024 * 1024;
  else return usage("invalid size unit in '" + text + "' (use K, M or G)");
  double bytes = number * scale;
  if (bytes > 1.8e19) return usage("size '" + text + "' is too large");
  return static_cast<uint64_t>(bytes);
}

Expected<std::chrono::nanoseconds> parse_duration(const std::string& text) {
  double number;
  std::string unit;
  if (!split_number(text, number, unit)) return usage("invalid duration '" + text + "'");
  double seconds;
  if (unit.empty() || unit == "s") seconds = number;
  else if (unit == "ms") seconds = number / 1e3;
  else if (unit == "us") seconds = number / 1e6;
  else if (unit == "ns") seconds = number / 1e9;
  else if (unit == "m") seconds = number * 60;
  else if (unit == "h") seconds = number * 3600;
  else return usage("invalid duration unit in '" + text + "' (use ms, s, m or h)");
  if (seconds > 1e9) return usage("duration '" + text + "' is too long");
  return std::chrono::nanoseconds(static_cast<int64_t>(seconds * 1e9));
}

Expected<void> configure_engine(const LimitOptions& limits, runtime::EngineConfig& config) {
  if (!limits.fuel.empty()) config.consume_fuel = true;
  if (!limits.timeout.empty()) {
    KILN_TRY(parse_duration(limits.timeout));
    config.epoch_interruption = true;
  }
  if (!limits.max_memory.empty()) {
    uint64_t bytes = KILN_TRY(parse_size(limits.max_memory));
    config.max_memory_pages = bytes / ir::kPageSize;
  }
  if (!limits.max_table_elements.empty()) {
    char* end = nullptr;
    unsigned long long n = std::strtoull(limits.max_table_elements.c_str(), &end, 10);
    if (*end != '\0') return usage("invalid --max-table-elements '" + limits.max_table_elements + "'");
    config.max_table_elements = n;
  }
  if (!limits.max_stack.empty()) {
    uint64_t bytes = KILN_TRY(parse_size(limits.max_stack));
    if (bytes < 4096) return usage("--max-stack must be at least 4KiB");
    config.value_stack_bytes = bytes;
    // A call record per frame, frames of at least 16 bytes: depth follows the size.
    config.max_call_depth = static_cast<uint32_t>(std::min<uint64_t>(config.max_call_depth, bytes / 16));
  }
  return {};
}

Expected<void> configure_store(const LimitOptions& limits, runtime::Store& store) {
  if (!limits.fuel.empty()) {
    char* end = nullptr;
    unsigned long long fuel = std::strtoull(limits.fuel.c_str(), &end, 10);
    if (limits.fuel.empty() || *end != '\0') return usage("invalid --fuel '" + limits.fuel + "'");
    KILN_TRY_VOID(store.set_fuel(fuel));
  }
  if (!limits.timeout.empty()) store.set_epoch_deadline(1);
  return {};
}

Watchdog::Watchdog(runtime::Engine& engine, std::chrono::nanoseconds timeout) {
  thread_ = std::thread([this, &engine, timeout] {
    std::unique_lock<std::mutex> lock(mutex_);
    if (!wake_.wait_for(lock, timeout, [this] { return stop_; })) engine.increment_epoch();
  });
}

Watchdog::~Watchdog() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

}  // namespace kiln::cli
