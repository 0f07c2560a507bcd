// WAST scripts: commands, actions and expected values. Modules are not parsed here:
// a text module keeps its source, so a module the text parser cannot handle fails
// only the command that uses it.
#include <cstring>

#include "text/cursor.h"
#include "text/numbers.h"
#include "text/wast.h"
#include "text/wat.h"

namespace kiln::text {
namespace {

using Kind = ScriptCommand::Kind;

// `(either ...)` may nest; deeper input is rejected rather than recursed into.
constexpr int kMaxEitherDepth = 100;

class ScriptParser {
 public:
  ScriptParser(std::string_view source, const std::vector<Token>& tokens)
      : source_(source), c_(tokens) {}

  Expected<Script> parse() {
    Script script;
    if (at_module_field()) {
      // A script may also be just the fields of one module (an "inline module").
      ScriptCommand cmd;
      cmd.kind = Kind::Module;
      cmd.line = c_.peek().line;
      cmd.module.emplace();
      cmd.module->line = 1;
      cmd.module->text = std::string(source_);
      script.commands.push_back(std::move(cmd));
      return script;
    }
    while (c_.at(TokenKind::LParen)) script.commands.push_back(KILN_TRY(command()));
    if (!c_.at(TokenKind::Eof)) return c_.unexpected();
    return script;
  }

 private:
  Expected<ScriptCommand> command() {
    ScriptCommand cmd;
    cmd.line = c_.peek().line;
    if (c_.peek(1).kind != TokenKind::Keyword) return c_.unexpected();
    const std::string_view kw = c_.peek(1).text;
    if (kw == "module") {
      if (c_.peek(2).kind == TokenKind::Keyword && c_.peek(2).text == "instance")
        return instance_command(std::move(cmd));
      cmd.kind = Kind::Module;
      cmd.module = KILN_TRY(module());
      return cmd;
    }
    if (kw == "invoke" || kw == "get") {
      cmd.kind = Kind::Action;
      cmd.action = KILN_TRY(action());
      return cmd;
    }
    c_.next();
    c_.next();
    if (kw == "register") {
      cmd.kind = Kind::Register;
      cmd.register_name = KILN_TRY(c_.expect_string());
      if (c_.at(TokenKind::Id)) cmd.register_module = module_ref(c_.next());
    } else if (kw == "assert_return") {
      cmd.kind = Kind::AssertReturn;
      cmd.action = KILN_TRY(action());
      while (c_.at(TokenKind::LParen)) cmd.expected.push_back(KILN_TRY(value(/*result=*/true)));
    } else if (kw == "assert_trap") {
      cmd.kind = Kind::AssertTrap;
      if (c_.at_lparen_keyword("module")) cmd.module = KILN_TRY(module());
      else cmd.action = KILN_TRY(action());
      cmd.message = KILN_TRY(c_.expect_string());
    } else if (kw == "assert_exhaustion") {
      cmd.kind = Kind::AssertExhaustion;
      cmd.action = KILN_TRY(action());
      cmd.message = KILN_TRY(c_.expect_string());
    } else if (kw == "assert_exception") {
      cmd.kind = Kind::AssertException;
      cmd.action = KILN_TRY(action());
    } else if (const Kind* kind = module_assertion(kw)) {
      cmd.kind = *kind;
      cmd.module = KILN_TRY(module());
      cmd.message = KILN_TRY(c_.expect_string());
    } else {
      // thread, wait, script, input, output, ...: kept as a command to skip.
      cmd.kind = Kind::Unsupported;
      cmd.message = std::string(kw);
      while (!c_.at(TokenKind::RParen)) {
        if (c_.at(TokenKind::Eof)) return c_.unexpected();
        if (c_.at(TokenKind::LParen)) KILN_TRY_VOID(c_.skip_sexpr());
        else c_.next();
      }
    }
    KILN_TRY_VOID(c_.expect(TokenKind::RParen));
    return cmd;
  }

  bool at_module_field() const {
    static constexpr std::string_view kFields[] = {"type", "rec", "import", "func", "table", "memory",
                                                   "global", "tag", "export", "start", "elem", "data"};
    if (!c_.at(TokenKind::LParen) || c_.peek(1).kind != TokenKind::Keyword) return false;
    for (std::string_view field : kFields)
      if (c_.peek(1).text == field) return true;
    return false;
  }

  static const Kind* module_assertion(std::string_view kw) {
    static const std::pair<std::string_view, Kind> kKinds[] = {
        {"assert_malformed", Kind::AssertMalformed},
        {"assert_invalid", Kind::AssertInvalid},
        {"assert_unlinkable", Kind::AssertUnlinkable},
        {"assert_uninstantiable", Kind::AssertUninstantiable},
        {"assert_malformed_custom", Kind::AssertMalformedCustom},
        {"assert_invalid_custom", Kind::AssertInvalidCustom},
    };
    for (const auto& [name, kind] : kKinds)
      if (name == kw) return &kind;
    return nullptr;
  }

  // "$M" for a module reference (quoted ids are normalized to their plain spelling).
  static std::string module_ref(const Token& id) { return "$" + id.value; }

  // (module instance $I? $M)
  Expected<ScriptCommand> instance_command(ScriptCommand cmd) {
    c_.next();
    c_.next();
    c_.next();
    cmd.kind = Kind::Instance;
    std::vector<std::string> ids;
    while (c_.at(TokenKind::Id)) ids.push_back(module_ref(c_.next()));
    if (ids.empty() || ids.size() > 2) return c_.unexpected();
    cmd.instance_module = ids.back();
    if (ids.size() == 2) cmd.instance_name = ids[0];
    KILN_TRY_VOID(c_.expect(TokenKind::RParen));
    return cmd;
  }

  // (module definition? $id? ...), (module ... binary "..."*), (module ... quote "..."*)
  Expected<ScriptModule> module() {
    ScriptModule m;
    const Token& open = c_.peek();
    m.line = open.line;
    if (!c_.at_lparen_keyword("module")) return c_.unexpected();
    c_.next();
    c_.next();
    const Token* definition = nullptr;
    if (c_.at_keyword("definition")) {
      definition = &c_.next();
      m.is_definition = true;
    }
    if (c_.at(TokenKind::Id)) m.name = module_ref(c_.next());
    if (c_.at_keyword("binary") || c_.at_keyword("quote")) {
      const bool binary = c_.next().text == "binary";
      m.form = binary ? ScriptModule::Form::Binary : ScriptModule::Form::Quote;
      std::string joined;
      while (c_.at(TokenKind::String)) joined += c_.next().value;
      if (binary) m.binary.assign(joined.begin(), joined.end());
      else m.text = std::move(joined);
      KILN_TRY_VOID(c_.expect(TokenKind::RParen));
      return m;
    }
    // A text module: keep its source, and check only that its parentheses balance.
    m.form = ScriptModule::Form::Text;
    int depth = 1;
    while (depth > 0) {
      const Token& t = c_.peek();
      if (t.kind == TokenKind::Eof) return c_.unexpected();
      if (t.kind == TokenKind::LParen) ++depth;
      if (t.kind == TokenKind::RParen) --depth;
      if (depth > 0) c_.next();
    }
    const Token& close = c_.next();
    m.text = std::string(source_.substr(open.offset, close.offset + 1 - open.offset));
    if (definition) {
      // Blank the keyword so that wat_to_wasm sees a plain module at the same positions.
      std::memset(m.text.data() + (definition->offset - open.offset), ' ', definition->text.size());
    }
    // Line numbers in wat_to_wasm messages count from the module's first line.
    return m;
  }

  // (invoke $M? "name" arg*) | (get $M? "name")
  Expected<ScriptAction> action() {
    ScriptAction a;
    a.line = c_.peek().line;
    if (c_.at_lparen_keyword("invoke")) {
      a.kind = ScriptAction::Kind::Invoke;
    } else if (c_.at_lparen_keyword("get")) {
      a.kind = ScriptAction::Kind::Get;
    } else {
      return c_.unexpected();
    }
    c_.next();
    c_.next();
    if (c_.at(TokenKind::Id)) a.module = module_ref(c_.next());
    a.field = KILN_TRY(c_.expect_string());
    if (a.kind == ScriptAction::Kind::Invoke)
      while (c_.at(TokenKind::LParen)) a.args.push_back(KILN_TRY(value(/*result=*/false)));
    KILN_TRY_VOID(c_.expect(TokenKind::RParen));
    return a;
  }

  Expected<const Token*> literal_token() {
    if (!c_.at_number_like()) return c_.unexpected();
    return &c_.next();
  }

  static Error literal_error(const Token& t, LitStatus status) {
    return error_at(t, status == LitStatus::OutOfRange ? "constant out of range"
                                                       : "malformed constant " + std::string(t.text));
  }

  // nan:canonical / nan:arithmetic, allowed in results only.
  bool nan_pattern(bool result, ScriptValue::NanPattern* pattern) {
    if (!result || !c_.at(TokenKind::Keyword)) return false;
    if (c_.peek().text == "nan:canonical") *pattern = ScriptValue::NanPattern::Canonical;
    else if (c_.peek().text == "nan:arithmetic") *pattern = ScriptValue::NanPattern::Arithmetic;
    else return false;
    c_.next();
    return true;
  }

  // A constant argument or (if `result`) an expected result.
  Expected<ScriptValue> value(bool result, int depth = 0) {
    ScriptValue v;
    if (depth > kMaxEitherDepth) return c_.error("values nested too deeply");
    KILN_TRY_VOID(c_.expect(TokenKind::LParen));
    if (!c_.at(TokenKind::Keyword)) return c_.unexpected();
    const Token& head = c_.next();
    const std::string_view kw = head.text;
    if (kw == "i32.const" || kw == "i64.const") {
      v.kind = kw == "i32.const" ? ScriptValue::Kind::I32 : ScriptValue::Kind::I64;
      const Token* t = KILN_TRY(literal_token());
      LitStatus status = parse_integer(t->text, kw == "i32.const" ? 32 : 64, &v.bits);
      if (status != LitStatus::Ok) return literal_error(*t, status);
    } else if (kw == "f32.const" || kw == "f64.const") {
      const bool is32 = kw == "f32.const";
      v.kind = is32 ? ScriptValue::Kind::F32 : ScriptValue::Kind::F64;
      if (nan_pattern(result, &v.nan)) {
        v.bits = is32 ? 0x7FC00000u : 0x7FF8000000000000u;
      } else {
        const Token* t = KILN_TRY(literal_token());
        uint32_t b32 = 0;
        LitStatus status = is32 ? parse_f32(t->text, &b32) : parse_f64(t->text, &v.bits);
        if (status != LitStatus::Ok) return literal_error(*t, status);
        if (is32) v.bits = b32;
      }
    } else if (kw == "v128.const") {
      KILN_TRY_VOID(v128_value(result, &v));
    } else if (kw == "ref.null") {
      v.kind = ScriptValue::Kind::RefNull;
      if (!c_.at(TokenKind::RParen)) {
        if (c_.at(TokenKind::LParen) || c_.at(TokenKind::String)) return c_.unexpected();
        v.heap = std::string(c_.next().text);
      }
    } else if (kw == "either" && result) {
      v.kind = ScriptValue::Kind::Either;
      while (c_.at(TokenKind::LParen)) v.alternatives.push_back(KILN_TRY(value(true, depth + 1)));
    } else if (const ScriptValue::Kind* kind = ref_kind(kw)) {
      v.kind = *kind;
      if (!c_.at(TokenKind::RParen)) {
        const Token* t = KILN_TRY(literal_token());
        LitStatus status = parse_integer(t->text, 64, &v.bits);
        if (status != LitStatus::Ok) return literal_error(*t, status);
        v.has_number = true;
      } else if (!result) {
        return c_.unexpected();  // an argument needs its number
      }
    } else {
      return error_at(head, "unexpected value " + std::string(kw));
    }
    KILN_TRY_VOID(c_.expect(TokenKind::RParen));
    return v;
  }

  static const ScriptValue::Kind* ref_kind(std::string_view kw) {
    using K = ScriptValue::Kind;
    static const std::pair<std::string_view, K> kRefs[] = {
        {"ref.extern", K::RefExtern}, {"ref.host", K::RefHost},     {"ref.func", K::RefFunc},
        {"ref.any", K::RefAny},       {"ref.eq", K::RefEq},         {"ref.i31", K::RefI31},
        {"ref.struct", K::RefStruct}, {"ref.array", K::RefArray},   {"ref.exn", K::RefExn},
    };
    for (const auto& [name, kind] : kRefs)
      if (name == kw) return &kind;
    return nullptr;
  }

  // v128.const shape lane*, with nan:canonical / nan:arithmetic lanes in results.
  Expected<void> v128_value(bool result, ScriptValue* v) {
    v->kind = ScriptValue::Kind::V128;
    if (!c_.at(TokenKind::Keyword)) return c_.unexpected();
    const V128Shape* shape = find_v128_shape(c_.peek().text);
    if (!shape) return c_.unexpected();
    v->lane_shape = std::string(c_.next().text);
    for (unsigned lane = 0; lane < shape->lanes; ++lane) {
      uint8_t* dest = v->v128.data() + lane * shape->lane_bytes;
      if (shape->is_float && lane < v->lane_nan.size() && nan_pattern(result, &v->lane_nan[lane])) {
        const uint64_t canonical = shape->lane_bytes == 4 ? 0x7FC00000u : 0x7FF8000000000000u;
        for (unsigned i = 0; i < shape->lane_bytes; ++i) dest[i] = static_cast<uint8_t>(canonical >> (8 * i));
        continue;
      }
      const Token* t = KILN_TRY(literal_token());
      LitStatus status = parse_v128_lane(*shape, t->text, dest);
      if (status != LitStatus::Ok) return literal_error(*t, status);
    }
    return {};
  }

  std::string_view source_;
  Cursor c_;
};

}  // namespace

Expected<std::vector<uint8_t>> ScriptModule::to_binary() const {
  switch (form) {
    case Form::Binary:
      return binary;
    case Form::Text:
    case Form::Quote:
      return wat_to_wasm(text);
  }
  return binary;
}

Expected<Script> parse_wast(std::string_view source) {
  std::vector<Token> tokens = KILN_TRY(tokenize(source));
  return ScriptParser(source, tokens).parse();
}

}  // namespace kiln::text
