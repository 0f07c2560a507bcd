// The instruction table (expanded from opcodes.def) and lookups over it.
#pragma once

#include <array>
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
  uint8_t align_log2;  // memory instructions: natural alignment (log2 of the access size)
};

// The stack effect of a fixed signature: parameter and result type letters
// (i l f d v a) as short strings, e.g. {"ii", "i"}.
struct SigShape {
  std::string_view params;
  std::string_view results;
};

namespace detail {
// The table and its encoding lookups, built at compile time from opcodes.def
// (opcodes.cpp), so that decoding an opcode is one indexed load.
inline constexpr uint16_t kNoOpcode = 0xffff;
extern const OpInfo kOpInfo[kOpcodeCount];
inline constexpr uint32_t kMiscCodes = 0x20;    // 0xFC prefix: codes below this
inline constexpr uint32_t kSimdCodes = 0x100;   // 0xFD prefix
extern const std::array<uint16_t, 256> kSingleByteOpcodes;
extern const std::array<uint16_t, kMiscCodes> kMiscOpcodes;
extern const std::array<uint16_t, kSimdCodes> kSimdOpcodes;
inline constexpr SigShape kSigShapes[] = {
#define SHAPE(name, params, results) {params, results},
    SHAPE(Special, "", "")
    SHAPE(a_i, "a", "i") SHAPE(a_l, "a", "l") SHAPE(a_f, "a", "f") SHAPE(a_d, "a", "d")
    SHAPE(a_v, "a", "v") SHAPE(ai_, "ai", "") SHAPE(al_, "al", "") SHAPE(af_, "af", "")
    SHAPE(ad_, "ad", "") SHAPE(av_, "av", "") SHAPE(av_v, "av", "v") SHAPE(_a, "", "a")
    SHAPE(a_a, "a", "a")
    SHAPE(_i, "", "i") SHAPE(_l, "", "l") SHAPE(_f, "", "f") SHAPE(_d, "", "d") SHAPE(_v, "", "v")
    SHAPE(i_i, "i", "i") SHAPE(ii_i, "ii", "i") SHAPE(l_i, "l", "i") SHAPE(ll_i, "ll", "i")
    SHAPE(ff_i, "ff", "i") SHAPE(dd_i, "dd", "i") SHAPE(l_l, "l", "l") SHAPE(ll_l, "ll", "l")
    SHAPE(f_f, "f", "f") SHAPE(ff_f, "ff", "f") SHAPE(d_d, "d", "d") SHAPE(dd_d, "dd", "d")
    SHAPE(f_i, "f", "i") SHAPE(d_i, "d", "i") SHAPE(i_l, "i", "l") SHAPE(f_l, "f", "l")
    SHAPE(d_l, "d", "l") SHAPE(i_f, "i", "f") SHAPE(l_f, "l", "f") SHAPE(d_f, "d", "f")
    SHAPE(i_d, "i", "d") SHAPE(l_d, "l", "d") SHAPE(f_d, "f", "d")
    SHAPE(v_v, "v", "v") SHAPE(vv_v, "vv", "v") SHAPE(vvv_v, "vvv", "v") SHAPE(v_i, "v", "i")
    SHAPE(v_l, "v", "l") SHAPE(v_f, "v", "f") SHAPE(v_d, "v", "d") SHAPE(i_v, "i", "v")
    SHAPE(l_v, "l", "v") SHAPE(f_v, "f", "v") SHAPE(d_v, "d", "v") SHAPE(vi_v, "vi", "v")
    SHAPE(vl_v, "vl", "v") SHAPE(vf_v, "vf", "v") SHAPE(vd_v, "vd", "v")
#undef SHAPE
};
// The shapes above are in the order of Sig.
static_assert(sizeof(kSigShapes) / sizeof(kSigShapes[0]) == static_cast<size_t>(Sig::vd_v) + 1);
inline bool found(uint16_t index, Opcode* out) {
  if (index == kNoOpcode) return false;
  *out = static_cast<Opcode>(index);
  return true;
}
}  // namespace detail

inline const OpInfo& op_info(Opcode op) { return detail::kOpInfo[static_cast<size_t>(op)]; }
inline std::string_view op_name(Opcode op) { return op_info(op).name; }

// Looks up an opcode by its encoding; false if there is none.
inline bool opcode_from_byte(uint8_t byte, Opcode* out) { return detail::found(detail::kSingleByteOpcodes[byte], out); }
inline bool opcode_from_prefixed(uint8_t prefix, uint32_t code, Opcode* out) {
  if (prefix == 0xfc && code < detail::kMiscCodes) return detail::found(detail::kMiscOpcodes[code], out);
  if (prefix == 0xfd && code < detail::kSimdCodes) return detail::found(detail::kSimdOpcodes[code], out);
  return false;
}
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
inline uint32_t natural_alignment_log2(Opcode op) { return op_info(op).align_log2; }

inline SigShape sig_shape(Sig sig) { return detail::kSigShapes[static_cast<size_t>(sig)]; }
// The type a signature letter stands for; 'a' is `address` (the memory's index type).
inline ValType sig_letter_type(char letter, ValType address) {
  switch (letter) {
    case 'i': return ValType::i32();
    case 'l': return ValType::i64();
    case 'f': return ValType::f32();
    case 'd': return ValType::f64();
    case 'v': return ValType::v128();
    default: return address;  // 'a'
  }
}

}  // namespace kiln::ir
