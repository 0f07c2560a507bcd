// The module data model: what the binary decoder produces (and the text parser,
// through the binary encoding). Plain data; immutable once validated.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "base/shared_bytes.h"
#include "ir/types.h"

namespace kiln::ir {

// A byte range inside Module::bytes.
struct ByteRange {
  uint32_t offset = 0;
  uint32_t size = 0;
};

// A constant expression, kept as its encoded instructions (ending with `end`).
// The validator types it; instantiation evaluates it.
struct ConstExpr {
  ByteRange code;
};

struct Import {
  std::string module;
  std::string name;
  ExternKind kind = ExternKind::Func;
  uint32_t type_index = 0;  // Func (and Tag)
  TableType table;          // Table
  MemoryType memory;        // Memory
  GlobalType global;        // Global
};

struct Export {
  std::string name;
  ExternKind kind = ExternKind::Func;
  uint32_t index = 0;
};

struct Global {
  GlobalType type;
  ConstExpr init;
};

struct Table {
  TableType type;
  std::optional<ConstExpr> init;  // 3.0 tables with an explicit initializer
};

enum class SegmentMode : uint8_t { Passive, Active, Declarative };

struct ElemSegment {
  SegmentMode mode = SegmentMode::Passive;
  uint32_t table_index = 0;
  ConstExpr offset;                 // Active only
  ValType elem_type = ValType::funcref();
  // Either function indices (the legacy compact forms) or expressions.
  std::vector<uint32_t> func_indices;
  std::vector<ConstExpr> exprs;
  bool uses_exprs = false;
  uint32_t size() const { return uses_exprs ? uint32_t(exprs.size()) : uint32_t(func_indices.size()); }
};

struct DataSegment {
  SegmentMode mode = SegmentMode::Passive;
  uint32_t memory_index = 0;
  ConstExpr offset;  // Active only
  ByteRange init;
};

struct LocalGroup {
  uint32_t count = 0;
  ValType type;
};

struct FunctionBody {
  ByteRange whole;                 // the code entry (locals and instructions), after its size
  std::vector<LocalGroup> locals;  // as declared (compressed)
  uint32_t num_locals = 0;         // sum of local counts, excluding parameters
  ByteRange code;                  // the instructions, ending with `end`
};

struct CustomSection {
  std::string name;
  ByteRange payload;
};

struct NameSection {
  std::optional<std::string> module_name;
  std::map<uint32_t, std::string> function_names;
  std::map<uint32_t, std::map<uint32_t, std::string>> local_names;
};

struct Module {
  SharedBytes bytes;  // the binary this module was decoded from; ranges point here

  std::vector<FuncType> types;
  std::vector<Import> imports;
  std::vector<uint32_t> functions;  // type index of each defined function
  std::vector<Table> tables;        // defined tables
  std::vector<MemoryType> memories; // defined memories
  std::vector<Global> globals;      // defined globals
  std::vector<Export> exports;
  std::optional<uint32_t> start;
  std::vector<ElemSegment> elems;
  std::optional<uint32_t> data_count;
  std::vector<FunctionBody> codes;
  std::vector<DataSegment> datas;
  std::vector<CustomSection> customs;
  NameSection names;

  // Counts of imports by kind (filled by the decoder).
  uint32_t num_imported_funcs = 0;
  uint32_t num_imported_tables = 0;
  uint32_t num_imported_memories = 0;
  uint32_t num_imported_globals = 0;

  // Index spaces (imports first, then definitions).
  uint32_t num_funcs() const { return num_imported_funcs + uint32_t(functions.size()); }
  uint32_t num_tables() const { return num_imported_tables + uint32_t(tables.size()); }
  uint32_t num_memories() const { return num_imported_memories + uint32_t(memories.size()); }
  uint32_t num_globals() const { return num_imported_globals + uint32_t(globals.size()); }

  // Type of function `index` in the function index space (imports included).
  uint32_t func_type_index(uint32_t index) const;
  const FuncType& func_type(uint32_t index) const { return types[func_type_index(index)]; }
  TableType table_type(uint32_t index) const;
  MemoryType memory_type(uint32_t index) const;
  GlobalType global_type(uint32_t index) const;

  // A byte range as a span over `bytes`.
  std::span<const uint8_t> range(ByteRange r) const {
    return std::span<const uint8_t>(bytes.data() + r.offset, r.size);
  }

  // Function name from the name section, or empty.
  std::string function_name(uint32_t index) const;

  // Filled in by the decoder: for each import kind, the import index of the n-th import.
  std::vector<uint32_t> imported_func_imports, imported_table_imports, imported_memory_imports,
      imported_global_imports;
};

}  // namespace kiln::ir
