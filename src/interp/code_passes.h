// The last passes over a function's finished code (docs/architecture.md,
// "Superinstructions"), separate from translation: each looks at neighbouring
// instructions and changes only handler words (an instruction merged into the
// one before it keeps its words, which the merged handler skips), so jump
// offsets and the trap offset map stay valid.
#pragma once

#include <cstdint>
#include <vector>

#include "interp/code.h"

namespace kiln::interp {

// Runs, in this order: use_accumulator, pair_axpys, loop_axpys, then_forms,
// pair_adds. `jump_targets`: the word position of every instruction a jump
// lands on, sorted (no pass merges across one).
void run_last_passes(Code& code, const std::vector<uint32_t>& jump_targets);

}  // namespace kiln::interp
