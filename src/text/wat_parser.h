// Internal: the text-module parser and binary encoder behind wat_to_wasm.
//
// It works in passes over the token vector:
//   1. collect_names: every field's $id and index, per index space (so names may be
//      used before their definition), and the imports-first rule;
//   2. parse_types: the explicit type definitions, so inline type uses can reuse them;
//   3. parse_field for every other field in text order, encoding each into its section.
// Instructions (wat_instr.cpp) are encoded straight to bytes with names resolved.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/error.h"
#include "ir/opcodes.h"
#include "text/cursor.h"
#include "text/lexer.h"

namespace kiln::text::detail {

// Binary output; write_uleb/write_sleb append to std::string.
using Bytes = std::string;

// One index space: a count and the $names bound in it.
struct IndexSpace {
  explicit IndexSpace(const char* kind, const char* keyword = nullptr)
      : what(kind), keyword(keyword ? keyword : kind) {}
  const char* what;     // "function", "elem segment", ...: "unknown function $f"
  const char* keyword;  // "func", "elem", ...: "duplicate func $f" (the spec's messages)
  std::unordered_map<std::string, uint32_t> names;
  uint32_t count = 0;
};

// A type definition, kept encoded; function types also keep their parts for matching
// inline type uses and for numbering parameters.
struct TypeEntry {
  Bytes encoding;  // e.g. 0x60 vec(params) vec(results)
  bool is_func = false;
  bool reusable = true;  // an inline type use may name it (not inside a rec group, ...)
  std::vector<Bytes> params, results;
};

// A function signature as written: value types (encoded) and parameter $names.
struct Signature {
  std::vector<Bytes> params, results;
  std::vector<std::optional<std::string>> param_names;  // parallel to params
  std::vector<const Token*> param_name_tokens;           // for duplicate messages
};

// The per-body context of the instruction parser.
struct BodyContext {
  IndexSpace locals{"local"};
  std::vector<std::optional<std::string>> labels;  // innermost last, names without '$'
  int depth = 0;                                   // folded-expression nesting
};

class ModuleParser {
 public:
  explicit ModuleParser(const std::vector<Token>& tokens) : c_(tokens) {}
  Expected<std::vector<uint8_t>> parse();

 private:
  // ---- module structure (wat_module.cpp) ----
  Expected<void> collect_names(size_t fields_begin);
  Expected<void> collect_field();
  Expected<void> collect_import_desc();
  void note_definition(std::string_view kind);
  Expected<void> check_import_allowed();
  Expected<void> define(IndexSpace& space);
  IndexSpace* extern_space(std::string_view keyword);
  Expected<void> parse_types(size_t fields_begin);
  Expected<void> parse_field();
  Expected<void> parse_func();
  Expected<void> parse_table();
  Expected<void> parse_memory();
  Expected<void> parse_global();
  Expected<void> parse_tag();
  Expected<void> parse_import();
  Expected<void> parse_export();
  Expected<void> parse_start();
  Expected<void> parse_elem();
  Expected<void> parse_data();
  Expected<void> parse_inline_exports(uint8_t kind, uint32_t index);
  Expected<std::optional<std::pair<std::string, std::string>>> parse_inline_import();
  void add_import(const std::pair<std::string, std::string>& names, uint8_t kind, const Bytes& desc);
  Expected<void> parse_func_body(uint32_t func_index, const Signature& sig, Bytes* body);
  // An element segment's contents, in either binary form.
  struct ElemList {
    bool as_exprs = false;  // expressions (flag bit 2) rather than function indices
    Bytes kind_or_type;     // elemkind 0x00 for indices; the reference type for expressions
    uint32_t count = 0;
    Bytes items;
  };
  enum class ElemMode { Active, Passive, Declarative };
  Expected<ElemList> parse_elem_list(bool allow_bare_indices);
  Expected<void> parse_func_indices(ElemList* list);
  Expected<void> parse_elem_exprs(ElemList* list);
  void append_elem_segment(ElemMode mode, uint32_t table, const Bytes& offset, const ElemList& list);
  Expected<Bytes> parse_offset();
  Expected<Bytes> parse_data_strings();
  void append_data_segment(std::optional<uint32_t> memory, const Bytes& offset, const Bytes& bytes);
  bool at_legacy_segment_index() const;
  std::vector<uint8_t> assemble() const;

  // ---- types (wat_types.cpp) ----
  Expected<void> parse_type_field();
  Expected<void> parse_rec_field();
  Expected<TypeEntry> parse_type_definition();
  Expected<Bytes> parse_fieldtype();
  Expected<Bytes> parse_valtype();
  Expected<Bytes> parse_reftype();
  Expected<Bytes> parse_heaptype();
  bool at_reftype() const;
  Expected<void> parse_params(Signature* sig, bool allow_names);
  Expected<void> parse_results(Signature* sig);
  // `(type x)? (param ...)* (result ...)*` -> type index; fills `sig` with the
  // parameters (and their names) that the function body numbers its locals from.
  Expected<uint32_t> parse_typeuse(Signature* sig, bool allow_param_names);
  Expected<Bytes> parse_blocktype();
  uint32_t intern_func_type(const std::vector<Bytes>& params, const std::vector<Bytes>& results);
  Expected<Bytes> parse_limits(bool is64, bool shared_allowed);
  Expected<Bytes> parse_tabletype(bool* is64);
  Expected<Bytes> parse_memtype(bool* is64);
  Expected<Bytes> parse_globaltype();
  Expected<std::string> parse_name();  // a string that must be valid UTF-8

  // ---- indices and instructions (wat_instr.cpp) ----
  Expected<uint32_t> parse_index(const IndexSpace& space);
  Expected<uint32_t> parse_numeric_index();
  Expected<uint32_t> parse_label(const BodyContext& ctx);
  Expected<void> parse_instrs(BodyContext& ctx, Bytes* out);
  Expected<void> parse_folded(BodyContext& ctx, Bytes* out);
  Expected<void> parse_plain(BodyContext& ctx, const Token& keyword, Bytes* out);
  Expected<void> parse_immediates(BodyContext& ctx, const ir::OpInfo& info, const Token& keyword,
                                  Bytes* out);
  Expected<void> parse_memarg(const ir::OpInfo& info, bool has_lane, Bytes* out);
  Expected<void> parse_end_label(const BodyContext& ctx, size_t label_index);
  Expected<Bytes> parse_const_expr();  // instructions up to `)`, plus `end`
  Expected<Bytes> parse_single_folded_expr();  // one folded instruction, plus `end`
  std::vector<const Token*> collect_literals();

  Cursor c_;

  // Index spaces.
  IndexSpace types_{"type"}, funcs_{"function", "func"}, tables_{"table"}, memories_{"memory"},
      globals_{"global"}, tags_{"tag"}, elems_{"elem segment", "elem"}, datas_{"data segment", "data"};
  std::vector<TypeEntry> type_entries_;  // by type index (a rec group is one section entry)
  std::optional<std::string> module_name_;
  std::string first_definition_;  // kind of the first non-import definition ("func", ...)

  // Counters of pass 3, in text order (imports come first in each space).
  uint32_t next_func_ = 0, next_table_ = 0, next_memory_ = 0, next_global_ = 0, next_tag_ = 0;

  // The module's vector sections as they are built (the code section's count is the
  // function section's).
  struct SectionBuilder {
    Bytes entries;
    uint32_t count = 0;
  };
  SectionBuilder type_sec_, import_sec_, func_sec_, table_sec_, memory_sec_, tag_sec_, global_sec_,
      export_sec_, elem_sec_, code_sec_, data_sec_;
  std::optional<uint32_t> start_;
  bool uses_data_index_ = false;  // memory.init or data.drop: the data count section is required

  // Name section contents.
  std::vector<std::pair<uint32_t, std::string>> func_names_;
  std::vector<std::pair<uint32_t, std::vector<std::pair<uint32_t, std::string>>>> local_names_;
};

}  // namespace kiln::text::detail
