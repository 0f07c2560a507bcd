#include "runtime/engine.h"

namespace kiln::runtime {

uint32_t Engine::intern_type(const ir::FuncType& type) {
  std::string key = ir::to_string(type);
  std::lock_guard<std::mutex> lock(types_mutex_);
  auto [it, inserted] = type_ids_.emplace(std::move(key), static_cast<uint32_t>(type_ids_.size()));
  return it->second;
}

}  // namespace kiln::runtime
