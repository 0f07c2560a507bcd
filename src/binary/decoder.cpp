#include "binary/decoder.h"

#include <cstdio>
#include <cstring>
#include <span>
#include <string>

#include "base/reader.h"
#include "binary/instruction.h"

namespace kiln::binary {

using ir::ExternKind;
using ir::ValType;

namespace {

enum SectionId : uint8_t {
  kCustom = 0, kType = 1, kImport = 2, kFunction = 3, kTable = 4, kMemory = 5, kGlobal = 6,
  kExport = 7, kStart = 8, kElement = 9, kCode = 10, kData = 11, kDataCount = 12, kTag = 13,
};

// The position of each known section in the required order (0 = custom, anywhere).
int section_rank(uint8_t id) {
  switch (id) {
    case kType: return 1;
    case kImport: return 2;
    case kFunction: return 3;
    case kTable: return 4;
    case kMemory: return 5;
    case kTag: return 6;
    case kGlobal: return 7;
    case kExport: return 8;
    case kStart: return 9;
    case kElement: return 10;
    case kDataCount: return 11;
    case kCode: return 12;
    case kData: return 13;
    default: return -1;
  }
}

// Up to the first 16 bytes, printable, for saying what a file is instead.
std::string quote_start(std::span<const uint8_t> bytes) {
  std::string out = "\"";
  for (size_t i = 0; i < std::min<size_t>(bytes.size(), 16); ++i) {
    uint8_t c = bytes[i];
    if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
      out += static_cast<char>(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    }
  }
  return out + (bytes.size() > 16 ? "...\"" : "\"");
}

// The magic number and version. The messages start as the spec's (which the
// spec tests expect) and then say what the input is when it is not a module:
// empty, something else entirely, or a component (same magic, layer 1).
Expected<void> check_preamble(std::span<const uint8_t> bytes) {
  if (bytes.empty()) return Error(ErrorKind::Malformed, "unexpected end: the input is empty, not a WebAssembly module", 0);
  if (bytes.size() < 4 || std::memcmp(bytes.data(), "\0asm", 4) != 0) {
    if (bytes.size() >= 4 || std::memcmp(bytes.data(), "\0asm", bytes.size()) != 0)
      return Error(ErrorKind::Malformed, "magic header not detected: not a WebAssembly binary (it starts with " +
                                             quote_start(bytes) + ")", 0);
    return Error(ErrorKind::Malformed, "unexpected end", bytes.size());
  }
  if (bytes.size() < 8) return Error(ErrorKind::Malformed, "unexpected end", 4);
  uint16_t version = static_cast<uint16_t>(bytes[4] | bytes[5] << 8);
  uint16_t layer = static_cast<uint16_t>(bytes[6] | bytes[7] << 8);
  // Components are layer 1, with pre-standard versions from 0x0d up (the
  // Component Model's Binary.md); layer 1 version 0 is just malformed.
  if (layer == 1 && version >= 0x0d)
    return Error(ErrorKind::Unsupported,
                 "this is a WebAssembly component, not a core module; components are not supported yet", 4);
  if (version != 1 || layer != 0) return Error(ErrorKind::Malformed, "unknown binary version", 4);
  return {};
}

// Type forms of the GC proposal: rec, sub, sub final, struct, array.
bool is_gc_type_form(uint8_t form) {
  return form == 0x4e || form == 0x50 || form == 0x4f || form == 0x5f || form == 0x5e;
}

class ModuleDecoder {
 public:
  ModuleDecoder(ir::Module& module, const ir::Features& features) : m_(module), features_(features) {}

  Expected<void> decode();

 private:
  // Each section is read through a reader bounded to the section's payload.
  void decode_section(uint8_t id, ByteReader& r);
  void decode_types(ByteReader& r);
  void decode_imports(ByteReader& r);
  void decode_functions(ByteReader& r);
  void decode_tables(ByteReader& r);
  void decode_memories(ByteReader& r);
  void decode_globals(ByteReader& r);
  void decode_exports(ByteReader& r);
  void decode_start(ByteReader& r);
  void decode_elements(ByteReader& r);
  void decode_data_count(ByteReader& r);
  void decode_code(ByteReader& r);
  void decode_data(ByteReader& r);
  void decode_custom(ByteReader& r, size_t section_end);
  void decode_name_section(ByteReader r);

  // Reads a vector length and checks it is plausible: each element takes at least
  // one byte, so a count beyond the remaining bytes cannot be right.
  uint32_t read_count(ByteReader& r);
  void read_limits(ByteReader& r, ir::Limits& limits, bool is_memory);
  void read_table_type(ByteReader& r, ir::TableType& type);
  void read_global_type(ByteReader& r, ir::GlobalType& type);
  void read_const_expr(ByteReader& r, ir::ConstExpr& expr);
  bool skip_gc_type(ByteReader& r, uint8_t form);

  ir::Module& m_;
  const ir::Features& features_;
  InstructionScratch scratch_;
  std::optional<uint32_t> function_count_;  // from the function section
  bool saw_code_ = false;
};

uint32_t ModuleDecoder::read_count(ByteReader& r) {
  uint32_t count = r.u32();
  if (!r.failed() && count > r.remaining()) r.fail("length out of bounds");
  return r.failed() ? 0 : count;
}

void ModuleDecoder::read_limits(ByteReader& r, ir::Limits& limits, bool is_memory) {
  size_t at = r.offset();
  uint8_t flags = r.u8();
  if (r.failed()) return;
  bool has_max = flags & 0x01;
  limits.shared = flags & 0x02;
  limits.is64 = flags & 0x04;
  uint8_t allowed = is_memory ? 0x07 : 0x05;
  if (!features_.memory64) allowed &= ~0x04;
  if (flags & ~allowed) {
    r.fail_at(at, "integer too large");  // the spec's message for out-of-range flag bytes
    return;
  }
  // 3.0 reads every limit as u64 and leaves the range to validation ("invalid");
  // 2.0 reads 32-bit limits as u32, so larger ones are malformed.
  if (limits.is64 || features_.memory64) {
    limits.min = r.u64();
    if (has_max) limits.max = r.u64();
  } else {
    limits.min = r.u32();
    if (has_max) limits.max = r.u32();
  }
}

void ModuleDecoder::read_table_type(ByteReader& r, ir::TableType& type) {
  if (read_ref_type(r, type.elem)) read_limits(r, type.limits, false);
}

void ModuleDecoder::read_global_type(ByteReader& r, ir::GlobalType& type) {
  if (!read_val_type(r, type.type)) return;
  size_t at = r.offset();
  uint8_t mut = r.u8();
  if (!r.failed() && mut > 1) r.fail_at(at, "malformed mutability");
  type.mutable_ = mut == 1;
}

// Finds the end of a constant expression by decoding instructions until the `end`
// that closes it. Whether the instructions are constant is the validator's concern.
void ModuleDecoder::read_const_expr(ByteReader& r, ir::ConstExpr& expr) {
  size_t start = r.offset();
  Instruction instr;
  int depth = 0;
  while (read_instruction(r, instr, scratch_, features_)) {
    using ir::Opcode;
    if (instr.op == Opcode::Block || instr.op == Opcode::Loop || instr.op == Opcode::If) ++depth;
    if (instr.op == Opcode::End && depth-- == 0) break;
  }
  if (r.failed()) return;
  expr.code = {static_cast<uint32_t>(start), static_cast<uint32_t>(r.offset() - start)};
}

void ModuleDecoder::decode_types(ByteReader& r) {
  uint32_t count = read_count(r);
  m_.types.reserve(count);
  for (uint32_t i = 0; i < count && !r.failed(); ++i) {
    size_t at = r.offset();
    uint8_t form = r.u8();
    if (r.failed()) return;
    if (form != 0x60) {
      if (!features_.gc || !is_gc_type_form(form)) {
        r.fail_at(at, "malformed function type");
      } else if (skip_gc_type(r, form)) {  // a malformed one is reported as such
        r.fail_unsupported(at, "GC (struct, array, subtype and recursive types) is not supported yet");
      }
      return;
    }
    ir::FuncType type;
    uint32_t params = read_count(r);
    for (uint32_t p = 0; p < params && !r.failed(); ++p) {
      ValType t;
      if (read_val_type(r, t)) type.params.push_back(t);
    }
    uint32_t results = read_count(r);
    for (uint32_t p = 0; p < results && !r.failed(); ++p) {
      ValType t;
      if (read_val_type(r, t)) type.results.push_back(t);
    }
    m_.types.push_back(std::move(type));
  }
}

// Reads a GC type definition (after its form byte) only to find malformed
// encodings, which the spec reports before anything else; Kiln does not
// represent these types yet. False, with the reader failed, when malformed.
bool ModuleDecoder::skip_gc_type(ByteReader& r, uint8_t form) {
  auto field = [&] {
    uint8_t storage = r.peek_u8();
    ValType ignored;
    if (storage == 0x78 || storage == 0x77) r.u8();  // packed i8, i16
    else if (!read_val_type(r, ignored)) return false;
    size_t at = r.offset();
    uint8_t mut = r.u8();
    if (!r.failed() && mut > 1) r.fail_at(at, "malformed mutability");
    return !r.failed();
  };
  auto composite = [&](uint8_t kind) {
    if (kind == 0x60) {  // func: params, results
      for (int list = 0; list < 2 && !r.failed(); ++list) {
        uint32_t n = read_count(r);
        ValType ignored;
        for (uint32_t i = 0; i < n && read_val_type(r, ignored); ++i) {
        }
      }
    } else if (kind == 0x5f) {  // struct: fields
      uint32_t n = read_count(r);
      for (uint32_t i = 0; i < n && field(); ++i) {
      }
    } else if (kind == 0x5e) {  // array: one field
      field();
    } else {
      r.fail_at(r.offset() - 1, "malformed composite type");
    }
    return !r.failed();
  };
  auto sub = [&](uint8_t kind) {
    if (kind == 0x50 || kind == 0x4f) {  // sub, sub final: supertypes, then the type
      uint32_t n = read_count(r);
      for (uint32_t i = 0; i < n && !r.failed(); ++i) r.u32();
      kind = r.u8();
      if (r.failed()) return false;
    }
    return composite(kind);
  };
  if (form != 0x4e) return sub(form);
  uint32_t n = read_count(r);  // rec: a group of subtypes
  for (uint32_t i = 0; i < n && !r.failed(); ++i) {
    uint8_t kind = r.u8();
    if (!r.failed()) sub(kind);
  }
  return !r.failed();
}

void ModuleDecoder::decode_imports(ByteReader& r) {
  uint32_t count = read_count(r);
  for (uint32_t i = 0; i < count && !r.failed(); ++i) {
    ir::Import imp;
    imp.module = r.name();
    imp.name = r.name();
    size_t at = r.offset();
    uint8_t kind = r.u8();
    if (r.failed()) return;
    uint32_t import_index = static_cast<uint32_t>(m_.imports.size());
    switch (kind) {
      case 0:
        imp.kind = ExternKind::Func;
        imp.type_index = r.u32();
        m_.imported_func_imports.push_back(import_index);
        ++m_.num_imported_funcs;
        break;
      case 1:
        imp.kind = ExternKind::Table;
        read_table_type(r, imp.table);
        m_.imported_table_imports.push_back(import_index);
        ++m_.num_imported_tables;
        break;
      case 2:
        imp.kind = ExternKind::Memory;
        read_limits(r, imp.memory.limits, true);
        m_.imported_memory_imports.push_back(import_index);
        ++m_.num_imported_memories;
        break;
      case 3:
        imp.kind = ExternKind::Global;
        read_global_type(r, imp.global);
        m_.imported_global_imports.push_back(import_index);
        ++m_.num_imported_globals;
        break;
      default:
        if (kind == 4 && features_.exceptions)
          r.fail_unsupported(at, "exception handling (an imported tag) is not supported yet");
        else
          r.fail_at(at, "malformed import kind");
        return;
    }
    m_.imports.push_back(std::move(imp));
  }
}

void ModuleDecoder::decode_functions(ByteReader& r) {
  uint32_t count = read_count(r);
  m_.functions.reserve(count);
  for (uint32_t i = 0; i < count && !r.failed(); ++i) m_.functions.push_back(r.u32());
  function_count_ = count;
}

void ModuleDecoder::decode_tables(ByteReader& r) {
  uint32_t count = read_count(r);
  for (uint32_t i = 0; i < count && !r.failed(); ++i) {
    ir::Table table;
    // 3.0: 0x40 0x00 introduces a table with an explicit initializer expression.
    if (r.peek_u8() == 0x40) {
      r.u8();
      size_t at = r.offset();
      if (r.u8() != 0x00 && !r.failed()) { r.fail_at(at, "malformed table type"); return; }
      read_table_type(r, table.type);
      ir::ConstExpr init;
      read_const_expr(r, init);
      table.init = init;
    } else {
      read_table_type(r, table.type);
    }
    m_.tables.push_back(std::move(table));
  }
}

void ModuleDecoder::decode_memories(ByteReader& r) {
  uint32_t count = read_count(r);
  for (uint32_t i = 0; i < count && !r.failed(); ++i) {
    ir::MemoryType mem;
    read_limits(r, mem.limits, true);
    m_.memories.push_back(mem);
  }
}

void ModuleDecoder::decode_globals(ByteReader& r) {
  uint32_t count = read_count(r);
  for (uint32_t i = 0; i < count && !r.failed(); ++i) {
    ir::Global global;
    read_global_type(r, global.type);
    read_const_expr(r, global.init);
    m_.globals.push_back(std::move(global));
  }
}

void ModuleDecoder::decode_exports(ByteReader& r) {
  uint32_t count = read_count(r);
  for (uint32_t i = 0; i < count && !r.failed(); ++i) {
    ir::Export exp;
    exp.name = r.name();
    size_t at = r.offset();
    uint8_t kind = r.u8();
    if (r.failed()) return;
    if (kind == 4 && features_.exceptions) {
      r.fail_unsupported(at, "exception handling (an exported tag) is not supported yet");
      return;
    }
    if (kind > 3) { r.fail_at(at, "malformed export kind"); return; }
    exp.kind = static_cast<ExternKind>(kind);
    exp.index = r.u32();
    m_.exports.push_back(std::move(exp));
  }
}

void ModuleDecoder::decode_start(ByteReader& r) { m_.start = r.u32(); }

void ModuleDecoder::decode_elements(ByteReader& r) {
  uint32_t count = read_count(r);
  for (uint32_t i = 0; i < count && !r.failed(); ++i) {
    ir::ElemSegment seg;
    size_t at = r.offset();
    uint32_t flags = r.u32();
    if (r.failed()) return;
    if (flags > 7) { r.fail_at(at, "malformed elements segment kind"); return; }
    // Bit 0: passive/declarative (else active); bit 1: explicit table index (active)
    // or declarative (non-active); bit 2: element expressions instead of indices.
    bool non_active = flags & 1;
    bool bit1 = flags & 2;
    seg.uses_exprs = flags & 4;
    if (non_active) {
      seg.mode = bit1 ? ir::SegmentMode::Declarative : ir::SegmentMode::Passive;
    } else {
      seg.mode = ir::SegmentMode::Active;
      if (bit1) seg.table_index = r.u32();
      read_const_expr(r, seg.offset);
    }
    // The element kind (0x00 = funcref) or reference type, absent in forms 0 and 4.
    bool has_type = non_active || bit1;
    if (has_type) {
      if (seg.uses_exprs) {
        read_ref_type(r, seg.elem_type);
      } else {
        size_t kind_at = r.offset();
        uint8_t elem_kind = r.u8();
        if (!r.failed() && elem_kind != 0x00) { r.fail_at(kind_at, "malformed element kind"); return; }
        seg.elem_type = ValType::funcref();
      }
    } else {
      seg.elem_type = ValType::ref(ir::HeapKind::Func, true);
    }
    uint32_t n = read_count(r);
    for (uint32_t j = 0; j < n && !r.failed(); ++j) {
      if (seg.uses_exprs) {
        ir::ConstExpr expr;
        read_const_expr(r, expr);
        seg.exprs.push_back(expr);
      } else {
        seg.func_indices.push_back(r.u32());
      }
    }
    m_.elems.push_back(std::move(seg));
  }
}

void ModuleDecoder::decode_data_count(ByteReader& r) { m_.data_count = r.u32(); }

void ModuleDecoder::decode_code(ByteReader& r) {
  saw_code_ = true;
  uint32_t count = read_count(r);
  if (r.failed()) return;
  if (count != function_count_.value_or(0)) {
    r.fail("function and code section have inconsistent lengths");
    return;
  }
  m_.codes.reserve(count);
  for (uint32_t i = 0; i < count && !r.failed(); ++i) {
    uint32_t size = r.u32();
    if (r.failed()) return;
    if (size > r.remaining()) { r.fail("length out of bounds"); return; }
    if (size > kMaxFunctionSize) { r.fail("function body too large"); return; }
    size_t body_start = r.offset();
    const uint8_t* body = r.bytes(size);
    ByteReader b(body, size, body_start);
    ir::FunctionBody fn;
    fn.whole = {static_cast<uint32_t>(body_start), size};
    uint32_t groups = read_count(b);
    uint64_t total = 0;
    for (uint32_t g = 0; g < groups && !b.failed(); ++g) {
      ir::LocalGroup group;
      group.count = b.u32();
      total += group.count;
      if (!b.failed() && total > kMaxLocals) { b.fail("too many locals"); break; }
      read_val_type(b, group.type);
      fn.locals.push_back(group);
    }
    if (b.failed()) {
      Error e = b.take_error();
      if (e.message == "unexpected end") e.message = "unexpected end of section or function";
      r.fail_at(*e.offset, e.message);
      return;
    }
    fn.num_locals = static_cast<uint32_t>(total);
    fn.code = {static_cast<uint32_t>(b.offset()), static_cast<uint32_t>(b.remaining())};
    m_.codes.push_back(std::move(fn));
  }
}

void ModuleDecoder::decode_data(ByteReader& r) {
  uint32_t count = read_count(r);
  if (r.failed()) return;
  if (m_.data_count && *m_.data_count != count) {
    r.fail("data count and data section have inconsistent lengths");
    return;
  }
  for (uint32_t i = 0; i < count && !r.failed(); ++i) {
    ir::DataSegment seg;
    size_t at = r.offset();
    uint32_t flags = r.u32();
    if (r.failed()) return;
    if (flags > 2) { r.fail_at(at, "malformed data segment kind"); return; }
    if (flags == 1) {
      seg.mode = ir::SegmentMode::Passive;
    } else {
      seg.mode = ir::SegmentMode::Active;
      if (flags == 2) seg.memory_index = r.u32();
      read_const_expr(r, seg.offset);
    }
    uint32_t size = r.u32();
    if (r.failed()) return;
    if (size > r.remaining()) { r.fail("unexpected end of section or function"); return; }
    seg.init = {static_cast<uint32_t>(r.offset()), size};
    r.skip(size);
    m_.datas.push_back(seg);
  }
}

void ModuleDecoder::decode_custom(ByteReader& r, size_t section_end) {
  ir::CustomSection custom;
  custom.name = r.name();
  if (r.failed()) return;
  custom.payload = {static_cast<uint32_t>(r.offset()), static_cast<uint32_t>(section_end - r.offset())};
  if (custom.name == "name") {
    ByteReader names(m_.bytes.data() + custom.payload.offset, custom.payload.size, custom.payload.offset);
    decode_name_section(names);
  }
  r.skip(r.remaining());
  m_.customs.push_back(std::move(custom));
}

// The name section is advisory: a malformed one is ignored, never an error.
void ModuleDecoder::decode_name_section(ByteReader r) {
  ir::NameSection names;
  auto read_name_map = [&](ByteReader& s, std::map<uint32_t, std::string>& out) {
    uint32_t n = read_count(s);
    for (uint32_t i = 0; i < n && !s.failed(); ++i) {
      uint32_t index = s.u32();
      std::string name = s.name();
      if (!s.failed()) out.emplace(index, std::move(name));
    }
  };
  while (!r.at_end() && !r.failed()) {
    uint8_t id = r.u8();
    uint32_t size = r.u32();
    if (r.failed() || size > r.remaining()) return;
    size_t start = r.offset();
    ByteReader s(r.bytes(size), size, start);
    if (id == 0) {
      names.module_name = s.name();
    } else if (id == 1) {
      read_name_map(s, names.function_names);
    } else if (id == 2) {
      uint32_t n = read_count(s);
      for (uint32_t i = 0; i < n && !s.failed(); ++i) {
        uint32_t func = s.u32();
        read_name_map(s, names.local_names[func]);
      }
    }
    if (s.failed()) return;
  }
  m_.names = std::move(names);
}

void ModuleDecoder::decode_section(uint8_t id, ByteReader& r) {
  switch (id) {
    case kType: decode_types(r); break;
    case kImport: decode_imports(r); break;
    case kFunction: decode_functions(r); break;
    case kTable: decode_tables(r); break;
    case kMemory: decode_memories(r); break;
    case kGlobal: decode_globals(r); break;
    case kExport: decode_exports(r); break;
    case kStart: decode_start(r); break;
    case kElement: decode_elements(r); break;
    case kDataCount: decode_data_count(r); break;
    case kCode: decode_code(r); break;
    case kData: decode_data(r); break;
    default: r.fail("malformed section id"); break;
  }
}

Expected<void> ModuleDecoder::decode() {
  KILN_TRY_VOID(check_preamble(m_.bytes));
  ByteReader r(m_.bytes.data() + 8, m_.bytes.size() - 8, 8);

  int last_rank = 0;
  while (!r.at_end()) {
    size_t section_at = r.offset();
    uint8_t id = r.u8();
    uint32_t size = r.u32();
    if (r.failed()) return r.take_error();
    int rank = section_rank(id);
    if (id != kCustom) {
      if (rank < 0) return Error(ErrorKind::Malformed, "malformed section id", section_at);
      if (rank <= last_rank)
        return Error(ErrorKind::Malformed, "unexpected content after last section", section_at);
      last_rank = rank;
    }
    if (size > r.remaining()) return Error(ErrorKind::Malformed, "length out of bounds", r.offset());
    if (id == kTag && features_.exceptions)
      return Error(ErrorKind::Unsupported, "exception handling (the tag section) is not supported yet", section_at);
    size_t payload_at = r.offset();
    ByteReader section(r.bytes(size), size, payload_at);
    if (id == kCustom) decode_custom(section, payload_at + size);
    else decode_section(id, section);
    if (section.failed()) {
      Error e = section.take_error();
      // Running out inside a section is reported as such by the spec.
      if (e.message == "unexpected end") e.message = "unexpected end of section or function";
      return e;
    }
    if (!section.at_end()) return Error(ErrorKind::Malformed, "section size mismatch", section.offset());
  }
  if (function_count_.value_or(0) != 0 && !saw_code_)
    return Error(ErrorKind::Malformed, "function and code section have inconsistent lengths", r.offset());
  if (m_.data_count && *m_.data_count != 0 && m_.datas.empty())
    return Error(ErrorKind::Malformed, "data count and data section have inconsistent lengths", r.offset());
  return {};
}

}  // namespace

Expected<ir::Module> decode_module(SharedBytes bytes, const ir::Features& features) {
  ir::Module module;
  module.bytes = std::move(bytes);
  ModuleDecoder decoder(module, features);
  KILN_TRY_VOID(decoder.decode());
  return module;
}

}  // namespace kiln::binary
