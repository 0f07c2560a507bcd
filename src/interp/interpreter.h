// The dispatch loop: runs translated code (code.h) with direct threading.
#pragma once

#include <memory>

#include "interp/code.h"
#include "runtime/engine.h"

namespace kiln::interp {

// The interpreter as a tier (runtime/tier.h): translates functions on demand
// into Code, whose entry is interp::enter. One for the process.
std::shared_ptr<const runtime::Tier> interpreter_tier();

// `config` with the interpreter as its tier, unless it names one already.
inline runtime::EngineConfig with_interpreter(runtime::EngineConfig config) {
  if (!config.tier) config.tier = interpreter_tier();
  return config;
}

}  // namespace kiln::interp
