#include "ir/opcodes.h"

#include <array>
#include <string>
#include <unordered_map>

namespace kiln::ir {
namespace {

// The natural alignment in bytes of a memory instruction, derived from its name:
// "i64.load16_s" -> 2, "v128.load8x8_s" -> 8, "f32.store" -> 4, "v128.load32_lane" -> 4.
constexpr uint32_t access_bytes_from_name(std::string_view name) {
  std::string_view type = name.substr(0, name.find('.'));
  for (std::string_view access : {"load", "store", "rmw", "wait"}) {
    size_t at = name.find(access, type.size());
    if (at == std::string_view::npos) continue;
    size_t i = at + access.size();
    uint32_t bits = 0, count = 1;
    while (i < name.size() && name[i] >= '0' && name[i] <= '9') bits = bits * 10 + (name[i++] - '0');
    if (bits != 0 && i < name.size() && name[i] == 'x') {
      count = 0;
      ++i;
      while (i < name.size() && name[i] >= '0' && name[i] <= '9') count = count * 10 + (name[i++] - '0');
    }
    if (bits != 0) return bits * count / 8;
    break;
  }
  if (type == "i64" || type == "f64") return 8;
  if (type == "v128") return 16;
  return 4;
}

constexpr uint8_t alignment_log2(ImmKind imm, std::string_view name) {
  if (imm != ImmKind::MemArg && imm != ImmKind::MemArgLane) return 0;
  uint32_t bytes = access_bytes_from_name(name);
  uint8_t log2 = 0;
  while ((1u << log2) < bytes) ++log2;
  return log2;
}

// Index tables from an encoding to the opcode, kNoOpcode where there is none.
template <size_t N>
constexpr std::array<uint16_t, N> encoding_table(uint8_t prefix) {
  std::array<uint16_t, N> table{};
  for (uint16_t& entry : table) entry = detail::kNoOpcode;
#define OP(name, op_prefix, code, text, imm, sig) \
  if (op_prefix == prefix && (code) < N) table[code] = static_cast<uint16_t>(Opcode::name);
#include "ir/opcodes.def"
#undef OP
  return table;
}

// Every prefixed code must fit its table.
#define OP(name, prefix, code, text, imm, sig)                                                            \
  static_assert((prefix) == 0 ? (code) < 256 : (prefix) == 0xfc ? (code) < detail::kMiscCodes            \
                                                                 : (code) < detail::kSimdCodes,            \
                "opcode " text " outside the lookup tables of opcodes.h");
#include "ir/opcodes.def"
#undef OP

struct NameTable {
  std::unordered_map<std::string_view, Opcode> by_name;
  NameTable() {
    for (const OpInfo& info : detail::kOpInfo) by_name.emplace(info.name, info.opcode);  // first row wins: "select" -> Select
  }
};

}  // namespace

namespace detail {

const OpInfo kOpInfo[kOpcodeCount] = {
#define OP(name, prefix, code, text, imm, sig) \
  {Opcode::name, prefix, code, text, ImmKind::imm, Sig::sig, alignment_log2(ImmKind::imm, text)},
#include "ir/opcodes.def"
#undef OP
};

const std::array<uint16_t, 256> kSingleByteOpcodes = encoding_table<256>(0);
const std::array<uint16_t, kMiscCodes> kMiscOpcodes = encoding_table<kMiscCodes>(0xfc);
const std::array<uint16_t, kSimdCodes> kSimdOpcodes = encoding_table<kSimdCodes>(0xfd);


}  // namespace detail

namespace {

enum class Feature : uint8_t { ExceptionHandling, TypedFunctionReferences, Gc, Threads, RelaxedSimd };

struct UnsupportedOp {
  uint8_t prefix;
  uint32_t code;
  std::string_view name;
  Feature feature;
};

constexpr UnsupportedOp kUnsupported[] = {
#define UNSUPPORTED(prefix, code, text, feature) {prefix, code, text, Feature::feature},
#include "ir/unsupported.def"
#undef UNSUPPORTED
};

std::string_view feature_name(Feature feature) {
  switch (feature) {
    case Feature::ExceptionHandling: return "exception handling";
    case Feature::TypedFunctionReferences: return "typed function references";
    case Feature::Gc: return "GC";
    case Feature::Threads: return "threads";
    case Feature::RelaxedSimd: return "relaxed SIMD";
  }
  return "a WebAssembly 3.0 feature";
}

bool enabled(Feature feature, const Features& features) {
  switch (feature) {
    case Feature::ExceptionHandling: return features.exceptions;
    case Feature::TypedFunctionReferences: return features.typed_function_references;
    case Feature::Gc: return features.gc;
    case Feature::Threads: return features.threads;
    case Feature::RelaxedSimd: return features.relaxed_simd;
  }
  return false;
}

std::string unsupported_message(const UnsupportedOp& op) {
  return std::string(feature_name(op.feature)) + " (the " + std::string(op.name) +
         " instruction) is not supported yet";
}

}  // namespace

std::optional<std::string> unsupported_instruction(uint8_t prefix, uint32_t code, const Features& features) {
  for (const UnsupportedOp& op : kUnsupported)
    if (op.prefix == prefix && op.code == code && enabled(op.feature, features)) return unsupported_message(op);
  return std::nullopt;
}

std::optional<std::string> unsupported_instruction(std::string_view name, const Features& features) {
  for (const UnsupportedOp& op : kUnsupported)
    if (op.name == name && enabled(op.feature, features)) return unsupported_message(op);
  return std::nullopt;
}

bool opcode_from_name(std::string_view name, Opcode* out) {
  static const NameTable table;
  auto it = table.by_name.find(name);
  if (it == table.by_name.end()) return false;
  *out = it->second;
  return true;
}

}  // namespace kiln::ir
