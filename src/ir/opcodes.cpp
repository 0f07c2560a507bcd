#include "ir/opcodes.h"

#include <array>
#include <string>
#include <unordered_map>

namespace kiln::ir {
namespace {

constexpr OpInfo kOps[] = {
#define OP(name, prefix, code, text, imm, sig) \
  {Opcode::name, prefix, code, text, ImmKind::imm, Sig::sig},
#include "ir/opcodes.def"
#undef OP
};

struct Tables {
  std::array<int16_t, 256> single;            // byte -> index into kOps, or -1
  std::unordered_map<uint64_t, Opcode> prefixed;
  std::unordered_map<std::string_view, Opcode> by_name;

  Tables() {
    single.fill(-1);
    for (const OpInfo& info : kOps) {
      if (info.prefix == 0) {
        single[info.code] = static_cast<int16_t>(info.opcode);
      } else {
        prefixed.emplace((uint64_t{info.prefix} << 32) | info.code, info.opcode);
      }
      by_name.emplace(info.name, info.opcode);  // first row wins: "select" -> Select
    }
  }
};

const Tables& tables() {
  static const Tables instance;
  return instance;
}

// The natural alignment in bytes of a memory instruction, derived from its name:
// "i64.load16_s" -> 2, "v128.load8x8_s" -> 8, "f32.store" -> 4, "v128.load32_lane" -> 4.
uint32_t access_bytes_from_name(std::string_view name) {
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

}  // namespace

uint32_t natural_alignment_log2(Opcode op) {
  static const std::array<uint8_t, kOpcodeCount> table = [] {
    std::array<uint8_t, kOpcodeCount> t{};
    for (const OpInfo& info : kOps) {
      if (info.imm != ImmKind::MemArg && info.imm != ImmKind::MemArgLane) continue;
      uint32_t bytes = access_bytes_from_name(info.name);
      uint8_t log2 = 0;
      while ((1u << log2) < bytes) ++log2;
      t[static_cast<size_t>(info.opcode)] = log2;
    }
    return t;
  }();
  return table[static_cast<size_t>(op)];
}

const OpInfo& op_info(Opcode op) { return kOps[static_cast<size_t>(op)]; }

bool opcode_from_byte(uint8_t byte, Opcode* out) {
  int16_t index = tables().single[byte];
  if (index < 0) return false;
  *out = static_cast<Opcode>(index);
  return true;
}

bool opcode_from_prefixed(uint8_t prefix, uint32_t code, Opcode* out) {
  const auto& map = tables().prefixed;
  auto it = map.find((uint64_t{prefix} << 32) | code);
  if (it == map.end()) return false;
  *out = it->second;
  return true;
}

bool opcode_from_name(std::string_view name, Opcode* out) {
  const auto& map = tables().by_name;
  auto it = map.find(name);
  if (it == map.end()) return false;
  *out = it->second;
  return true;
}

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

ValType sig_letter_type(char letter, ValType address) {
  switch (letter) {
    case 'i': return ValType::i32();
    case 'l': return ValType::i64();
    case 'f': return ValType::f32();
    case 'd': return ValType::f64();
    case 'v': return ValType::v128();
    default: return address;  // 'a'
  }
}

SigShape sig_shape(Sig sig) {
  switch (sig) {
#define SHAPE(name, params, results) \
  case Sig::name: return {params, results};
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
  }
  return {"", ""};
}

}  // namespace kiln::ir
