// Decoding one instruction and its immediates: the primitive under every body walk.
//
// The validator, the interpreter's translator and the constant-expression evaluator
// all read code through read_instruction(), driven by the opcode table's immediate
// kinds, so they can never disagree about what the bytes mean.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "base/reader.h"
#include "ir/features.h"
#include "ir/opcodes.h"
#include "ir/types.h"

namespace kiln::ir {
struct Module;
}

namespace kiln::binary {

struct MemArg {
  uint32_t align_log2 = 0;
  uint32_t memory = 0;
  uint64_t offset = 0;
};

struct BlockType {
  enum class Kind : uint8_t { Empty, Value, Index };
  Kind kind = Kind::Empty;
  ir::ValType value;    // Kind::Value
  uint32_t index = 0;   // Kind::Index: a function type index
};

struct Instruction {
  ir::Opcode op = ir::Opcode::Nop;
  uint32_t offset = 0;   // byte offset of the opcode in the module
  // Generic index immediates: label, func, local, global, table, type, data, elem,
  // memory. For two-index forms (call_indirect: type, table; memory.init: data,
  // memory; table.init: elem, table; table.copy and memory.copy: dst, src) the
  // second is in index2.
  uint32_t index = 0;
  uint32_t index2 = 0;
  uint8_t lane = 0;
  MemArg memarg;
  BlockType block;
  ir::ValType ref_type;       // ref.null: the (nullable) reference type
  uint64_t bits = 0;          // i32/i64 (sign-extended to 64) and f32/f64 raw bits
  ir::V128 v128;              // v128.const bytes or i8x16.shuffle lanes
  std::span<const uint32_t> targets;        // br_table: labels, default last
  std::span<const ir::ValType> select_types;  // select t*
};

// Reusable storage for variable-length immediates, so decoding does not allocate
// per instruction.
struct InstructionScratch {
  std::vector<uint32_t> targets;
  std::vector<ir::ValType> types;
};

// Reads one instruction at the reader's position. On malformed input the reader's
// sticky error is set and false is returned.
bool read_instruction(ByteReader& reader, Instruction& out, InstructionScratch& scratch,
                      const ir::Features& features);

// read_instruction with the most frequent cases inline: a one-byte opcode with
// no immediate, or with one index or i32 constant that fits in one LEB byte
// (local.get 3, i32.const 1, br_if 0). The result is exactly read_instruction's;
// the body walk calls this, everything else the out-of-line function.
inline bool read_instruction_fast(ByteReader& r, Instruction& out, InstructionScratch& scratch,
                                  const ir::Features& features) {
  const uint8_t* p = r.position();
  if (r.remaining() >= 2) {
    uint16_t index = ir::detail::kSingleByteOpcodes[p[0]];
    if (index != ir::detail::kNoOpcode) {
      switch (ir::detail::kOpInfo[index].imm) {
        case ir::ImmKind::None:
          out.offset = static_cast<uint32_t>(r.offset());
          out.op = static_cast<ir::Opcode>(index);
          r.advance(1);
          return true;
        case ir::ImmKind::Local:
        case ir::ImmKind::Global:
        case ir::ImmKind::Label:
          if (p[1] >= 0x80) break;
          out.offset = static_cast<uint32_t>(r.offset());
          out.op = static_cast<ir::Opcode>(index);
          out.index = p[1];
          r.advance(2);
          return true;
        case ir::ImmKind::I32:
          if (p[1] >= 0x80) break;
          out.offset = static_cast<uint32_t>(r.offset());
          out.op = static_cast<ir::Opcode>(index);
          out.bits = static_cast<uint64_t>(static_cast<int64_t>(static_cast<int8_t>(p[1] << 1) >> 1));
          r.advance(2);
          return true;
        default:
          break;
      }
    }
  }
  return read_instruction(r, out, scratch, features);
}

// The offset of the last memory access (an instruction with a memarg) at or
// before `offset` in the body of defined function `defined_index` of `module`,
// if any: what a fault in native code is traced to (native/tier.cpp).
std::optional<uint32_t> last_memory_access(const ir::Module& module, uint32_t defined_index, uint32_t offset,
                                           const ir::Features& features);

// Value and heap type encodings.
bool read_val_type(ByteReader& reader, ir::ValType& out);
bool read_ref_type(ByteReader& reader, ir::ValType& out);
bool read_heap_type(ByteReader& reader, ir::ValType& out);  // fills heap/index, nullable=true

}  // namespace kiln::binary
