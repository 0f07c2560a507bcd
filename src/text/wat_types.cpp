// Types of the text format: value, reference, heap, function, block, table, memory and
// global types, type definitions (including 3.0 rec/sub/struct/array), and type uses.
#include "base/reader.h"
#include "base/utf8.h"
#include "text/numbers.h"
#include "text/wat_parser.h"

namespace kiln::text::detail {
namespace {

struct NamedByte {
  std::string_view name;
  uint8_t byte;
};

// Abstract heap types and their binary encodings.
constexpr NamedByte kHeapTypes[] = {
    {"func", 0x70},   {"extern", 0x6F}, {"any", 0x6E},      {"eq", 0x6D},
    {"i31", 0x6C},    {"struct", 0x6B}, {"array", 0x6A},    {"exn", 0x69},
    {"none", 0x71},   {"noextern", 0x72}, {"nofunc", 0x73}, {"noexn", 0x74},
};

// Reference type shorthands (nullable abstract references) and number/vector types.
constexpr NamedByte kValTypes[] = {
    {"i32", 0x7F},       {"i64", 0x7E},         {"f32", 0x7D},          {"f64", 0x7C},
    {"v128", 0x7B},      {"funcref", 0x70},     {"externref", 0x6F},    {"anyref", 0x6E},
    {"eqref", 0x6D},     {"i31ref", 0x6C},      {"structref", 0x6B},    {"arrayref", 0x6A},
    {"exnref", 0x69},    {"nullref", 0x71},     {"nullexternref", 0x72}, {"nullfuncref", 0x73},
    {"nullexnref", 0x74},
};

const NamedByte* find(const NamedByte* begin, const NamedByte* end, std::string_view name) {
  for (const NamedByte* p = begin; p != end; ++p)
    if (p->name == name) return p;
  return nullptr;
}

// The abstract heap types (and their nullable reference shorthands) are 0x69..0x74.
bool is_abstract_heap_byte(uint8_t byte) { return byte >= 0x69 && byte <= 0x74; }

const NamedByte* find_valtype(std::string_view name) {
  return find(std::begin(kValTypes), std::end(kValTypes), name);
}

void append_vec(Bytes* out, const std::vector<Bytes>& items) {
  write_uleb(*out, items.size());
  for (const Bytes& item : items) *out += item;
}

Bytes func_type_encoding(const std::vector<Bytes>& params, const std::vector<Bytes>& results) {
  Bytes out(1, '\x60');
  append_vec(&out, params);
  append_vec(&out, results);
  return out;
}

}  // namespace

bool ModuleParser::at_reftype() const {
  if (c_.at_lparen_keyword("ref")) return true;
  if (!c_.at(TokenKind::Keyword)) return false;
  const NamedByte* t = find_valtype(c_.peek().text);
  return t && is_abstract_heap_byte(t->byte);
}

Expected<Bytes> ModuleParser::parse_heaptype() {
  if (c_.at(TokenKind::Keyword)) {
    const NamedByte* h = find(std::begin(kHeapTypes), std::end(kHeapTypes), c_.peek().text);
    if (!h) return c_.error("unknown operator " + std::string(c_.peek().text) + " (expected a heap type)");
    c_.next();
    return Bytes(1, static_cast<char>(h->byte));
  }
  if (!c_.at_index()) return c_.unexpected();
  uint32_t index = KILN_TRY(parse_index(types_));
  Bytes out;
  write_sleb(out, index);  // s33
  return out;
}

Expected<Bytes> ModuleParser::parse_reftype() {
  if (c_.at_lparen_keyword("ref")) {
    c_.next();
    c_.next();
    bool nullable = c_.at_keyword("null");
    if (nullable) c_.next();
    Bytes heap = KILN_TRY(parse_heaptype());
    KILN_TRY_VOID(c_.expect(TokenKind::RParen));
    // A nullable abstract reference has a one-byte shorthand.
    if (nullable && heap.size() == 1 && is_abstract_heap_byte(static_cast<uint8_t>(heap[0]))) return heap;
    return Bytes(1, nullable ? '\x63' : '\x64') + heap;
  }
  if (!at_reftype()) return c_.unexpected();
  return Bytes(1, static_cast<char>(find_valtype(c_.next().text)->byte));
}

Expected<Bytes> ModuleParser::parse_valtype() {
  if (c_.at_lparen_keyword("ref")) return parse_reftype();
  if (!c_.at(TokenKind::Keyword)) return c_.unexpected();
  const NamedByte* t = find_valtype(c_.peek().text);
  if (!t) return c_.error("unknown operator " + std::string(c_.peek().text) + " (expected a value type)");
  c_.next();
  return Bytes(1, static_cast<char>(t->byte));
}

// `(param $x t)` or `(param t*)`, repeated.
Expected<void> ModuleParser::parse_params(Signature* sig, bool allow_names) {
  while (c_.at_lparen_keyword("param")) {
    c_.next();
    c_.next();
    if (c_.at(TokenKind::Id)) {
      if (!allow_names) return c_.unexpected();
      const Token& name = c_.next();
      sig->params.push_back(KILN_TRY(parse_valtype()));
      sig->param_names.emplace_back(name.value);
      sig->param_name_tokens.push_back(&name);
    } else {
      while (!c_.at(TokenKind::RParen)) {
        sig->params.push_back(KILN_TRY(parse_valtype()));
        sig->param_names.emplace_back();
        sig->param_name_tokens.push_back(nullptr);
      }
    }
    KILN_TRY_VOID(c_.expect(TokenKind::RParen));
  }
  return {};
}

Expected<void> ModuleParser::parse_results(Signature* sig) {
  while (c_.at_lparen_keyword("result")) {
    c_.next();
    c_.next();
    while (!c_.at(TokenKind::RParen)) sig->results.push_back(KILN_TRY(parse_valtype()));
    c_.next();
  }
  return {};
}

uint32_t ModuleParser::intern_func_type(const std::vector<Bytes>& params,
                                        const std::vector<Bytes>& results) {
  Bytes encoding = func_type_encoding(params, results);
  for (size_t i = 0; i < type_entries_.size(); ++i)
    if (type_entries_[i].reusable && type_entries_[i].encoding == encoding)
      return static_cast<uint32_t>(i);
  TypeEntry entry;
  entry.encoding = encoding;
  entry.is_func = true;
  entry.params = params;
  entry.results = results;
  type_entries_.push_back(std::move(entry));
  type_sec_.entries += encoding;
  ++type_sec_.count;
  return static_cast<uint32_t>(type_entries_.size() - 1);
}

Expected<uint32_t> ModuleParser::parse_typeuse(Signature* sig, bool allow_param_names) {
  std::optional<uint32_t> explicit_index;
  const Token& start = c_.peek();
  if (c_.at_lparen_keyword("type")) {
    c_.next();
    c_.next();
    explicit_index = KILN_TRY(parse_index(types_));
    KILN_TRY_VOID(c_.expect(TokenKind::RParen));
  }
  KILN_TRY_VOID(parse_params(sig, allow_param_names));
  KILN_TRY_VOID(parse_results(sig));
  if (c_.at_lparen_keyword("param")) return c_.unexpected();  // parameters after results
  if (!explicit_index) return intern_func_type(sig->params, sig->results);
  if (*explicit_index >= type_entries_.size()) {
    // Alone, an unknown type is the validator's error; with an inline signature to
    // compare against it, it is malformed.
    if (sig->params.empty() && sig->results.empty()) return *explicit_index;
    return error_at(start, "unknown type");
  }
  const TypeEntry& entry = type_entries_[*explicit_index];
  if (sig->params.empty() && sig->results.empty()) {
    // The type alone: its parameters are the function's first (unnamed) locals.
    sig->params = entry.params;
    sig->results = entry.results;
    sig->param_names.assign(entry.params.size(), std::nullopt);
    sig->param_name_tokens.assign(entry.params.size(), nullptr);
  } else if (!entry.is_func || entry.params != sig->params || entry.results != sig->results) {
    return error_at(start, "inline function type does not match the type definition");
  }
  return *explicit_index;
}

Expected<Bytes> ModuleParser::parse_blocktype() {
  Bytes out;
  if (c_.at_lparen_keyword("type")) {
    Signature sig;
    uint32_t index = KILN_TRY(parse_typeuse(&sig, /*allow_param_names=*/false));
    write_sleb(out, index);
    return out;
  }
  Signature sig;
  KILN_TRY_VOID(parse_params(&sig, false));
  KILN_TRY_VOID(parse_results(&sig));
  if (sig.params.empty() && sig.results.size() <= 1)
    return sig.results.empty() ? Bytes(1, '\x40') : sig.results[0];
  write_sleb(out, intern_func_type(sig.params, sig.results));
  return out;
}

// ---- type definitions ---------------------------------------------------------------

Expected<void> ModuleParser::parse_type_field() {
  // (type $id? deftype)
  c_.next();
  c_.next();
  if (c_.at(TokenKind::Id)) c_.next();
  TypeEntry entry = KILN_TRY(parse_type_definition());
  type_sec_.entries += entry.encoding;
  ++type_sec_.count;
  type_entries_.push_back(std::move(entry));
  return c_.expect(TokenKind::RParen);
}

Expected<void> ModuleParser::parse_rec_field() {
  // (rec (type $id? subtype)*): one type-section entry holding several types.
  c_.next();
  c_.next();
  std::vector<Bytes> members;
  size_t first = type_entries_.size();
  while (c_.at_lparen_keyword("type")) {
    c_.next();
    c_.next();
    if (c_.at(TokenKind::Id)) c_.next();
    TypeEntry entry = KILN_TRY(parse_type_definition());
    members.push_back(entry.encoding);
    type_entries_.push_back(std::move(entry));
    KILN_TRY_VOID(c_.expect(TokenKind::RParen));
  }
  KILN_TRY_VOID(c_.expect(TokenKind::RParen));
  // Only a plain singleton group is the same type as an inline function type.
  if (members.size() != 1 && first < type_entries_.size())
    for (size_t i = first; i < type_entries_.size(); ++i) type_entries_[i].reusable = false;
  Bytes group(1, '\x4E');
  append_vec(&group, members);
  type_sec_.entries += members.size() == 1 ? members[0] : group;
  ++type_sec_.count;
  return {};
}

Expected<TypeEntry> ModuleParser::parse_type_definition() {
  TypeEntry entry;
  bool sub = c_.at_lparen_keyword("sub");
  Bytes prefix;
  if (sub) {
    // (sub final? typeidx* comptype)
    c_.next();
    c_.next();
    bool final = c_.at_keyword("final");
    if (final) c_.next();
    std::vector<Bytes> supers;
    while (c_.at_index()) {
      Bytes index;
      write_uleb(index, KILN_TRY(parse_index(types_)));
      supers.push_back(index);
    }
    prefix.push_back(final ? '\x4F' : '\x50');
    append_vec(&prefix, supers);
    entry.reusable = final && supers.empty();
  }
  if (c_.at_lparen_keyword("func")) {
    c_.next();
    c_.next();
    Signature sig;
    KILN_TRY_VOID(parse_params(&sig, /*allow_names=*/true));
    KILN_TRY_VOID(parse_results(&sig));
    KILN_TRY_VOID(c_.expect(TokenKind::RParen));
    entry.is_func = true;
    entry.params = sig.params;
    entry.results = sig.results;
    entry.encoding = func_type_encoding(sig.params, sig.results);
  } else if (c_.at_lparen_keyword("struct")) {
    c_.next();
    c_.next();
    std::vector<Bytes> fields;
    std::vector<std::string> names;
    while (c_.at_lparen_keyword("field")) {
      c_.next();
      c_.next();
      if (c_.at(TokenKind::Id)) {
        const Token& name = c_.next();
        for (const std::string& seen : names)
          if (seen == name.value) return error_at(name, "duplicate field " + std::string(name.text));
        names.push_back(name.value);
        fields.push_back(KILN_TRY(parse_fieldtype()));
      } else {
        while (!c_.at(TokenKind::RParen)) fields.push_back(KILN_TRY(parse_fieldtype()));
      }
      KILN_TRY_VOID(c_.expect(TokenKind::RParen));
    }
    KILN_TRY_VOID(c_.expect(TokenKind::RParen));
    entry.encoding = Bytes(1, '\x5F');
    append_vec(&entry.encoding, fields);
    entry.reusable = false;
  } else if (c_.at_lparen_keyword("array")) {
    c_.next();
    c_.next();
    entry.encoding = Bytes(1, '\x5E') + KILN_TRY(parse_fieldtype());
    KILN_TRY_VOID(c_.expect(TokenKind::RParen));
    entry.reusable = false;
  } else {
    return c_.unexpected();
  }
  if (sub) {
    entry.encoding = prefix + entry.encoding;
    KILN_TRY_VOID(c_.expect(TokenKind::RParen));
  }
  return entry;
}

// The field type of struct and array types: `t`, `i8`, `i16`, `(mut t)`.
Expected<Bytes> ModuleParser::parse_fieldtype() {
  bool mut = c_.at_lparen_keyword("mut");
  if (mut) {
    c_.next();
    c_.next();
  }
  Bytes out;
  if (c_.at_keyword("i8")) {
    c_.next();
    out = Bytes(1, '\x78');
  } else if (c_.at_keyword("i16")) {
    c_.next();
    out = Bytes(1, '\x77');
  } else {
    out = KILN_TRY(parse_valtype());
  }
  if (mut) KILN_TRY_VOID(c_.expect(TokenKind::RParen));
  out.push_back(mut ? '\x01' : '\x00');
  return out;
}

// ---- tables, memories, globals --------------------------------------------------------

Expected<Bytes> ModuleParser::parse_limits(bool is64, bool shared_allowed) {
  // Limits are u64 in the text (3.0); whether a 32-bit memory or table may have them
  // is decided by the binary decoder and validator (2.0: malformed, 3.0: invalid), so
  // that both suites see one consistent authority.
  uint64_t values[2] = {0, 0};
  int count = 0;
  while (count < 2 && c_.at_index() && c_.peek().kind != TokenKind::Id) {
    LitStatus status = parse_unsigned(c_.peek().text, ~uint64_t{0}, &values[count]);
    if (status == LitStatus::OutOfRange) return c_.error("i64 constant out of range");
    if (status != LitStatus::Ok) return c_.unexpected();
    c_.next();
    ++count;
  }
  if (count == 0) return c_.unexpected();
  uint8_t flags = (count == 2 ? 1 : 0) | (is64 ? 4 : 0);
  if (shared_allowed && c_.at_keyword("shared")) {
    c_.next();
    flags |= 2;
  }
  Bytes out(1, static_cast<char>(flags));
  write_uleb(out, values[0]);
  if (count == 2) write_uleb(out, values[1]);
  return out;
}

// addrtype? limits reftype
Expected<Bytes> ModuleParser::parse_tabletype(bool* is64) {
  *is64 = false;
  if (c_.at_keyword("i64") || c_.at_keyword("i32")) *is64 = c_.next().text == "i64";
  Bytes limits = KILN_TRY(parse_limits(*is64, false));
  Bytes ref = KILN_TRY(parse_reftype());
  return ref + limits;
}

// addrtype? limits shared?
Expected<Bytes> ModuleParser::parse_memtype(bool* is64) {
  *is64 = false;
  if (c_.at_keyword("i64") || c_.at_keyword("i32")) *is64 = c_.next().text == "i64";
  Bytes limits = KILN_TRY(parse_limits(*is64, true));
  if (c_.at_lparen_keyword("pagesize")) return c_.error("unsupported: custom page sizes");
  return limits;
}

// t | (mut t)
Expected<Bytes> ModuleParser::parse_globaltype() {
  if (c_.at_lparen_keyword("mut")) {
    c_.next();
    c_.next();
    Bytes type = KILN_TRY(parse_valtype());
    KILN_TRY_VOID(c_.expect(TokenKind::RParen));
    return type + '\x01';
  }
  Bytes type = KILN_TRY(parse_valtype());
  return type + '\x00';
}

Expected<std::string> ModuleParser::parse_name() {
  if (!c_.at(TokenKind::String)) return c_.unexpected();
  if (!is_valid_utf8(c_.peek().value)) return c_.error("malformed UTF-8 encoding");
  return c_.next().value;
}

}  // namespace kiln::text::detail
