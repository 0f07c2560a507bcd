// The interpreter's internal code for one function: produced once by the translator
// (translator.h), executed by the dispatch loop (interpreter.h).
#pragma once

#include <cstdint>
#include <vector>

#include "runtime/tier.h"

namespace kiln::interp {

// The entry (runtime/tier.h) of every function the interpreter runs: copies the
// arguments into a new frame and runs the dispatch loop (interpreter.cpp).
Expected<void> enter(runtime::Function& function, runtime::Thread& thread, runtime::RawValue* slots);

// One function's translated code. A stream of 32-bit words: each instruction is a
// handler address (two words) followed by its operands: frame offsets in bytes of
// the values it reads and writes, and decoded immediates.
struct Code : runtime::CompiledCode {
  Code() : runtime::CompiledCode(&enter) {}

  std::vector<uint32_t> words;
  uint32_t params_size = 0;   // bytes of parameters at the start of the frame
  // The initial contents of the frame after the parameters: zeroed declared
  // locals, then the function's constants. Copied in on every call.
  std::vector<uint8_t> init;
  uint32_t frame_size = 0;    // bytes of the whole frame: params, locals, constants, operand stack
  uint32_t results_size = 0;  // bytes of results, written at the start of the frame
  // Maps instruction positions (word index) back to wasm byte offsets, for traps.
  std::vector<std::pair<uint32_t, uint32_t>> offsets;
  // With EngineConfig::count_hotness: calls and loop iterations left before
  // the function is reported hot (HotnessCount; shared by the threads that
  // run it, counted without atomic read-modify-writes: a lost count is harmless).
  static constexpr int32_t kHotnessBudget = 1000;
  int32_t hotness = kHotnessBudget;
};

}  // namespace kiln::interp
