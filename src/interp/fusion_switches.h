// Fusion families a contributor can turn off, one by one, to weigh what each
// buys (docs/benchmarks.md, "Weighing a fusion family"):
//
//   KILN_NO_FUSION=then,axpy bench/run --engine "interp=build/kiln run --tier interp"
//
// Names are those of kFusionNames; "all" turns every family off. All are on
// by default; the variable is read once per process. Turning a family off
// never changes results, only which handlers run.
#pragma once

#include <cstddef>
#include <cstdint>

namespace kiln::interp {

enum class Fusion : uint8_t {
  Accumulator,        // use_accumulator: results carried in a register
  Pairs,              // two ALU operations in one (pairs.def)
  LoadOp,             // a load feeding an ALU operation
  OpStore,            // an ALU operation feeding a store
  ReadModifyWrite,    // c[i] += x and the axpys
  AxpyPairs,          // pair_axpys and loop_axpys
  LoadConvert,        // a byte load converted to a float
  ThenForms,          // then_forms
  AddPairs,           // pair_adds
  GuardedTruncation,  // C's (int)f without non-trapping conversions
  BrTableLoad,        // br_table on a scaled load
  LoopHeadCopy,       // a back edge copies the loop's first instructions
  CopyMerge,          // adjacent copies in one instruction
  Count
};

inline constexpr const char* kFusionNames[] = {"accumulator", "pairs",     "load-op",  "op-store", "rmw",
                                               "axpy",        "convert",   "then",     "add-pairs", "trunc",
                                               "br-table",    "loop-head", "copies"};
static_assert(sizeof kFusionNames / sizeof kFusionNames[0] == static_cast<size_t>(Fusion::Count));

// Whether family `f` is on (KILN_NO_FUSION does not name it).
bool fusion_on(Fusion f);

}  // namespace kiln::interp
