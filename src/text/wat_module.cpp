// Module structure of the text format: the passes over module fields, each field's
// encoding into its section, and the final assembly of the binary module.
#include "base/reader.h"
#include "text/wat.h"
#include "text/wat_parser.h"

namespace kiln::text::detail {
namespace {

enum ExternKind : uint8_t { kFunc = 0, kTable = 1, kMemory = 2, kGlobal = 3, kTag = 4 };

// The binary kind of an import/export keyword (one of "func" ... "tag").
uint8_t extern_kind(std::string_view keyword) {
  return keyword == "func" ? kFunc : keyword == "table" ? kTable : keyword == "memory" ? kMemory
         : keyword == "global" ? kGlobal : kTag;
}

void append_name(Bytes* out, std::string_view name) {
  write_uleb(*out, name.size());
  out->append(name);
}

void append_section(Bytes* module, uint8_t id, const Bytes& contents) {
  module->push_back(static_cast<char>(id));
  write_uleb(*module, contents.size());
  *module += contents;
}

// A section holding `count` entries, omitted when empty.
void append_vec_section(Bytes* module, uint8_t id, uint32_t count, const Bytes& entries) {
  if (count == 0) return;
  Bytes contents;
  write_uleb(contents, count);
  contents += entries;
  append_section(module, id, contents);
}

// `(i32.const 0)` or `(i64.const 0)` as a constant expression.
Bytes zero_offset(bool is64) { return is64 ? Bytes("\x42\x00\x0b", 3) : Bytes("\x41\x00\x0b", 3); }

}  // namespace

Expected<std::vector<uint8_t>> ModuleParser::parse() {
  bool wrapped = c_.at_lparen_keyword("module");
  if (wrapped) {
    c_.next();
    c_.next();
    if (c_.at(TokenKind::Id)) module_name_ = c_.next().value;
  }
  const size_t fields_begin = c_.position();
  KILN_TRY_VOID(collect_names(fields_begin));
  KILN_TRY_VOID(parse_types(fields_begin));
  c_.seek(fields_begin);
  while (c_.at(TokenKind::LParen)) KILN_TRY_VOID(parse_field());
  if (wrapped) KILN_TRY_VOID(c_.expect(TokenKind::RParen));
  if (!c_.at(TokenKind::Eof)) return c_.unexpected();
  return assemble();
}

// The index space of an import/export kind keyword, or null for another word.
IndexSpace* ModuleParser::extern_space(std::string_view keyword) {
  if (keyword == "func") return &funcs_;
  if (keyword == "table") return &tables_;
  if (keyword == "memory") return &memories_;
  if (keyword == "global") return &globals_;
  if (keyword == "tag") return &tags_;
  return nullptr;
}

// ---- pass 1: names and indices --------------------------------------------------------

Expected<void> ModuleParser::define(IndexSpace& space) {
  if (c_.at(TokenKind::Id)) {
    const Token& id = c_.next();
    if (!space.names.emplace(id.value, space.count).second)
      return error_at(id, std::string("duplicate ") + space.keyword + " " + std::string(id.text));
  }
  ++space.count;
  return {};
}

void ModuleParser::note_definition(std::string_view kind) {
  if (first_definition_.empty()) first_definition_ = kind == "func" ? "function" : std::string(kind);
}

// Imports must come before any definition of a function, table, memory, global or tag.
Expected<void> ModuleParser::check_import_allowed() {
  if (!first_definition_.empty()) return c_.error("import after " + first_definition_);
  return {};
}

Expected<void> ModuleParser::collect_names(size_t fields_begin) {
  c_.seek(fields_begin);
  while (c_.at(TokenKind::LParen)) KILN_TRY_VOID(collect_field());
  return {};
}

// Skips `(export ...)` clauses; then reports whether an `(import ...)` clause follows.
static bool skip_exports_find_import(Cursor& c) {
  while (c.at_lparen_keyword("export")) {
    if (!c.skip_sexpr()) return false;
  }
  return c.at_lparen_keyword("import");
}

// True when one of the remaining direct children of the current field is `(keyword ...`.
static bool has_child(Cursor c, std::string_view keyword) {
  while (!c.at(TokenKind::RParen) && !c.at(TokenKind::Eof)) {
    if (c.at_lparen_keyword(keyword)) return true;
    if (c.at(TokenKind::LParen)) {
      if (!c.skip_sexpr()) return false;
    } else {
      c.next();
    }
  }
  return false;
}

Expected<void> ModuleParser::collect_field() {
  const size_t start = c_.position();
  c_.next();  // (
  if (!c_.at(TokenKind::Keyword)) return c_.unexpected();
  const Token& kind_token = c_.next();
  const std::string_view kind = kind_token.text;
  if (kind == "type") {
    KILN_TRY_VOID(define(types_));
  } else if (kind == "rec") {
    while (c_.at_lparen_keyword("type")) {
      c_.next();
      c_.next();
      KILN_TRY_VOID(define(types_));
      while (!c_.at(TokenKind::RParen)) {
        if (c_.at(TokenKind::Eof)) return c_.unexpected();
        if (c_.at(TokenKind::LParen)) KILN_TRY_VOID(c_.skip_sexpr());
        else c_.next();
      }
      c_.next();
    }
  } else if (kind == "func" || kind == "table" || kind == "memory" || kind == "global" ||
             kind == "tag") {
    KILN_TRY_VOID(define(*extern_space(kind)));
    bool imported = skip_exports_find_import(c_);
    if (imported) {
      KILN_TRY_VOID(check_import_allowed());
      KILN_TRY_VOID(c_.skip_sexpr());
    } else {
      note_definition(kind);
    }
    if (kind == "memory" && !imported && has_child(c_, "data")) ++datas_.count;
    if (kind == "table" && !imported && has_child(c_, "elem")) ++elems_.count;
  } else if (kind == "import") {
    KILN_TRY_VOID(collect_import_desc());
  } else if (kind == "elem") {
    KILN_TRY_VOID(define(elems_));
  } else if (kind == "data") {
    KILN_TRY_VOID(define(datas_));
  } else if (kind != "export" && kind != "start") {
    return error_at(kind_token, "unknown module field " + std::string(kind));
  }
  c_.seek(start);
  return c_.skip_sexpr();
}

// (import "m" "n" (kind $id? ...)): binds the $id in the kind's index space.
Expected<void> ModuleParser::collect_import_desc() {
  for (int i = 0; i < 2; ++i) {
    if (!c_.at(TokenKind::String)) return c_.unexpected();
    c_.next();
  }
  if (!c_.at(TokenKind::LParen) || c_.peek(1).kind != TokenKind::Keyword) return c_.unexpected();
  c_.next();
  const Token& kind_token = c_.next();
  const std::string_view kind = kind_token.text;
  IndexSpace* space = extern_space(kind);
  if (!space) return error_at(kind_token, "unexpected token " + std::string(kind));
  KILN_TRY_VOID(check_import_allowed());
  return define(*space);
}

// ---- pass 2: type definitions -----------------------------------------------------------

Expected<void> ModuleParser::parse_types(size_t fields_begin) {
  c_.seek(fields_begin);
  while (c_.at(TokenKind::LParen)) {
    if (c_.at_lparen_keyword("type")) KILN_TRY_VOID(parse_type_field());
    else if (c_.at_lparen_keyword("rec")) KILN_TRY_VOID(parse_rec_field());
    else KILN_TRY_VOID(c_.skip_sexpr());
  }
  return {};
}

// ---- pass 3: everything else, in text order ---------------------------------------------

Expected<void> ModuleParser::parse_field() {
  const std::string_view kind = c_.peek(1).text;
  if (kind == "type" || kind == "rec") return c_.skip_sexpr();
  if (kind == "func") return parse_func();
  if (kind == "table") return parse_table();
  if (kind == "memory") return parse_memory();
  if (kind == "global") return parse_global();
  if (kind == "tag") return parse_tag();
  if (kind == "import") return parse_import();
  if (kind == "export") return parse_export();
  if (kind == "start") return parse_start();
  if (kind == "elem") return parse_elem();
  if (kind == "data") return parse_data();
  return c_.unexpected();
}

Expected<void> ModuleParser::parse_inline_exports(uint8_t kind, uint32_t index) {
  while (c_.at_lparen_keyword("export")) {
    c_.next();
    c_.next();
    std::string name = KILN_TRY(parse_name());
    KILN_TRY_VOID(c_.expect(TokenKind::RParen));
    append_name(&export_sec_.entries, name);
    export_sec_.entries.push_back(static_cast<char>(kind));
    write_uleb(export_sec_.entries, index);
    ++export_sec_.count;
  }
  return {};
}

Expected<std::optional<std::pair<std::string, std::string>>> ModuleParser::parse_inline_import() {
  if (!c_.at_lparen_keyword("import")) return std::optional<std::pair<std::string, std::string>>();
  c_.next();
  c_.next();
  std::string module = KILN_TRY(parse_name());
  std::string field = KILN_TRY(parse_name());
  KILN_TRY_VOID(c_.expect(TokenKind::RParen));
  return std::optional(std::pair(std::move(module), std::move(field)));
}

void ModuleParser::add_import(const std::pair<std::string, std::string>& names, uint8_t kind,
                              const Bytes& desc) {
  append_name(&import_sec_.entries, names.first);
  append_name(&import_sec_.entries, names.second);
  import_sec_.entries.push_back(static_cast<char>(kind));
  import_sec_.entries += desc;
  ++import_sec_.count;
}

// (func $id? (export "n")* (import "m" "n")? typeuse local* instr*)
Expected<void> ModuleParser::parse_func() {
  c_.next();
  c_.next();
  const uint32_t index = next_func_++;
  if (c_.at(TokenKind::Id)) func_names_.emplace_back(index, c_.next().value);
  KILN_TRY_VOID(parse_inline_exports(kFunc, index));
  auto import = KILN_TRY(parse_inline_import());
  Signature sig;
  const uint32_t type_index = KILN_TRY(parse_typeuse(&sig, /*allow_param_names=*/true));
  if (import) {
    Bytes desc;
    write_uleb(desc, type_index);
    add_import(*import, kFunc, desc);
    return c_.expect(TokenKind::RParen);
  }
  write_uleb(func_sec_.entries, type_index);
  ++func_sec_.count;
  Bytes body;
  KILN_TRY_VOID(parse_func_body(index, sig, &body));
  write_uleb(code_sec_.entries, body.size());
  code_sec_.entries += body;
  return c_.expect(TokenKind::RParen);
}

Expected<void> ModuleParser::parse_func_body(uint32_t func_index, const Signature& sig, Bytes* body) {
  BodyContext ctx;
  std::vector<std::pair<uint32_t, std::string>> names;
  auto bind = [&](const Token* token, const std::optional<std::string>& name) -> Expected<void> {
    if (name) {
      if (!ctx.locals.names.emplace(*name, ctx.locals.count).second)
        return error_at(*token, "duplicate local " + std::string(token->text));
      names.emplace_back(ctx.locals.count, *name);
    }
    ++ctx.locals.count;
    return {};
  };
  for (size_t i = 0; i < sig.params.size(); ++i)
    KILN_TRY_VOID(bind(sig.param_name_tokens[i], sig.param_names[i]));
  // Local declarations, compressed into runs of equal types.
  std::vector<std::pair<uint32_t, Bytes>> runs;
  auto add_local = [&](Bytes type) {
    if (!runs.empty() && runs.back().second == type) ++runs.back().first;
    else runs.emplace_back(1, std::move(type));
  };
  while (c_.at_lparen_keyword("local")) {
    c_.next();
    c_.next();
    if (c_.at(TokenKind::Id)) {
      const Token& name = c_.next();
      add_local(KILN_TRY(parse_valtype()));
      KILN_TRY_VOID(bind(&name, name.value));
    } else {
      while (!c_.at(TokenKind::RParen)) {
        add_local(KILN_TRY(parse_valtype()));
        KILN_TRY_VOID(bind(nullptr, std::nullopt));
      }
    }
    KILN_TRY_VOID(c_.expect(TokenKind::RParen));
  }
  write_uleb(*body, runs.size());
  for (const auto& [count, type] : runs) {
    write_uleb(*body, count);
    *body += type;
  }
  KILN_TRY_VOID(parse_instrs(ctx, body));
  body->push_back('\x0b');
  if (!names.empty()) local_names_.emplace_back(func_index, std::move(names));
  return {};
}

// (table $id? (export)* (import)? tabletype)
// (table $id? (export)* addrtype? reftype (elem ...))    -- with an element segment
// (table $id? (export)* tabletype expr)                   -- with an initializer (3.0)
Expected<void> ModuleParser::parse_table() {
  c_.next();
  c_.next();
  const uint32_t index = next_table_++;
  if (c_.at(TokenKind::Id)) c_.next();
  KILN_TRY_VOID(parse_inline_exports(kTable, index));
  auto import = KILN_TRY(parse_inline_import());
  bool is64 = false;
  if (import) {
    Bytes type = KILN_TRY(parse_tabletype(&is64));
    add_import(*import, kTable, type);
    return c_.expect(TokenKind::RParen);
  }
  const size_t start = c_.position();
  if (c_.at_keyword("i64") || c_.at_keyword("i32")) is64 = c_.next().text == "i64";
  if (at_reftype()) {
    // The element abbreviation: a table sized to its active segment at offset 0.
    const Bytes reftype = KILN_TRY(parse_reftype());
    KILN_TRY_VOID(c_.expect_lparen_keyword("elem"));
    ElemList list;
    if (c_.at(TokenKind::LParen)) {
      list.as_exprs = true;
      list.kind_or_type = reftype;
      KILN_TRY_VOID(parse_elem_exprs(&list));
    } else {
      // Function indices; as `ref.func` expressions unless the table holds funcref.
      list.as_exprs = reftype != Bytes(1, '\x70');
      list.kind_or_type = list.as_exprs ? reftype : Bytes(1, '\x00');
      KILN_TRY_VOID(parse_func_indices(&list));
    }
    KILN_TRY_VOID(c_.expect(TokenKind::RParen));
    table_sec_.entries += reftype;
    table_sec_.entries.push_back(static_cast<char>(is64 ? 5 : 1));  // has max, maybe 64-bit
    write_uleb(table_sec_.entries, list.count);
    write_uleb(table_sec_.entries, list.count);
    ++table_sec_.count;
    append_elem_segment(ElemMode::Active, index, zero_offset(is64), list);
    return c_.expect(TokenKind::RParen);
  }
  c_.seek(start);
  Bytes type = KILN_TRY(parse_tabletype(&is64));
  if (c_.at(TokenKind::RParen)) {
    table_sec_.entries += type;
  } else {
    table_sec_.entries += Bytes("\x40\x00", 2) + type + KILN_TRY(parse_const_expr());
  }
  ++table_sec_.count;
  return c_.expect(TokenKind::RParen);
}

// (memory $id? (export)* (import)? memtype)
// (memory $id? (export)* addrtype? (data string*))
Expected<void> ModuleParser::parse_memory() {
  c_.next();
  c_.next();
  const uint32_t index = next_memory_++;
  if (c_.at(TokenKind::Id)) c_.next();
  KILN_TRY_VOID(parse_inline_exports(kMemory, index));
  auto import = KILN_TRY(parse_inline_import());
  bool is64 = false;
  if (import) {
    Bytes type = KILN_TRY(parse_memtype(&is64));
    add_import(*import, kMemory, type);
    return c_.expect(TokenKind::RParen);
  }
  const size_t start = c_.position();
  if (c_.at_keyword("i64") || c_.at_keyword("i32")) is64 = c_.next().text == "i64";
  if (c_.at_lparen_keyword("data")) {
    c_.next();
    c_.next();
    Bytes bytes = KILN_TRY(parse_data_strings());
    KILN_TRY_VOID(c_.expect(TokenKind::RParen));
    const uint64_t pages = (bytes.size() + 65535) / 65536;
    memory_sec_.entries.push_back(static_cast<char>(is64 ? 5 : 1));
    write_uleb(memory_sec_.entries, pages);
    write_uleb(memory_sec_.entries, pages);
    ++memory_sec_.count;
    append_data_segment(index, zero_offset(is64), bytes);
    return c_.expect(TokenKind::RParen);
  }
  c_.seek(start);
  memory_sec_.entries += KILN_TRY(parse_memtype(&is64));
  ++memory_sec_.count;
  return c_.expect(TokenKind::RParen);
}

// (global $id? (export)* (import)? globaltype expr?)
Expected<void> ModuleParser::parse_global() {
  c_.next();
  c_.next();
  const uint32_t index = next_global_++;
  if (c_.at(TokenKind::Id)) c_.next();
  KILN_TRY_VOID(parse_inline_exports(kGlobal, index));
  auto import = KILN_TRY(parse_inline_import());
  Bytes type = KILN_TRY(parse_globaltype());
  if (import) {
    add_import(*import, kGlobal, type);
  } else {
    global_sec_.entries += type + KILN_TRY(parse_const_expr());
    ++global_sec_.count;
  }
  return c_.expect(TokenKind::RParen);
}

// (tag $id? (export)* (import)? typeuse)
Expected<void> ModuleParser::parse_tag() {
  c_.next();
  c_.next();
  const uint32_t index = next_tag_++;
  if (c_.at(TokenKind::Id)) c_.next();
  KILN_TRY_VOID(parse_inline_exports(kTag, index));
  auto import = KILN_TRY(parse_inline_import());
  Signature sig;
  Bytes desc(1, '\x00');
  write_uleb(desc, KILN_TRY(parse_typeuse(&sig, /*allow_param_names=*/true)));
  if (import) {
    add_import(*import, kTag, desc);
  } else {
    tag_sec_.entries += desc;
    ++tag_sec_.count;
  }
  return c_.expect(TokenKind::RParen);
}

// (import "m" "n" (func|table|memory|global|tag $id? ...))
Expected<void> ModuleParser::parse_import() {
  c_.next();
  c_.next();
  std::string module = KILN_TRY(parse_name());
  std::string field = KILN_TRY(parse_name());
  const std::pair names(std::move(module), std::move(field));
  KILN_TRY_VOID(c_.expect(TokenKind::LParen));
  const std::string_view kind = c_.next().text;
  Bytes desc;
  bool is64 = false;
  if (kind == "func") {
    const uint32_t index = next_func_++;
    if (c_.at(TokenKind::Id)) func_names_.emplace_back(index, c_.next().value);
    Signature sig;
    write_uleb(desc, KILN_TRY(parse_typeuse(&sig, /*allow_param_names=*/true)));
    add_import(names, kFunc, desc);
  } else if (kind == "table") {
    ++next_table_;
    if (c_.at(TokenKind::Id)) c_.next();
    add_import(names, kTable, KILN_TRY(parse_tabletype(&is64)));
  } else if (kind == "memory") {
    ++next_memory_;
    if (c_.at(TokenKind::Id)) c_.next();
    add_import(names, kMemory, KILN_TRY(parse_memtype(&is64)));
  } else if (kind == "global") {
    ++next_global_;
    if (c_.at(TokenKind::Id)) c_.next();
    add_import(names, kGlobal, KILN_TRY(parse_globaltype()));
  } else if (kind == "tag") {
    ++next_tag_;
    if (c_.at(TokenKind::Id)) c_.next();
    Signature sig;
    desc.push_back('\x00');
    write_uleb(desc, KILN_TRY(parse_typeuse(&sig, /*allow_param_names=*/true)));
    add_import(names, kTag, desc);
  } else {
    return c_.unexpected();
  }
  KILN_TRY_VOID(c_.expect(TokenKind::RParen));
  return c_.expect(TokenKind::RParen);
}

// (export "n" (func|table|memory|global|tag x))
Expected<void> ModuleParser::parse_export() {
  c_.next();
  c_.next();
  std::string name = KILN_TRY(parse_name());
  KILN_TRY_VOID(c_.expect(TokenKind::LParen));
  if (!c_.at(TokenKind::Keyword)) return c_.unexpected();
  const std::string_view kind = c_.peek().text;
  const IndexSpace* space = extern_space(kind);
  if (!space) return c_.unexpected();
  const uint8_t kind_byte = extern_kind(kind);
  c_.next();
  const uint32_t index = KILN_TRY(parse_index(*space));
  KILN_TRY_VOID(c_.expect(TokenKind::RParen));
  append_name(&export_sec_.entries, name);
  export_sec_.entries.push_back(static_cast<char>(kind_byte));
  write_uleb(export_sec_.entries, index);
  ++export_sec_.count;
  return c_.expect(TokenKind::RParen);
}

// (start x)
Expected<void> ModuleParser::parse_start() {
  const Token& open = c_.peek();
  c_.next();
  c_.next();
  if (start_) return error_at(open, "multiple start sections");
  start_ = KILN_TRY(parse_index(funcs_));
  return c_.expect(TokenKind::RParen);
}

// `(offset instr*)` or one folded instruction, as a constant expression.
Expected<Bytes> ModuleParser::parse_offset() {
  if (c_.at_lparen_keyword("offset")) {
    c_.next();
    c_.next();
    Bytes expr = KILN_TRY(parse_const_expr());
    KILN_TRY_VOID(c_.expect(TokenKind::RParen));
    return expr;
  }
  if (!c_.at(TokenKind::LParen)) return c_.unexpected();
  return parse_single_folded_expr();
}

// Function indices up to the end of the list (as `ref.func` expressions if `as_exprs`).
Expected<void> ModuleParser::parse_func_indices(ElemList* list) {
  while (c_.at_index()) {
    const uint32_t func = KILN_TRY(parse_index(funcs_));
    if (list->as_exprs) list->items.push_back('\xd2');  // ref.func
    write_uleb(list->items, func);
    if (list->as_exprs) list->items.push_back('\x0b');
    ++list->count;
  }
  return {};
}

// Element expressions: `(item instr*)` or one folded instruction each.
Expected<void> ModuleParser::parse_elem_exprs(ElemList* list) {
  while (c_.at(TokenKind::LParen)) {
    if (c_.at_lparen_keyword("item")) {
      c_.next();
      c_.next();
      list->items += KILN_TRY(parse_const_expr());
      KILN_TRY_VOID(c_.expect(TokenKind::RParen));
    } else {
      list->items += KILN_TRY(parse_single_folded_expr());
    }
    ++list->count;
  }
  return {};
}

// elemlist: `func funcidx*` | reftype elemexpr* | (if allowed) bare funcidx*.
Expected<ModuleParser::ElemList> ModuleParser::parse_elem_list(bool allow_bare_indices) {
  ElemList list;
  if (c_.at_keyword("func") || (allow_bare_indices && !at_reftype())) {
    if (c_.at_keyword("func")) c_.next();
    list.kind_or_type = Bytes(1, '\x00');
    KILN_TRY_VOID(parse_func_indices(&list));
    return list;
  }
  if (!at_reftype()) return c_.unexpected();
  list.as_exprs = true;
  list.kind_or_type = KILN_TRY(parse_reftype());
  KILN_TRY_VOID(parse_elem_exprs(&list));
  return list;
}

// Encodes one element segment. The flags' bit 0 marks passive/declarative (or, when
// active, an explicit table), bit 1 declarative or an explicit table, bit 2 expressions.
void ModuleParser::append_elem_segment(ElemMode mode, uint32_t table, const Bytes& offset,
                                       const ElemList& list) {
  uint8_t flags = list.as_exprs ? 4 : 0;
  if (mode == ElemMode::Active) {
    // Table 0 with funcref elements has the short form without table and type.
    const bool short_form = table == 0 && (!list.as_exprs || list.kind_or_type == Bytes(1, '\x70'));
    if (!short_form) flags |= 2;
    elem_sec_.entries.push_back(static_cast<char>(flags));
    if (!short_form) write_uleb(elem_sec_.entries, table);
    elem_sec_.entries += offset;
    if (!short_form) elem_sec_.entries += list.kind_or_type;
  } else {
    flags |= mode == ElemMode::Passive ? 1 : 3;
    elem_sec_.entries.push_back(static_cast<char>(flags));
    elem_sec_.entries += list.kind_or_type;
  }
  write_uleb(elem_sec_.entries, list.count);
  elem_sec_.entries += list.items;
  ++elem_sec_.count;
}

// (elem $id? elemlist)                                passive
// (elem $id? declare elemlist)                        declarative
// (elem $id? (table x)? offset elemlist)              active
// (elem $id? offset funcidx*)                         active, table 0 (legacy form)
Expected<void> ModuleParser::parse_elem() {
  c_.next();
  c_.next();
  if (c_.at(TokenKind::Id)) c_.next();
  ElemMode mode = ElemMode::Passive;
  uint32_t table = 0;
  bool explicit_table = false;
  Bytes offset;
  if (c_.at_keyword("declare")) {
    c_.next();
    mode = ElemMode::Declarative;
  } else if (c_.at_lparen_keyword("table")) {
    c_.next();
    c_.next();
    table = KILN_TRY(parse_index(tables_));
    KILN_TRY_VOID(c_.expect(TokenKind::RParen));
    explicit_table = true;
    mode = ElemMode::Active;
    offset = KILN_TRY(parse_offset());
  } else if (at_legacy_segment_index()) {
    // The MVP form `(elem 0 (offset) funcidx*)`, still used by some proposal tests.
    table = KILN_TRY(parse_index(tables_));
    mode = ElemMode::Active;
    offset = KILN_TRY(parse_offset());
  } else if (c_.at(TokenKind::LParen) && !c_.at_lparen_keyword("ref")) {
    mode = ElemMode::Active;
    offset = KILN_TRY(parse_offset());
  }
  const ElemList list = KILN_TRY(parse_elem_list(mode == ElemMode::Active && !explicit_table));
  KILN_TRY_VOID(c_.expect(TokenKind::RParen));
  append_elem_segment(mode, table, offset, list);
  return {};
}

// A bare numeric table or memory index before a segment's offset (MVP syntax).
bool ModuleParser::at_legacy_segment_index() const {
  return c_.at_index() && c_.peek().kind != TokenKind::Id && c_.peek(1).kind == TokenKind::LParen;
}

Expected<Bytes> ModuleParser::parse_data_strings() {
  Bytes bytes;
  while (c_.at(TokenKind::String)) bytes += c_.next().value;
  return bytes;
}

// (data $id? string*)                       passive
// (data $id? (memory x)? offset string*)    active
Expected<void> ModuleParser::parse_data() {
  c_.next();
  c_.next();
  if (c_.at(TokenKind::Id)) c_.next();
  std::optional<uint32_t> memory;  // none: passive
  Bytes offset;
  if (c_.at(TokenKind::LParen) || at_legacy_segment_index()) {
    memory = 0;
    if (c_.at_lparen_keyword("memory")) {
      c_.next();
      c_.next();
      memory = KILN_TRY(parse_index(memories_));
      KILN_TRY_VOID(c_.expect(TokenKind::RParen));
    } else if (c_.at_index()) {
      memory = KILN_TRY(parse_index(memories_));  // the MVP form `(data 0 (offset) ...)`
    }
    offset = KILN_TRY(parse_offset());
  }
  const Bytes bytes = KILN_TRY(parse_data_strings());
  append_data_segment(memory, offset, bytes);
  return c_.expect(TokenKind::RParen);
}

// Encodes one data segment: flags 1 passive, 0 active in memory 0, 2 active with a
// memory index.
void ModuleParser::append_data_segment(std::optional<uint32_t> memory, const Bytes& offset,
                                       const Bytes& bytes) {
  if (!memory) {
    data_sec_.entries.push_back('\x01');
  } else if (*memory == 0) {
    data_sec_.entries.push_back('\x00');
    data_sec_.entries += offset;
  } else {
    data_sec_.entries.push_back('\x02');
    write_uleb(data_sec_.entries, *memory);
    data_sec_.entries += offset;
  }
  write_uleb(data_sec_.entries, bytes.size());
  data_sec_.entries += bytes;
  ++data_sec_.count;
}

// ---- assembly -------------------------------------------------------------------------

std::vector<uint8_t> ModuleParser::assemble() const {
  Bytes module("\0asm\x01\0\0\0", 8);
  append_vec_section(&module, 1, type_sec_.count, type_sec_.entries);
  append_vec_section(&module, 2, import_sec_.count, import_sec_.entries);
  append_vec_section(&module, 3, func_sec_.count, func_sec_.entries);
  append_vec_section(&module, 4, table_sec_.count, table_sec_.entries);
  append_vec_section(&module, 5, memory_sec_.count, memory_sec_.entries);
  append_vec_section(&module, 13, tag_sec_.count, tag_sec_.entries);
  append_vec_section(&module, 6, global_sec_.count, global_sec_.entries);
  append_vec_section(&module, 7, export_sec_.count, export_sec_.entries);
  if (start_) {
    Bytes contents;
    write_uleb(contents, *start_);
    append_section(&module, 8, contents);
  }
  append_vec_section(&module, 9, elem_sec_.count, elem_sec_.entries);
  if (data_sec_.count > 0 || uses_data_index_) {
    Bytes contents;
    write_uleb(contents, data_sec_.count);
    append_section(&module, 12, contents);
  }
  append_vec_section(&module, 10, func_sec_.count, code_sec_.entries);
  append_vec_section(&module, 11, data_sec_.count, data_sec_.entries);

  // The name section: module name, function names, local names.
  Bytes names;
  append_name(&names, "name");
  if (module_name_) {
    Bytes sub;
    append_name(&sub, *module_name_);
    append_section(&names, 0, sub);
  }
  if (!func_names_.empty()) {
    Bytes sub;
    write_uleb(sub, func_names_.size());
    for (const auto& [index, name] : func_names_) {  // already in index order
      write_uleb(sub, index);
      append_name(&sub, name);
    }
    append_section(&names, 1, sub);
  }
  if (!local_names_.empty()) {
    Bytes sub;
    write_uleb(sub, local_names_.size());
    for (const auto& [func, locals] : local_names_) {
      write_uleb(sub, func);
      write_uleb(sub, locals.size());
      for (const auto& [index, name] : locals) {
        write_uleb(sub, index);
        append_name(&sub, name);
      }
    }
    append_section(&names, 2, sub);
  }
  if (module_name_ || !func_names_.empty() || !local_names_.empty()) append_section(&module, 0, names);
  return std::vector<uint8_t>(module.begin(), module.end());
}

}  // namespace kiln::text::detail

namespace kiln::text {

Expected<std::vector<uint8_t>> wat_to_wasm(std::string_view source) {
  std::vector<Token> tokens = KILN_TRY(tokenize(source));
  // `(module $id? binary "..."*)` and `(module $id? quote "..."*)` are accepted too.
  Cursor c(tokens);
  if (c.at_lparen_keyword("module")) {
    c.next();
    c.next();
    if (c.at(TokenKind::Id)) c.next();
    if (c.at_keyword("binary") || c.at_keyword("quote")) {
      const bool binary = c.next().text == "binary";
      std::string joined;
      while (c.at(TokenKind::String)) joined += c.next().value;
      KILN_TRY_VOID(c.expect(TokenKind::RParen));
      if (!c.at(TokenKind::Eof)) return c.unexpected();
      if (binary) return std::vector<uint8_t>(joined.begin(), joined.end());
      return wat_to_wasm(joined);
    }
  }
  detail::ModuleParser parser(tokens);
  return parser.parse();
}

bool looks_like_text(std::span<const uint8_t> bytes) {
  std::string_view s(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  if (s.starts_with("\xef\xbb\xbf")) s.remove_prefix(3);  // a UTF-8 byte order mark
  for (;;) {
    size_t start = s.find_first_not_of(" \t\r\n");
    if (start == std::string_view::npos) return false;
    s.remove_prefix(start);
    if (s.starts_with(";;")) {
      size_t end = s.find('\n');
      if (end == std::string_view::npos) return false;
      s.remove_prefix(end);
    } else if (s.starts_with("(;")) {
      size_t end = s.find(";)");  // block comments nest, but one level tells text from binary
      if (end == std::string_view::npos) return false;
      s.remove_prefix(end + 2);
    } else {
      return s[0] == '(';
    }
  }
}

}  // namespace kiln::text
