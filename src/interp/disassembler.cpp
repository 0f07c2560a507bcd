#include "interp/disassembler.h"

#include <cstdio>
#include <cstring>

#include "interp/accumulator.def"
#include "interp/handlers.h"
#include "interp/layouts.h"
#include "interp/translator.h"

namespace kiln::interp {
namespace {

// The names of handler h's operands, "dst, a, b" (layouts.h), for the
// handlers whose family has a layout there; null for the others, whose
// operands are listed as bare words.
const char* operand_names(Handler h) {
  using namespace layout;
  switch (h) {
#define PLAIN(name, sig) \
  case Handler::name:    \
    return KILN_SEMANTIC(name)::arity == 1 ? Unary::kNames : Binary::kNames;
#define OP(name, prefix, code, text, imm, sig) KILN_PLAIN_ROW(PLAIN, name, prefix, code, text, imm, sig)
#include "ir/opcodes.def"
#undef OP
#undef PLAIN
#define ALU(T, op) case Handler::T##op##AccA: case Handler::T##op##AccB:
    KILN_ACC_ALU(ALU)
#undef ALU
#define VALUE_COMPARE(name) case Handler::name##AccA: case Handler::name##AccB:
    KILN_ACC_VALUE_COMPARE(VALUE_COMPARE)
#undef VALUE_COMPARE
    return Binary::kNames;
#define UNARY(name) case Handler::name##Acc:
    KILN_ACC_UNARY(UNARY)
#undef UNARY
#define GUARDED(name, F, I) case Handler::name: case Handler::name##Acc:
    KILN_ACC_GUARDED(GUARDED)
#undef GUARDED
    return Unary::kNames;
#define COMPARE(name, op) case Handler::name: case Handler::name##AccA: case Handler::name##AccB:
    KILN_ACC_COMPARE(COMPARE)
#undef COMPARE
    return BrCompare::kNames;
#define LOAD(name, M, R) case Handler::name: case Handler::name##Acc:
    KILN_ACC_LOAD(LOAD)
#undef LOAD
    return Load::kNames;
#define STORE(name, V, M) case Handler::name: case Handler::name##AccAddr: case Handler::name##AccValue:
    KILN_ACC_STORE(STORE)
#undef STORE
    return Store::kNames;
#define STORE_ADD(name, V, M) case Handler::name: case Handler::name##AccValue:
    KILN_ACC_STORE_ADD(STORE_ADD)
#undef STORE_ADD
    return StoreAdd::kNames;
#define OP_STORE(name, T, M, expr) case Handler::name: case Handler::name##AccA: case Handler::name##AccB:
    KILN_ACC_OP_STORE(OP_STORE)
#undef OP_STORE
    return OpStore::kNames;
#define PAIR(T, a, b) case Handler::T##a##b: case Handler::T##a##b##AccA: case Handler::T##a##b##AccC:
    KILN_ACC_PAIRS(PAIR)
#undef PAIR
    return Pair::kNames;
#define LOAD_ADD(name, M, R) case Handler::name: case Handler::name##AccA: case Handler::name##AccB:
    KILN_ACC_LOAD_ADD(LOAD_ADD)
#undef LOAD_ADD
    return LoadAdd::kNames;
    case Handler::I32AddLoad: case Handler::I32SubLoadL: case Handler::I32SubLoadR: case Handler::I32AndLoad:
    case Handler::I32OrLoad: case Handler::I32XorLoad: case Handler::I32MulLoad: case Handler::I64AddLoad:
    case Handler::I64XorLoad: case Handler::F32AddLoad: case Handler::F32MulLoad: case Handler::F64AddLoad:
    case Handler::F64SubLoadL: case Handler::F64SubLoadR: case Handler::F64MulLoad: case Handler::F64DivLoadL:
    case Handler::F64DivLoadR:
      return LoadOp::kNames;
    case Handler::BrF32Eq: case Handler::BrF32Ne: case Handler::BrF32Lt: case Handler::BrF32Gt:
    case Handler::BrF32Le: case Handler::BrF32Ge: case Handler::BrF64Eq: case Handler::BrF64Ne:
    case Handler::BrF64Lt: case Handler::BrF64Gt: case Handler::BrF64Le: case Handler::BrF64Ge:
    case Handler::BrF32NotEq: case Handler::BrF32NotNe: case Handler::BrF32NotLt: case Handler::BrF32NotGt:
    case Handler::BrF32NotLe: case Handler::BrF32NotGe: case Handler::BrF64NotEq: case Handler::BrF64NotNe:
    case Handler::BrF64NotLt: case Handler::BrF64NotGt: case Handler::BrF64NotLe: case Handler::BrF64NotGe:
      return BrCompare::kNames;
    // A then form has its first instruction's words.
#define THEN(first, next) \
  case Handler::first##Then##next: \
    return operand_names(Handler::first);
    KILN_THEN(THEN)
#undef THEN
    case Handler::F32AxpyIndexedRmw: case Handler::F64AxpyIndexedRmw:
      return AxpyIndexedRmw::kNames;
    case Handler::F32AxpyRmw: case Handler::F64AxpyRmw:
      return AxpyRmw::kNames;
    case Handler::I32AddRmw: case Handler::I64AddRmw: case Handler::F32AddRmw: case Handler::F64AddRmw:
      return Rmw::kNames;
    case Handler::F32MulAddRmw: case Handler::F64MulAddRmw:
      return MulAddRmw::kNames;
    case Handler::I32AddLoadIndexed: case Handler::F32AddLoadIndexed: case Handler::F32MulLoadIndexed:
    case Handler::F64AddLoadIndexed: case Handler::F64SubLoadIndexedL: case Handler::F64SubLoadIndexedR:
    case Handler::F64MulLoadIndexed:
      return LoadIndexedOp::kNames;
    case Handler::F32ConvertLoad8U: case Handler::F64ConvertLoad8U:
      return Load::kNames;
    case Handler::F32ConvertLoad8UAdd: case Handler::F64ConvertLoad8UAdd:
      return LoadAdd::kNames;
    case Handler::AddBrI32Eq: case Handler::AddBrI32Ne: case Handler::AddBrI32LtS: case Handler::AddBrI32LtU:
    case Handler::AddBrI32GtS: case Handler::AddBrI32GtU: case Handler::AddBrI32LeS: case Handler::AddBrI32LeU:
    case Handler::AddBrI32GeS: case Handler::AddBrI32GeU:
      return AddBr::kNames;
    case Handler::I32LoadScaled: case Handler::I64LoadScaled: case Handler::F64LoadScaled:
    case Handler::I32Load16SScaled:
      return LoadScaled::kNames;
    case Handler::Copy64: case Handler::Copy64Acc: case Handler::Copy128:
      return Copy::kNames;
    case Handler::BrIfNz: case Handler::BrIfZ: case Handler::BrIfNzAcc: case Handler::BrIfZAcc:
      return BrIf::kNames;
    case Handler::Return64: case Handler::Return64Acc:
      return Return64::kNames;
    case Handler::Select64: case Handler::Select64Acc:
      return Select::kNames;
    case Handler::Br: return Br::kNames;
    case Handler::BrTable: return BrTable::kNames;
    case Handler::BrTableLoadScaled: return BrTableLoadScaled::kNames;
    case Handler::HotnessCount: return HotnessCount::kNames;
    default: return nullptr;
  }
}

// Operand words as "name=value" while `names` ("dst, a, b") lasts, then bare.
std::string operands(const uint32_t* words, uint32_t count, const char* names) {
  std::string out;
  std::string_view rest = names ? names : "";
  for (uint32_t w = 0; w < count; ++w) {
    out += ' ';
    if (!rest.empty()) {
      size_t comma = rest.find(',');
      out += rest.substr(0, comma);
      out += '=';
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
      while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    }
    out += std::to_string(static_cast<int32_t>(words[w]));
  }
  return out;
}

}  // namespace

std::string disassemble(const Code& code) {
  std::string out;
  char line[96];
  std::snprintf(line, sizeof line, "  ; frame %u bytes, params %u, init %zu, results %u\n", code.frame_size,
                code.params_size, code.init.size(), code.results_size);
  out += line;
  for (size_t i = 0; i < code.offsets.size(); ++i) {
    uint32_t start = code.offsets[i].first;
    uint32_t end = i + 1 < code.offsets.size() ? code.offsets[i + 1].first : static_cast<uint32_t>(code.words.size());
    std::optional<Handler> handler = handler_of(code.words.data() + start);
    std::snprintf(line, sizeof line, "  %5u  @%-6x %-22s", start, code.offsets[i].second,
                  handler ? handler_name(*handler) : "?");
    out += line;
    uint32_t first = start + layout::kHandlerWords;
    if (first < end) out += operands(code.words.data() + first, end - first, handler ? operand_names(*handler) : nullptr);
    out += "\n";
  }
  return out;
}

std::string disassemble_functions(const runtime::Module& module, std::optional<uint32_t> only) {
  const ir::Module& m = module.ir();
  std::string out;
  for (uint32_t f = m.num_imported_funcs; f < m.num_funcs(); ++f) {
    if (only && *only != f) continue;
    std::string name = m.function_name(f);
    out += "\nfunc " + std::to_string(f) + (name.empty() ? "" : " $" + name) + " " + ir::to_string(m.func_type(f)) + "\n";
    Expected<std::unique_ptr<Code>> code = translate_function(module, f);
    out += code ? disassemble(**code) : "  ; not translated: " + code.error().to_string() + "\n";
  }
  return out;
}

}  // namespace kiln::interp
