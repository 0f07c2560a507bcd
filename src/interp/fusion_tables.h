// Which instruction sequences the translator fuses into which handler: the
// tables of superinstructions (see docs/architecture.md, "Superinstructions").
// The translator (translator.cpp) decides when a rewrite is safe; these only
// name the handler for a sequence, or say there is none.
#pragma once

#include <cstdint>
#include <optional>

#include "interp/handlers.h"
#include "ir/opcodes.h"

namespace kiln::interp {

// "t = load(p + off); d = t OP x" (load on the left) or "d = x OP t"; with
// `indexed`, the load is the i32.add-addressed one ("s = a + b; t = load(s + off)").
std::optional<Handler> fused_load_op(ir::Opcode load, ir::Opcode op, bool load_on_left, bool indexed = false);
// "t = a OP b; store(p + off, t)".
std::optional<Handler> fused_op_store(ir::Opcode op, ir::Opcode store);
// "t = a OP1 b; d = t OP2 c" (pairs.def).
std::optional<Handler> fused_pair(ir::Opcode first, ir::Opcode second);
bool is_commutative(ir::Opcode op);
// Whether `h` is a pair (dst a b c) whose first operation is commutative, so
// its a and b may be swapped.
bool pair_first_commutes(Handler h);

// A comparison feeding a conditional branch: the handler for "jump if (a OP b)"
// and for its negation (used by `if`, which jumps when the condition is false).
struct FusedBranch {
  Handler when_true;
  Handler when_false;
  uint32_t operands;  // 1 for eqz, else 2
};
std::optional<FusedBranch> fused_branch(ir::Opcode compare);
// "s = a + b; jump if (s OP c)" for a fused i32 comparison branch.
std::optional<Handler> add_branch(Handler branch);
// The comparison with its operands swapped: a < b is b > a.
Handler mirrored_branch(Handler branch);

// Loads and stores: with an `i32.add` address, with a `(i << k) + base`
// address, as read-modify-write (`load; add; store` of one address), and the
// explicitly checked forms for memories other than a 32-bit memory 0.
std::optional<Handler> fused_address_handler(ir::Opcode access);
std::optional<Handler> scaled_address_handler(ir::Opcode access);
std::optional<Handler> read_modify_write(Handler load_op, ir::Opcode store);
std::optional<Handler> checked_access_handler(ir::Opcode access);

// Handlers safe to copy elsewhere in the same function: no jump operand (which
// is relative to the original) and nothing patched later.
bool is_copyable(Handler h);

// The accumulators (accumulator.def): which one a handler leaves the value it
// writes to its W(0) slot in, if any; and the form of `h` that takes its
// operand `operand` (the operand word W(operand), a slot it reads) from an
// accumulator instead, with the accumulator it reads.
enum class Accumulator : uint8_t { None, Integer, F32, F64 };
Accumulator accumulator_set_by(Handler h);
struct AccumulatorForm {
  Handler form;
  Accumulator reads;
};
std::optional<AccumulatorForm> accumulator_form(Handler h, uint32_t operand);

}  // namespace kiln::interp
