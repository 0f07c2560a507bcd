// Operand layouts of handler families: where each operand word of an
// instruction is, by name, so that the translator's passes, the handlers and
// the disassembler never count words by hand.
//
// An instruction is its handler's address (kHandlerWords words) and then its
// operand words; a family's operands are listed in order, and `word(k)`
// counts from the instruction's first word. Families with a tail of variable
// length (a br_table's targets) list the fixed part; the tail follows it.
#pragma once

#include <cstdint>

namespace kiln::interp::layout {

constexpr uint32_t kHandlerWords = 2;  // a handler address (64 bits)

// In the flags operand of memory and table handlers: the low bits are the
// memory's or table's index, this bit says it is 64-bit (its addresses,
// indices and lengths are i64 slots).
constexpr uint32_t kWideFlag = 0x80000000u;

// Operand k's word, counted from the instruction's first word.
constexpr uint32_t word(uint32_t operand) { return kHandlerWords + operand; }

// A family: its operands as an enum (Family::dst is operand 0, ...), their
// count, the instruction's length in words, and the names as one string for
// the disassembler.
#define KILN_LAYOUT(Family, ...)                                          \
  struct Family {                                                         \
    enum Operand : uint32_t { __VA_ARGS__, kOperands };                   \
    static constexpr uint32_t kWords = kHandlerWords + kOperands;         \
    static constexpr const char* kNames = #__VA_ARGS__;                   \
    static constexpr uint32_t at(Operand operand) { return word(operand); } \
  };

// The generic layout of instructions with a fixed signature: destination,
// then the operands in stack order.
KILN_LAYOUT(Unary, dst, a)
KILN_LAYOUT(Binary, dst, a, b)
// Two ALU operations of pairs.def: dst = (a OP1 b) OP2 c.
KILN_LAYOUT(Pair, dst, a, b, c)
// Loads and stores of memory 0 (32-bit, guarded): the offset is the memarg's.
KILN_LAYOUT(Load, dst, addr, offset)
KILN_LAYOUT(Store, addr, value, offset)
// A load with an added address: s = a + b (stored); dst = load(s + offset).
KILN_LAYOUT(LoadAdd, dst, a, b, s, offset)
// Array indexing: s = (i << k) + base (stored); dst = load(s + offset).
KILN_LAYOUT(LoadScaled, dst, i, k, base, s, offset)
// A copy of one slot (Copy64, Copy128).
KILN_LAYOUT(Copy, dst, src)
// Branch by rel if cond is non-zero (BrIfNz) or zero (BrIfZ).
KILN_LAYOUT(BrIf, cond, rel)
KILN_LAYOUT(Return64, src)
KILN_LAYOUT(Select, dst, a, b, cond)
// A load feeding an ALU op: dst = load(p + offset) OP x.
KILN_LAYOUT(LoadOp, dst, p, x, offset)
// An ALU op whose result is stored: store(p + offset, a OP b).
KILN_LAYOUT(OpStore, p, a, b, offset)
// A store with an added address: s = a + b (stored before the value is
// read); store(s + offset, value).
KILN_LAYOUT(StoreAdd, a, b, s, value, offset)
// Read-modify-writes: c[p] += x; c[p] += a * b; c[p] += k * x[xa + xb]
// (xs = xa + xb stored); the same after p = pa + pb (p stored too).
KILN_LAYOUT(Rmw, p, x, offset)
KILN_LAYOUT(MulAddRmw, p, a, b, offset)
KILN_LAYOUT(AxpyRmw, p, xa, xb, xs, k, xoffset, offset)
KILN_LAYOUT(AxpyIndexedRmw, pa, pb, p, xa, xb, xs, k, xoffset, offset)
// An indexed load feeding an ALU op: s = a + b (stored); dst = load(s + offset) OP x.
KILN_LAYOUT(LoadIndexedOp, dst, a, b, s, x, offset)
// s = a + b; jump by rel if (s OP c).
KILN_LAYOUT(AddBr, a, b, s, c, rel)
// A loop's or a call's hotness counter (two words) and the loop's offset.
KILN_LAYOUT(HotnessCount, counter_lo, counter_hi, loop_offset)
KILN_LAYOUT(Br, rel)
// A compare-and-branch: jump by rel if (a OP b), or if !(a OP b) (BrF32NotLt...).
KILN_LAYOUT(BrCompare, a, b, rel)
// Followed by count + 1 relative targets.
KILN_LAYOUT(BrTable, index, count)
// br_table on a[i]: s = (i << k) + base; index = load(s + offset);
// followed by count + 1 relative targets.
KILN_LAYOUT(BrTableLoadScaled, i, k, base, s, index, offset, count)

#undef KILN_LAYOUT

// Instructions merged by the last passes run over the words of several: the
// second axpy's operands (pair_axpys) and the loop's add-and-branch
// (loop_axpys), numbered as operands of the first instruction (W(k)).
constexpr uint32_t second_axpy(AxpyIndexedRmw::Operand operand) { return AxpyIndexedRmw::kWords + operand; }
constexpr uint32_t loop_branch(AddBr::Operand operand) { return 2 * AxpyIndexedRmw::kWords + operand; }

// What code relies on across families.
static_assert(Unary::dst == 0 && Binary::dst == 0 && Pair::dst == 0 && Load::dst == 0 && LoadAdd::dst == 0 &&
                  LoadScaled::dst == 0 && Copy::dst == 0 && Select::dst == 0,
              "producers write operand 0 (SET_DST; use_accumulator reads it there)");
// AXPY (interpreter.cpp) reads the axpy operands from xa on, in this order.
static_assert(AxpyRmw::offset - AxpyRmw::xa == 5 && AxpyIndexedRmw::offset - AxpyIndexedRmw::xa == 5 &&
              AxpyRmw::xb - AxpyRmw::xa == AxpyIndexedRmw::xb - AxpyIndexedRmw::xa &&
              AxpyRmw::xs - AxpyRmw::xa == AxpyIndexedRmw::xs - AxpyIndexedRmw::xa &&
              AxpyRmw::k - AxpyRmw::xa == AxpyIndexedRmw::k - AxpyIndexedRmw::xa &&
              AxpyRmw::xoffset - AxpyRmw::xa == AxpyIndexedRmw::xoffset - AxpyIndexedRmw::xa);
// SCALED_ADDRESS (interpreter.cpp) reads i, k, base and writes s in a row.
static_assert(LoadScaled::k == LoadScaled::i + 1 && LoadScaled::base == LoadScaled::i + 2 &&
              LoadScaled::s == LoadScaled::i + 3);

}  // namespace kiln::interp::layout
