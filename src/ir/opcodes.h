// The instruction table (expanded from opcodes.def) and lookups over it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ir/features.h"
#include "ir/types.h"

namespace kiln::ir {

enum class Opcode : uint16_t {
#define OP(name, prefix, code, text, imm, sig) name,
#include "ir/opcodes.def"
#undef OP
};

inline constexpr uint32_t kOpcodeCount = 0
#define OP(name, prefix, code, text, imm, sig) +1
#include "ir/opcodes.def"
#undef OP
    ;

// How an instruction's immediates are encoded after the opcode.
enum class ImmKind : uint8_t {
  None,
  BlockType,     // blocktype (empty, value type, or s33 type index)
  Label,         // labelidx
  BrTable,       // vec(labelidx) labelidx
  Func,          // funcidx
  CallIndirect,  // typeidx tableidx
  SelectTypes,   // vec(valtype)
  Local,         // localidx
  Global,        // globalidx
  Table,         // tableidx
  Memory,        // memidx (a zero byte in 2.0)
  MemArg,        // align offset (with a memidx when bit 6 of align is set)
  MemArgLane,    // memarg laneidx
  I32,           // sleb32
  I64,           // sleb64
  F32,           // 4 bytes
  F64,           // 8 bytes
  V128,          // 16 bytes
  Shuffle,       // 16 lane bytes
  Lane,          // one lane byte
  HeapType,      // heap type (ref.null)
  Data,          // dataidx
  Elem,          // elemidx
  MemoryInit,    // dataidx memidx
  MemoryCopy,    // memidx memidx
  TableInit,     // elemidx tableidx
  TableCopy,     // tableidx tableidx
};

// Fixed stack effects, named params_results (see opcodes.def).
enum class Sig : uint8_t {
  Special,
  a_i, a_l, a_f, a_d, a_v, ai_, al_, af_, ad_, av_, av_v, _a, a_a,
  _i, _l, _f, _d, _v,
  i_i, ii_i, l_i, ll_i, ff_i, dd_i, l_l, ll_l, f_f, ff_f, d_d, dd_d,
  f_i, d_i, i_l, f_l, d_l, i_f, l_f, d_f, i_d, l_d, f_d,
  v_v, vv_v, vvv_v, v_i, v_l, v_f, v_d, i_v, l_v, f_v, d_v, vi_v, vl_v, vf_v, vd_v,
};

struct OpInfo {
  Opcode opcode;
  uint8_t prefix;   // 0 for single-byte opcodes
  uint32_t code;
  std::string_view name;
  ImmKind imm;
  Sig sig;
};

const OpInfo& op_info(Opcode op);
inline std::string_view op_name(Opcode op) { return op_info(op).name; }

// Looks up an opcode by its encoding; false if there is none.
bool opcode_from_byte(uint8_t byte, Opcode* out);
bool opcode_from_prefixed(uint8_t prefix, uint32_t code, Opcode* out);
// Looks up an opcode by its text name ("i32.add"); for "select" returns Select.
bool opcode_from_name(std::string_view name, Opcode* out);

// For an instruction of unsupported.def (3.0 or threads, not implemented yet)
// whose proposal `features` enables: "threads (the i32.atomic.load instruction)
// is not supported yet"; nullopt for any other encoding or name. Callers ask
// only after opcodes.def has no match.
std::optional<std::string> unsupported_instruction(uint8_t prefix, uint32_t code, const Features& features);
std::optional<std::string> unsupported_instruction(std::string_view name, const Features& features);

// Natural alignment (log2 of the access size in bytes) of a memory instruction,
// derived from its name: "i64.load16_s" -> 1, "v128.load8x8_s" -> 3.
uint32_t natural_alignment_log2(Opcode op);

// The stack effect of a fixed signature: parameter and result type letters
// (i l f d v a) as short strings, e.g. {"ii", "i"}.
struct SigShape {
  std::string_view params;
  std::string_view results;
};
SigShape sig_shape(Sig sig);
// The type a signature letter stands for; 'a' is `address` (the memory's index type).
ValType sig_letter_type(char letter, ValType address);

}  // namespace kiln::ir
