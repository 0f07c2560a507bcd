// Instructions of the text format: plain and folded forms, structured control with
// labels, and every immediate kind of the opcode table, encoded straight to bytes.
#include "base/reader.h"
#include "text/numbers.h"
#include "text/wat_parser.h"

namespace kiln::text::detail {
namespace {

using ir::ImmKind;
using ir::Opcode;

// Folded expressions nest by recursion; deeper input is rejected instead of
// exhausting the native stack.
constexpr int kMaxFoldedDepth = 1000;

bool is_index_token(const Token& t) {
  return t.kind == TokenKind::Id ||
         (t.kind == TokenKind::Reserved && t.text[0] >= '0' && t.text[0] <= '9');
}

// Keywords of the text grammar that are not instructions (and literals that look like
// keywords): meeting one where an instruction should be is an "unexpected token".
bool is_grammar_keyword(std::string_view word) {
  static constexpr std::string_view kWords[] = {
      "module", "type", "func", "param", "result", "local", "import", "export", "table", "memory",
      "global", "elem", "data", "start", "offset", "item", "declare", "mut", "then", "rec", "sub",
      "final", "struct", "array", "field", "tag", "ref", "null", "shared", "i32", "i64", "f32",
      "f64", "v128", "funcref", "externref", "inf", "nan",
      // clauses of the legacy `try` block, like `else` of `if`
      "catch", "catch_all", "delegate"};
  for (std::string_view w : kWords)
    if (w == word) return true;
  return word == "nan:canonical" || word == "nan:arithmetic" || word.substr(0, 6) == "nan:0x";
}

Error literal_error(const Token& token, LitStatus status) {
  if (status == LitStatus::OutOfRange) return error_at(token, "constant out of range");
  if (token.kind == TokenKind::Keyword && is_grammar_keyword(token.text))
    return error_at(token, "unexpected token " + std::string(token.text));
  return error_at(token, "unknown operator " + std::string(token.text));
}

void append_opcode(const ir::OpInfo& info, Bytes* out) {
  if (info.prefix != 0) {
    out->push_back(static_cast<char>(info.prefix));
    write_uleb(*out, info.code);
  } else {
    out->push_back(static_cast<char>(info.code));
  }
}


template <class T>
void append_le(Bytes* out, T value) {
  for (size_t i = 0; i < sizeof(T); ++i) out->push_back(static_cast<char>(value >> (8 * i)));
}


}  // namespace

// ---- indices and labels ---------------------------------------------------------------

Expected<uint32_t> ModuleParser::parse_index(const IndexSpace& space) {
  const Token& t = c_.peek();
  if (t.kind == TokenKind::Id) {
    auto it = space.names.find(t.value);
    if (it == space.names.end())
      return c_.error(std::string("unknown ") + space.what + " " + std::string(t.text));
    c_.next();
    return it->second;
  }
  return parse_numeric_index();
}

// A u32 index. Numeric indices are not range-checked here: an index beyond the space
// is a validation error ("unknown function 7"), which the validator reports.
Expected<uint32_t> ModuleParser::parse_numeric_index() {
  const Token& t = c_.peek();
  if (!is_index_token(t) || t.kind == TokenKind::Id) return c_.unexpected();
  uint64_t value = 0;
  LitStatus status = parse_unsigned(t.text, 0xFFFFFFFFu, &value);
  if (status != LitStatus::Ok) return literal_error(t, status);
  c_.next();
  return static_cast<uint32_t>(value);
}

Expected<uint32_t> ModuleParser::parse_label(const BodyContext& ctx) {
  const Token& t = c_.peek();
  if (t.kind == TokenKind::Id) {
    for (size_t i = ctx.labels.size(); i-- > 0;) {
      if (ctx.labels[i] && *ctx.labels[i] == t.value) {
        c_.next();
        return static_cast<uint32_t>(ctx.labels.size() - 1 - i);
      }
    }
    return c_.error("unknown label " + std::string(t.text));
  }
  return parse_numeric_index();
}

// After `end` or `else`: an optional label that must repeat the block's own label.
Expected<void> ModuleParser::parse_end_label(const BodyContext& ctx, size_t label_index) {
  if (!c_.at(TokenKind::Id)) return {};
  const std::optional<std::string>& label = ctx.labels[label_index];
  if (!label || *label != c_.peek().value)
    return c_.error("mismatching label " + std::string(c_.peek().text));
  c_.next();
  return {};
}

// ---- instruction sequences --------------------------------------------------------------

// A sequence of plain and folded instructions up to (not including) the closing `)`.
// Plain structured instructions (block ... end) are matched here with an explicit stack.
Expected<void> ModuleParser::parse_instrs(BodyContext& ctx, Bytes* out) {
  struct Open {
    Opcode op;
    bool seen_else;
    size_t label;
  };
  std::vector<Open> open;
  for (;;) {
    const Token& t = c_.peek();
    if (t.kind == TokenKind::LParen) {
      KILN_TRY_VOID(parse_folded(ctx, out));
      continue;
    }
    if (t.kind != TokenKind::Keyword) break;
    if (t.text == "end") {
      if (open.empty()) return c_.unexpected();
      c_.next();
      KILN_TRY_VOID(parse_end_label(ctx, open.back().label));
      out->push_back('\x0b');
      ctx.labels.pop_back();
      open.pop_back();
      continue;
    }
    if (t.text == "else") {
      if (open.empty() || open.back().op != Opcode::If || open.back().seen_else)
        return c_.unexpected();
      c_.next();
      KILN_TRY_VOID(parse_end_label(ctx, open.back().label));
      out->push_back('\x05');
      open.back().seen_else = true;
      continue;
    }
    if (t.text == "block" || t.text == "loop" || t.text == "if") {
      const Opcode op = t.text == "block" ? Opcode::Block : t.text == "loop" ? Opcode::Loop : Opcode::If;
      c_.next();
      append_opcode(ir::op_info(op), out);
      std::optional<std::string> label;
      if (c_.at(TokenKind::Id)) label = c_.next().value;
      *out += KILN_TRY(parse_blocktype());
      ctx.labels.push_back(label);
      open.push_back({op, false, ctx.labels.size() - 1});
      continue;
    }
    KILN_TRY_VOID(parse_plain(ctx, c_.next(), out));
  }
  if (!open.empty()) return c_.unexpected();  // a block without its `end`
  return {};
}

// `(` instr `)` in folded form.
Expected<void> ModuleParser::parse_folded(BodyContext& ctx, Bytes* out) {
  if (++ctx.depth > kMaxFoldedDepth) return c_.error("expression nesting too deep");
  c_.next();  // (
  const Token& keyword = c_.peek();
  if (keyword.kind != TokenKind::Keyword) return c_.unexpected();
  if (keyword.text == "block" || keyword.text == "loop") {
    const Opcode op = keyword.text == "block" ? Opcode::Block : Opcode::Loop;
    c_.next();
    append_opcode(ir::op_info(op), out);
    std::optional<std::string> label;
    if (c_.at(TokenKind::Id)) label = c_.next().value;
    *out += KILN_TRY(parse_blocktype());
    ctx.labels.push_back(label);
    KILN_TRY_VOID(parse_instrs(ctx, out));
    ctx.labels.pop_back();
    out->push_back('\x0b');
  } else if (keyword.text == "if") {
    // (if label? blocktype foldedinstr* (then instr*) (else instr*)?)
    c_.next();
    std::optional<std::string> label;
    if (c_.at(TokenKind::Id)) label = c_.next().value;
    Bytes blocktype = KILN_TRY(parse_blocktype());
    while (c_.at(TokenKind::LParen) && !c_.at_lparen_keyword("then"))
      KILN_TRY_VOID(parse_folded(ctx, out));  // the condition, outside the if's label
    out->push_back('\x04');
    *out += blocktype;
    ctx.labels.push_back(label);
    KILN_TRY_VOID(c_.expect_lparen_keyword("then"));
    KILN_TRY_VOID(parse_instrs(ctx, out));
    KILN_TRY_VOID(c_.expect(TokenKind::RParen));
    if (c_.at_lparen_keyword("else")) {
      c_.next();
      c_.next();
      out->push_back('\x05');
      KILN_TRY_VOID(parse_instrs(ctx, out));
      KILN_TRY_VOID(c_.expect(TokenKind::RParen));
    }
    ctx.labels.pop_back();
    out->push_back('\x0b');
  } else {
    // (plaininstr foldedinstr*): the operands come first in the binary.
    Bytes instr;
    KILN_TRY_VOID(parse_plain(ctx, c_.next(), &instr));
    while (c_.at(TokenKind::LParen)) KILN_TRY_VOID(parse_folded(ctx, out));
    *out += instr;
  }
  --ctx.depth;
  return c_.expect(TokenKind::RParen);
}

// A plain (non-structured) instruction whose keyword has just been consumed.
Expected<void> ModuleParser::parse_plain(BodyContext& ctx, const Token& keyword, Bytes* out) {
  Opcode op;
  if (!ir::opcode_from_name(keyword.text, &op)) {
    // The text format knows no features: it names every instruction of 3.0 and
    // threads that Kiln lacks; the 2.0 rules apply when the binary is decoded.
    if (std::optional<std::string> message = ir::unsupported_instruction(keyword.text, ir::Features{});
        message && !is_grammar_keyword(keyword.text)) {
      Error error = error_at(keyword, *message);
      error.kind = ErrorKind::Unsupported;
      return error;
    }
    // Keywords of the grammar out of place are unexpected; other words are unknown.
    return error_at(keyword, std::string(is_grammar_keyword(keyword.text) ? "unexpected token "
                                                                           : "unknown operator ") +
                                 std::string(keyword.text));
  }
  switch (op) {
    case Opcode::Block: case Opcode::Loop: case Opcode::If: case Opcode::Else: case Opcode::End:
      return error_at(keyword, "unexpected token " + std::string(keyword.text));
    default:
      break;
  }
  // `select` with result types is a different opcode.
  if (op == Opcode::Select && c_.at_lparen_keyword("result")) op = Opcode::SelectT;
  const ir::OpInfo& info = ir::op_info(op);
  append_opcode(info, out);
  return parse_immediates(ctx, info, keyword, out);
}

Expected<Bytes> ModuleParser::parse_const_expr() {
  BodyContext ctx;
  Bytes out;
  KILN_TRY_VOID(parse_instrs(ctx, &out));
  out.push_back('\x0b');
  return out;
}

Expected<Bytes> ModuleParser::parse_single_folded_expr() {
  BodyContext ctx;
  Bytes out;
  if (!c_.at(TokenKind::LParen)) return c_.unexpected();
  KILN_TRY_VOID(parse_folded(ctx, &out));
  out.push_back('\x0b');
  return out;
}

// ---- immediates -----------------------------------------------------------------------

// memidx? offset=N? align=N? (and, for lane instructions, the lane index after it).
Expected<void> ModuleParser::parse_memarg(const ir::OpInfo& info, bool has_lane, Bytes* out) {
  uint32_t memory = 0;
  if (c_.at_index()) {
    // For lane instructions a lone number is the lane; a memory index needs a second
    // index-like token after the optional offset=/align=.
    bool is_memory = !has_lane;
    if (has_lane) {
      size_t ahead = 1;
      while (c_.peek(ahead).kind == TokenKind::Keyword &&
             (c_.peek(ahead).text.substr(0, 7) == "offset=" || c_.peek(ahead).text.substr(0, 6) == "align="))
        ++ahead;
      is_memory = c_.peek().kind == TokenKind::Id || is_index_token(c_.peek(ahead));
    }
    if (is_memory) memory = KILN_TRY(parse_index(memories_));
  }
  // The offset is a u64 in the text (3.0). For a 32-bit memory, an offset beyond u32 is
  // left to the binary decoder (2.0: malformed LEB) or the validator (3.0: invalid).
  uint64_t offset = 0;
  if (c_.at(TokenKind::Keyword) && c_.peek().text.substr(0, 7) == "offset=") {
    const Token& t = c_.next();
    LitStatus status = parse_unsigned(t.text.substr(7), ~uint64_t{0}, &offset);
    if (status == LitStatus::OutOfRange) return error_at(t, "offset out of range (i64 constant)");
    if (status != LitStatus::Ok) return error_at(t, "unknown operator " + std::string(t.text));
  }
  uint64_t align = uint64_t{1} << ir::natural_alignment_log2(info.opcode);
  if (c_.at(TokenKind::Keyword) && c_.peek().text.substr(0, 6) == "align=") {
    const Token& t = c_.next();
    LitStatus status = parse_unsigned(t.text.substr(6), ~uint64_t{0}, &align);
    if (status != LitStatus::Ok) return error_at(t, "unknown operator " + std::string(t.text));
    if (align == 0 || (align & (align - 1)) != 0) return error_at(t, "alignment must be a power of two");
  }
  uint32_t log2 = 0;
  while ((uint64_t{1} << log2) < align) ++log2;
  write_uleb(*out, log2 | (memory != 0 ? 0x40 : 0));
  if (memory != 0) write_uleb(*out, memory);
  write_uleb(*out, offset);
  return {};
}

// The literal-looking tokens that follow (numbers, inf, nan, nan:0x...).
std::vector<const Token*> ModuleParser::collect_literals() {
  std::vector<const Token*> tokens;
  for (;;) {
    const Token& t = c_.peek();
    const bool literal = t.kind == TokenKind::Reserved ||
                         (t.kind == TokenKind::Keyword && (t.text.substr(0, 3) == "nan" || t.text == "inf"));
    if (!literal) return tokens;
    tokens.push_back(&c_.next());
  }
}

Expected<void> ModuleParser::parse_immediates(BodyContext& ctx, const ir::OpInfo& info,
                                              const Token& keyword, Bytes* out) {
  auto literal = [&]() -> Expected<const Token*> {
    if (!c_.at_number_like()) return c_.unexpected();
    return &c_.next();
  };
  auto optional_index = [&](const IndexSpace& space) -> Expected<uint32_t> {
    if (!c_.at_index()) return 0u;
    return parse_index(space);
  };
  auto lane_byte = [&]() -> Expected<uint8_t> {
    if (!c_.at_number_like()) return c_.unexpected();
    const Token& t = c_.next();
    uint64_t value = 0;
    LitStatus status = parse_unsigned(t.text, 255, &value);
    if (status == LitStatus::OutOfRange) return error_at(t, "malformed lane index");
    if (status != LitStatus::Ok) return error_at(t, "unexpected token " + std::string(t.text));
    return static_cast<uint8_t>(value);
  };
  switch (info.imm) {
    case ImmKind::None:
      return {};
    case ImmKind::BlockType:
      return error_at(keyword, "unexpected token");
    case ImmKind::Label:
      write_uleb(*out, KILN_TRY(parse_label(ctx)));
      return {};
    case ImmKind::BrTable: {
      std::vector<uint32_t> labels;
      while (c_.at_index()) labels.push_back(KILN_TRY(parse_label(ctx)));
      if (labels.empty()) return c_.unexpected();
      write_uleb(*out, labels.size() - 1);
      for (uint32_t label : labels) write_uleb(*out, label);
      return {};
    }
    case ImmKind::Func:
      write_uleb(*out, KILN_TRY(parse_index(funcs_)));
      return {};
    case ImmKind::CallIndirect: {
      const uint32_t table = KILN_TRY(optional_index(tables_));
      Signature sig;
      write_uleb(*out, KILN_TRY(parse_typeuse(&sig, /*allow_param_names=*/false)));
      write_uleb(*out, table);
      return {};
    }
    case ImmKind::SelectTypes: {
      Signature sig;
      KILN_TRY_VOID(parse_results(&sig));
      write_uleb(*out, sig.results.size());
      for (const Bytes& type : sig.results) *out += type;
      return {};
    }
    case ImmKind::Local:
      write_uleb(*out, KILN_TRY(parse_index(ctx.locals)));
      return {};
    case ImmKind::Global:
      write_uleb(*out, KILN_TRY(parse_index(globals_)));
      return {};
    case ImmKind::Table:
      write_uleb(*out, KILN_TRY(optional_index(tables_)));
      return {};
    case ImmKind::Memory:
      write_uleb(*out, KILN_TRY(optional_index(memories_)));
      return {};
    case ImmKind::MemArg:
      return parse_memarg(info, false, out);
    case ImmKind::MemArgLane:
      KILN_TRY_VOID(parse_memarg(info, true, out));
      out->push_back(static_cast<char>(KILN_TRY(lane_byte())));
      return {};
    case ImmKind::I32:
    case ImmKind::I64: {
      const Token* t = KILN_TRY(literal());
      const bool is32 = info.imm == ImmKind::I32;
      uint64_t bits = 0;
      LitStatus status = parse_integer(t->text, is32 ? 32 : 64, &bits);
      if (status != LitStatus::Ok) return literal_error(*t, status);
      write_sleb(*out, is32 ? static_cast<int64_t>(static_cast<int32_t>(bits)) : static_cast<int64_t>(bits));
      return {};
    }
    case ImmKind::F32: {
      const Token* t = KILN_TRY(literal());
      uint32_t bits = 0;
      LitStatus status = parse_f32(t->text, &bits);
      if (status != LitStatus::Ok) return literal_error(*t, status);
      append_le(out, bits);
      return {};
    }
    case ImmKind::F64: {
      const Token* t = KILN_TRY(literal());
      uint64_t bits = 0;
      LitStatus status = parse_f64(t->text, &bits);
      if (status != LitStatus::Ok) return literal_error(*t, status);
      append_le(out, bits);
      return {};
    }
    case ImmKind::V128: {
      if (!c_.at(TokenKind::Keyword)) return c_.unexpected();
      const V128Shape* shape = find_v128_shape(c_.peek().text);
      if (!shape) return c_.error("unexpected token " + std::string(c_.peek().text));
      c_.next();
      // Count the literals first, as the reference parser does.
      const std::vector<const Token*> lanes = collect_literals();
      if (lanes.size() != shape->lanes) return error_at(keyword, "wrong number of lane literals");
      uint8_t bytes[16] = {};
      for (unsigned lane = 0; lane < shape->lanes; ++lane) {
        LitStatus status = parse_v128_lane(*shape, lanes[lane]->text, bytes + lane * shape->lane_bytes);
        if (status != LitStatus::Ok) return literal_error(*lanes[lane], status);
      }
      out->append(reinterpret_cast<const char*>(bytes), 16);
      return {};
    }
    case ImmKind::Shuffle: {
      const std::vector<const Token*> lanes = collect_literals();
      if (lanes.size() != 16) return error_at(keyword, "invalid lane length");
      for (const Token* t : lanes) {
        uint64_t value = 0;
        if (parse_unsigned(t->text, 255, &value) != LitStatus::Ok) return error_at(*t, "malformed lane index");
        out->push_back(static_cast<char>(value));
      }
      return {};
    }
    case ImmKind::Lane:
      out->push_back(static_cast<char>(KILN_TRY(lane_byte())));
      return {};
    case ImmKind::HeapType:
      *out += KILN_TRY(parse_heaptype());
      return {};
    case ImmKind::Data:
      uses_data_index_ = true;
      write_uleb(*out, KILN_TRY(parse_index(datas_)));
      return {};
    case ImmKind::Elem:
      write_uleb(*out, KILN_TRY(parse_index(elems_)));
      return {};
    case ImmKind::MemoryInit: {
      // memory.init memidx? dataidx  ->  dataidx memidx
      uses_data_index_ = true;
      uint32_t memory = 0;
      if (c_.at_index() && is_index_token(c_.peek(1))) memory = KILN_TRY(parse_index(memories_));
      write_uleb(*out, KILN_TRY(parse_index(datas_)));
      write_uleb(*out, memory);
      return {};
    }
    case ImmKind::TableInit: {
      // table.init tableidx? elemidx  ->  elemidx tableidx
      uint32_t table = 0;
      if (c_.at_index() && is_index_token(c_.peek(1))) table = KILN_TRY(parse_index(tables_));
      write_uleb(*out, KILN_TRY(parse_index(elems_)));
      write_uleb(*out, table);
      return {};
    }
    case ImmKind::MemoryCopy:
    case ImmKind::TableCopy: {
      // Both indices or neither.
      const IndexSpace& space = info.imm == ImmKind::MemoryCopy ? memories_ : tables_;
      uint32_t dst = 0, src = 0;
      if (c_.at_index()) {
        dst = KILN_TRY(parse_index(space));
        src = KILN_TRY(parse_index(space));
      }
      write_uleb(*out, dst);
      write_uleb(*out, src);
      return {};
    }
  }
  return error_at(keyword, "unsupported instruction " + std::string(keyword.text));
}

}  // namespace kiln::text::detail
