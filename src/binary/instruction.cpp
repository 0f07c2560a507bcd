#include "binary/instruction.h"

#include "ir/module.h"

namespace kiln::binary {

using ir::HeapKind;
using ir::ImmKind;
using ir::Opcode;
using ir::ValKind;
using ir::ValType;

namespace {

// Abstract heap types by their one-byte (negative s33) encoding.
bool abstract_heap_from_byte(uint8_t byte, HeapKind& out) {
  switch (byte) {
    case 0x70: out = HeapKind::Func; return true;
    case 0x6f: out = HeapKind::Extern; return true;
    case 0x6e: out = HeapKind::Any; return true;
    case 0x6d: out = HeapKind::Eq; return true;
    case 0x6c: out = HeapKind::I31; return true;
    case 0x6b: out = HeapKind::Struct; return true;
    case 0x6a: out = HeapKind::Array; return true;
    case 0x69: out = HeapKind::Exn; return true;
    case 0x71: out = HeapKind::None; return true;
    case 0x72: out = HeapKind::NoExtern; return true;
    case 0x73: out = HeapKind::NoFunc; return true;
    case 0x74: out = HeapKind::NoExn; return true;
    default: return false;
  }
}

bool read_memarg(ByteReader& r, MemArg& out, const ir::Features& features) {
  size_t at = r.offset();
  uint32_t flags = r.u32();
  if (r.failed()) return false;
  // Bit 6 announces an explicit memory index (multi-memory). Without multi-memory
  // (WebAssembly 2.0) the flags are only an alignment exponent below 32.
  if (flags >= (features.multi_memory ? 128u : 32u)) {
    r.fail_at(at, "malformed memop flags");
    return false;
  }
  if (flags & 0x40) {
    out.memory = r.u32();
    flags &= ~0x40u;
  } else {
    out.memory = 0;
  }
  out.align_log2 = flags;
  // 2.0 offsets are u32 (larger is malformed); with memory64 they are u64 and the
  // validator checks them against the memory's index type.
  out.offset = features.memory64 ? r.u64() : r.u32();
  return !r.failed();
}

bool read_block_type(ByteReader& r, BlockType& out) {
  uint8_t byte = r.peek_u8();
  if (r.at_end()) { r.u8(); return false; }
  if (byte == 0x40) {
    r.u8();
    out.kind = BlockType::Kind::Empty;
    return true;
  }
  // Value types are single negative bytes (or 0x63/0x64 prefixes); type indices
  // are non-negative s33 values.
  if ((byte & 0xC0) == 0x40) {
    out.kind = BlockType::Kind::Value;
    return read_val_type(r, out.value);
  }
  int64_t index = r.s33();
  if (r.failed()) return false;
  if (index < 0) { r.fail("malformed block type"); return false; }
  if (index > UINT32_MAX) { r.fail_invalid("unknown type"); return false; }
  out.kind = BlockType::Kind::Index;
  out.index = static_cast<uint32_t>(index);
  return true;
}

// A memory index: a full LEB128 index with multi-memory, a reserved zero byte in 2.0.
bool read_memory_index(ByteReader& r, uint32_t& out, const ir::Features& features) {
  if (features.multi_memory) {
    out = r.u32();
    return !r.failed();
  }
  out = r.u8();
  if (!r.failed() && out != 0) r.fail_at(r.offset() - 1, "zero byte expected");
  return !r.failed();
}

// An opcode that opcodes.def lacks: one Kiln does not implement yet names its
// feature (ir/unsupported.def); anything else is malformed.
bool fail_unknown_opcode(ByteReader& r, size_t at, uint8_t prefix, uint32_t code, const ir::Features& features) {
  if (std::optional<std::string> message = ir::unsupported_instruction(prefix, code, features))
    r.fail_unsupported(at, std::move(*message));
  else
    r.fail_at(at, "illegal opcode");
  return false;
}

// The immediates of instructions that are rare in code (lists, lanes, tables,
// bulk memory), out of line so that read_instruction stays small and fast.
[[gnu::noinline]] void read_rare_immediates(ByteReader& r, Instruction& out, InstructionScratch& scratch,
                                            const ir::Features& features, ImmKind imm) {
  switch (imm) {
    case ImmKind::Memory:
      read_memory_index(r, out.index, features);
      break;
    case ImmKind::BrTable: {
      uint32_t count = r.u32();
      if (r.failed()) return;
      // Each label takes at least one byte: reject impossible counts before allocating.
      if (count > r.remaining()) { r.fail("unexpected end"); return; }
      scratch.targets.clear();
      for (uint32_t i = 0; i <= count && !r.failed(); ++i) scratch.targets.push_back(r.u32());
      out.targets = scratch.targets;
      break;
    }
    case ImmKind::CallIndirect:
      out.index = r.u32();   // type index
      out.index2 = r.u32();  // table index
      break;
    case ImmKind::SelectTypes: {
      uint32_t count = r.u32();
      if (r.failed()) return;
      if (count > r.remaining()) { r.fail("unexpected end"); return; }
      scratch.types.clear();
      for (uint32_t i = 0; i < count && !r.failed(); ++i) {
        ValType t;
        if (read_val_type(r, t)) scratch.types.push_back(t);
      }
      out.select_types = scratch.types;
      break;
    }
    case ImmKind::MemArgLane:
      if (read_memarg(r, out.memarg, features)) out.lane = r.u8();
      break;
    case ImmKind::V128:
    case ImmKind::Shuffle:
      if (const uint8_t* p = r.bytes(16)) std::copy(p, p + 16, out.v128.bytes.begin());
      break;
    case ImmKind::Lane:
      out.lane = r.u8();
      break;
    case ImmKind::HeapType:
      read_heap_type(r, out.ref_type);
      break;
    case ImmKind::MemoryInit:
      out.index = r.u32();  // data index
      read_memory_index(r, out.index2, features);
      break;
    case ImmKind::MemoryCopy:
      read_memory_index(r, out.index, features);
      read_memory_index(r, out.index2, features);
      break;
    case ImmKind::TableInit:
      out.index = r.u32();   // elem index
      out.index2 = r.u32();  // table index
      break;
    case ImmKind::TableCopy:
      out.index = r.u32();   // destination table
      out.index2 = r.u32();  // source table
      break;
    default:  // the common kinds, read by read_instruction itself
      break;
  }
}

}  // namespace

bool read_heap_type(ByteReader& r, ValType& out) {
  uint8_t byte = r.peek_u8();
  if (r.at_end()) { r.u8(); return false; }
  HeapKind kind;
  if (abstract_heap_from_byte(byte, kind)) {
    r.u8();
    out = ValType::ref(kind, true);
    return true;
  }
  int64_t index = r.s33();
  if (r.failed()) return false;
  if (index < 0) { r.fail("malformed reference type"); return false; }
  out = ValType::ref(HeapKind::Index, true, static_cast<uint32_t>(index));
  return true;
}

bool read_ref_type(ByteReader& r, ValType& out) {
  uint8_t byte = r.u8();
  if (r.failed()) return false;
  HeapKind kind;
  if (abstract_heap_from_byte(byte, kind)) {
    out = ValType::ref(kind, true);
    return true;
  }
  if (byte == 0x63 || byte == 0x64) {  // (ref null ht) / (ref ht)
    if (!read_heap_type(r, out)) return false;
    out.nullable = byte == 0x63;
    return true;
  }
  r.fail_at(r.offset() - 1, "malformed reference type");
  return false;
}

bool read_val_type(ByteReader& r, ValType& out) {
  uint8_t byte = r.peek_u8();
  if (r.at_end()) { r.u8(); return false; }
  switch (byte) {
    case 0x7f: r.u8(); out = ValType::i32(); return true;
    case 0x7e: r.u8(); out = ValType::i64(); return true;
    case 0x7d: r.u8(); out = ValType::f32(); return true;
    case 0x7c: r.u8(); out = ValType::f64(); return true;
    case 0x7b: r.u8(); out = ValType::v128(); return true;
    default: break;
  }
  HeapKind kind;
  if (abstract_heap_from_byte(byte, kind) || byte == 0x63 || byte == 0x64) return read_ref_type(r, out);
  r.fail("malformed value type");
  return false;
}

bool read_instruction(ByteReader& r, Instruction& out, InstructionScratch& scratch,
                      const ir::Features& features) {
  out.offset = static_cast<uint32_t>(r.offset());
  uint8_t byte = r.u8();
  if (r.failed()) return false;
  Opcode op;
  if (byte >= 0xfb && byte <= 0xfe) {  // prefixes: GC, misc, SIMD, threads
    uint32_t code = r.u32();
    if (r.failed()) return false;
    if (!opcode_from_prefixed(byte, code, &op)) return fail_unknown_opcode(r, out.offset, byte, code, features);
  } else if (!opcode_from_byte(byte, &op)) {
    return fail_unknown_opcode(r, out.offset, 0, byte, features);
  }
  if (!features.tail_call && (op == Opcode::ReturnCall || op == Opcode::ReturnCallIndirect)) {
    r.fail_at(out.offset, "illegal opcode");
    return false;
  }
  out.op = op;

  switch (ImmKind imm = op_info(op).imm) {
    case ImmKind::None:
      break;
    case ImmKind::BlockType:
      read_block_type(r, out.block);
      break;
    case ImmKind::Label:
    case ImmKind::Func:
    case ImmKind::Local:
    case ImmKind::Global:
    case ImmKind::Table:
    case ImmKind::Data:
    case ImmKind::Elem:
      out.index = r.u32();
      break;
    case ImmKind::MemArg:
      read_memarg(r, out.memarg, features);
      break;
    case ImmKind::I32:
      out.bits = static_cast<uint64_t>(static_cast<int64_t>(r.s32()));
      break;
    case ImmKind::I64:
      out.bits = static_cast<uint64_t>(r.s64());
      break;
    case ImmKind::F32:
      out.bits = r.fixed_u32();
      break;
    case ImmKind::F64:
      out.bits = r.fixed_u64();
      break;
    default:
      read_rare_immediates(r, out, scratch, features, imm);
      break;
  }
  return !r.failed();
}

std::optional<uint32_t> last_memory_access(const ir::Module& module, uint32_t defined_index, uint32_t offset,
                                           const ir::Features& features) {
  if (defined_index >= module.codes.size()) return std::nullopt;
  const ir::FunctionBody& body = module.codes[defined_index];
  ByteReader reader(module.bytes.data() + body.code.offset, body.code.size, body.code.offset);
  Instruction in;
  InstructionScratch scratch;
  std::optional<uint32_t> last;
  while (!reader.at_end() && read_instruction(reader, in, scratch, features) && in.offset <= offset) {
    ir::ImmKind imm = ir::op_info(in.op).imm;
    if (imm == ir::ImmKind::MemArg || imm == ir::ImmKind::MemArgLane) last = in.offset;
  }
  return last;
}

}  // namespace kiln::binary
