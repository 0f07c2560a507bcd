#include "validate/function_validator.h"

#include <algorithm>
#include <array>
#include <iterator>

namespace kiln::validate {

using binary::BlockType;
using binary::Instruction;
using ir::HeapKind;
using ir::Opcode;
using ir::ValKind;
using ir::ValType;

uint32_t lane_count(Opcode op) {
  switch (op) {
    case Opcode::I8x16ExtractLaneS: case Opcode::I8x16ExtractLaneU: case Opcode::I8x16ReplaceLane:
    case Opcode::V128Load8Lane: case Opcode::V128Store8Lane:
      return 16;
    case Opcode::I16x8ExtractLaneS: case Opcode::I16x8ExtractLaneU: case Opcode::I16x8ReplaceLane:
    case Opcode::V128Load16Lane: case Opcode::V128Store16Lane:
      return 8;
    case Opcode::I32x4ExtractLane: case Opcode::I32x4ReplaceLane: case Opcode::F32x4ExtractLane:
    case Opcode::F32x4ReplaceLane: case Opcode::V128Load32Lane: case Opcode::V128Store32Lane:
      return 4;
    default:
      return 2;
  }
}

FunctionValidator::FunctionValidator(const ir::Module& module, const ir::Features& features,
                                     const std::vector<uint32_t>* declared_funcs)
    : module_(module), features_(features), declared_funcs_(declared_funcs) {
  for (uint32_t i = 0; i < module.num_memories(); ++i) memory_is64_.push_back(module.memory_type(i).limits.is64);
  for (uint32_t i = 0; i < module.num_tables(); ++i) table_is64_.push_back(module.table_type(i).limits.is64);
}

bool FunctionValidator::fail(std::string message) {
  if (!error_) error_ = Error(ErrorKind::Invalid, std::move(message), instr_offset_);
  return false;
}

bool FunctionValidator::fail_malformed(std::string message) {
  if (!error_) error_ = Error(ErrorKind::Malformed, std::move(message), instr_offset_);
  malformed_ = true;
  return false;
}

bool FunctionValidator::is_subtype(const ValType& sub, const ValType& super) const {
  if (sub.kind != ValKind::Ref || super.kind != ValKind::Ref) return sub.kind == super.kind;
  if (sub.nullable && !super.nullable) return false;
  if (sub.heap == super.heap) {
    if (sub.heap != HeapKind::Index) return true;
    if (sub.index == super.index) return true;
    // Function types are compared structurally (no recursion groups yet).
    return sub.index < module_.types.size() && super.index < module_.types.size() &&
           module_.types[sub.index] == module_.types[super.index];
  }
  // Abstract heap type hierarchy: none <: i31,struct,array <: eq <: any;
  // nofunc <: (concrete func types) <: func; noextern <: extern; noexn <: exn.
  switch (super.heap) {
    case HeapKind::Func: return sub.heap == HeapKind::Index || sub.heap == HeapKind::NoFunc;
    case HeapKind::Extern: return sub.heap == HeapKind::NoExtern;
    case HeapKind::Exn: return sub.heap == HeapKind::NoExn;
    case HeapKind::Any:
      return sub.heap == HeapKind::Eq || sub.heap == HeapKind::I31 || sub.heap == HeapKind::Struct ||
             sub.heap == HeapKind::Array || sub.heap == HeapKind::None;
    case HeapKind::Eq:
      return sub.heap == HeapKind::I31 || sub.heap == HeapKind::Struct || sub.heap == HeapKind::Array ||
             sub.heap == HeapKind::None;
    case HeapKind::I31: case HeapKind::Struct: case HeapKind::Array:
      return sub.heap == HeapKind::None;
    case HeapKind::Index: return sub.heap == HeapKind::NoFunc;
    default: return false;
  }
}

// ---- operand and control stacks (the spec's validation algorithm) ----------

void FunctionValidator::push_all(std::span<const ValType> types) {
  for (const ValType& t : types) push(t);
}

bool FunctionValidator::pop(StackType& out) {
  const ControlFrame& frame = control_.back();
  if (stack_.size() == frame.height) {
    if (frame.unreachable) {
      out = {ValType::i32(), true};
      return true;
    }
    return fail("type mismatch");
  }
  out = stack_.back();
  stack_.pop_back();
  return true;
}

bool FunctionValidator::pop_expect(ValType expected, StackType& out) {
  if (!pop(out)) return false;
  if (out.unknown) {
    out.set_type(expected);
    return true;
  }
  if (!is_subtype(out.type(), expected)) return fail("type mismatch");
  return true;
}


bool FunctionValidator::pop_all(std::span<const ValType> types) {
  for (size_t i = types.size(); i-- > 0;) {
    if (!pop_expect(types[i])) return false;
  }
  return true;
}

bool FunctionValidator::pop_ref(StackType& out) {
  if (!pop(out)) return false;
  if (!out.unknown && !out.type().is_ref()) return fail("type mismatch");
  return true;
}

void FunctionValidator::set_unreachable() {
  ControlFrame& frame = control_.back();
  stack_.resize(frame.height);
  frame.unreachable = true;
}

ControlFrame& FunctionValidator::push_ctrl(FrameKind kind) {
  ControlFrame& frame = control_.emplace_back();
  frame.kind = kind;
  frame.height = static_cast<uint32_t>(stack_.size());
  height_ = frame.height;
  return frame;
}

bool FunctionValidator::pop_ctrl(ControlFrame& out) {
  ControlFrame& frame = control_.back();
  if (!pop_all(frame.results())) return false;
  if (stack_.size() != frame.height) return fail("type mismatch");
  out = frame;
  control_.pop_back();
  height_ = control_.empty() ? 0 : control_.back().height;
  return true;
}

void FunctionValidator::set_block_types(ControlFrame& frame, const BlockType& bt) const {
  switch (bt.kind) {
    case BlockType::Kind::Empty: frame.set_types({}, std::span<const ValType>()); break;
    case BlockType::Kind::Value: frame.set_single_result(bt.value); break;
    case BlockType::Kind::Index:
      frame.set_types(module_.types[bt.index].params, module_.types[bt.index].results);
      break;
  }
}

void FunctionValidator::block_signature(const BlockType& bt, std::vector<ValType>& params,
                                        std::vector<ValType>& results) const {
  params.clear();
  results.clear();
  switch (bt.kind) {
    case BlockType::Kind::Empty: break;
    case BlockType::Kind::Value: results.push_back(bt.value); break;
    case BlockType::Kind::Index:
      params = module_.types[bt.index].params;
      results = module_.types[bt.index].results;
      break;
  }
}

// ---- helpers ---------------------------------------------------------------

bool FunctionValidator::fail_unknown(const char* what, uint32_t index) {
  return fail(std::string("unknown ") + what + " " + std::to_string(index));
}

bool FunctionValidator::check_block_type(const BlockType& bt) {
  if (bt.kind == BlockType::Kind::Index && bt.index >= module_.types.size()) return fail("unknown type");
  if (bt.kind == BlockType::Kind::Value && bt.value.is_ref() && bt.value.heap == HeapKind::Index &&
      bt.value.index >= module_.types.size())
    return fail("unknown type");
  return true;
}

bool FunctionValidator::check_label(uint32_t depth) {
  if (depth >= control_.size()) return fail("unknown label");
  return true;
}

bool FunctionValidator::check_call(const ir::FuncType& type, bool tail) {
  if (!pop_all(type.params)) return false;
  if (tail) {
    // The callee's results become ours.
    if (type.results.size() != return_types_.size()) return fail("type mismatch");
    for (size_t i = 0; i < type.results.size(); ++i)
      if (!is_subtype(type.results[i], return_types_[i])) return fail("type mismatch");
    set_unreachable();
    return true;
  }
  push_all(type.results);
  return true;
}

inline bool FunctionValidator::check_memory_access(const Instruction& in) {
  if (!have_memory(in.memarg.memory)) return false;
  if (in.memarg.align_log2 > natural_alignment_log2(in.op))
    return fail("alignment must not be larger than natural");
  if (!memory_is64_[in.memarg.memory] && in.memarg.offset > UINT32_MAX)
    return fail("offset out of range");
  if (op_info(in.op).imm == ir::ImmKind::MemArgLane && in.lane >= lane_count(in.op)) return fail("invalid lane index");
  return true;
}

// The fixed signatures of opcodes.def as value kinds, for check_simple: each
// operand is one comparison against the stack ('a', the address, is resolved
// per instruction).
struct KindSignature {
  uint8_t num_params = 0;
  bool has_result = false;
  bool uses_address = false;  // some operand is the memory's address type
  char params[3] = {};        // type letters, as in SigShape
  char result = 0;
  ValKind param_kinds[3] = {};  // the letters as kinds, where uses_address is false
  ValKind result_kind = ValKind::I32;
};

constexpr ValKind letter_kind(char letter) {
  switch (letter) {
    case 'l': return ValKind::I64;
    case 'f': return ValKind::F32;
    case 'd': return ValKind::F64;
    case 'v': return ValKind::V128;
    default: return ValKind::I32;
  }
}

constexpr auto kKindSignatures = [] {
  std::array<KindSignature, std::size(ir::detail::kSigShapes)> table{};
  for (size_t i = 0; i < table.size(); ++i) {
    const ir::SigShape& shape = ir::detail::kSigShapes[i];
    KindSignature& sig = table[i];
    if (shape.params.size() > std::size(sig.params)) throw "a signature with more operands than KindSignature holds";
    sig.num_params = static_cast<uint8_t>(shape.params.size());
    for (size_t p = 0; p < shape.params.size(); ++p) sig.params[p] = shape.params[p];
    sig.has_result = !shape.results.empty();
    if (sig.has_result) sig.result = shape.results[0];
    sig.uses_address = shape.params.find('a') != std::string_view::npos || sig.result == 'a';
    for (size_t p = 0; p < shape.params.size(); ++p) sig.param_kinds[p] = letter_kind(shape.params[p]);
    sig.result_kind = letter_kind(sig.result);
  }
  return table;
}();

// An operator without immediates and with a fixed signature (i32.add, f64.lt, ...).
inline bool FunctionValidator::check_numeric(ir::Sig signature) {
  const KindSignature& sig = kKindSignatures[static_cast<size_t>(signature)];
  for (size_t i = sig.num_params; i-- > 0;)
    if (!pop_expect(ValType{sig.param_kinds[i]})) return false;
  if (sig.has_result) push(ValType{sig.result_kind});
  return true;
}

// A load or store (MemArg, no lane) with its fixed signature over the address type.
inline bool FunctionValidator::check_memory_op(const Instruction& in, ir::Sig signature) {
  if (!check_memory_access(in)) return false;
  return check_signature(signature, memory_address_type(in.memarg.memory));
}

// Pops the operands and pushes the result of a fixed signature; 'a' is `address`.
inline bool FunctionValidator::check_signature(ir::Sig signature, ValType address) {
  const KindSignature& sig = kKindSignatures[static_cast<size_t>(signature)];
  for (size_t i = sig.num_params; i-- > 0;)
    if (!pop_expect(sig.params[i] == 'a' ? address : ValType{sig.param_kinds[i]})) return false;
  if (sig.has_result) push(sig.result == 'a' ? address : ValType{sig.result_kind});
  return true;
}

inline bool FunctionValidator::check_local_get(uint32_t index) {
  if (index >= locals_.size()) return fail("unknown local " + std::to_string(index));
  push(locals_[index]);
  return true;
}

inline bool FunctionValidator::check_local_set(uint32_t index) {
  if (index >= locals_.size()) return fail("unknown local " + std::to_string(index));
  return pop_expect(locals_[index]);
}

inline bool FunctionValidator::check_local_tee(uint32_t index) {
  if (index >= locals_.size()) return fail("unknown local " + std::to_string(index));
  if (!pop_expect(locals_[index])) return false;
  push(locals_[index]);
  return true;
}

// Instructions with a fixed signature from the opcode table.
bool FunctionValidator::check_simple(const Instruction& in) {
  const ir::OpInfo& info = op_info(in.op);
  ValType address = ValType::i32();
  switch (info.imm) {
    case ir::ImmKind::None: break;
    case ir::ImmKind::MemArg:
    case ir::ImmKind::MemArgLane:
      if (!check_memory_access(in)) return false;
      address = memory_address_type(in.memarg.memory);
      break;
    case ir::ImmKind::Memory:
      if (!have_memory(in.index)) return false;
      address = memory_address_type(in.index);
      break;
    case ir::ImmKind::Lane:
      if (in.lane >= lane_count(in.op)) return fail("invalid lane index");
      break;
    case ir::ImmKind::Shuffle:
      for (uint8_t lane : in.v128.bytes)
        if (lane >= 32) return fail("invalid lane index");
      break;
    default: break;
  }
  return check_signature(info.sig, address);
}

// In a constant expression only these instructions are allowed.
bool FunctionValidator::check_const_op(const Instruction& in) {
  switch (in.op) {
    case Opcode::I32Const: case Opcode::I64Const: case Opcode::F32Const: case Opcode::F64Const:
    case Opcode::V128Const: case Opcode::RefNull: case Opcode::RefFunc: case Opcode::End:
      return true;
    case Opcode::I32Add: case Opcode::I32Sub: case Opcode::I32Mul:
    case Opcode::I64Add: case Opcode::I64Sub: case Opcode::I64Mul:
      if (!features_.extended_const) return fail("constant expression required");
      return true;
    case Opcode::GlobalGet: {
      uint32_t visible = features_.extended_const ? const_globals_visible_ : module_.num_imported_globals;
      if (in.index >= visible) return fail("unknown global " + std::to_string(in.index));
      if (module_.global_type(in.index).mutable_) return fail("constant expression required");
      return true;
    }
    default:
      return fail("constant expression required");
  }
}

// ---- one instruction -------------------------------------------------------

bool FunctionValidator::step_general(const Instruction& in) {
  instr_offset_ = in.offset;
  if (const_mode_ && !check_const_op(in)) return false;
  // Most instructions are numeric operators or local accesses: typed here, in
  // a few comparisons, before the general switch.
  const ir::OpInfo& info = op_info(in.op);
  if (info.imm == ir::ImmKind::None && info.sig != ir::Sig::Special) return check_numeric(info.sig);
  switch (in.op) {
    case Opcode::Unreachable:
      set_unreachable();
      return true;
    case Opcode::Nop:
      return true;

    case Opcode::Block:
    case Opcode::Loop:
    case Opcode::If: {
      if (!check_block_type(in.block)) return false;
      if (in.op == Opcode::If && !pop_expect(ValType::i32())) return false;
      ControlFrame block;
      set_block_types(block, in.block);
      if (!pop_all(block.params())) return false;
      FrameKind kind = in.op == Opcode::Block ? FrameKind::Block
                       : in.op == Opcode::Loop ? FrameKind::Loop
                                               : FrameKind::If;
      push_ctrl(kind).copy_types(block);
      push_params(control_.back());
      return true;
    }
    case Opcode::Else: {
      if (control_.back().kind != FrameKind::If) return fail_malformed("else without if");
      ControlFrame frame;
      if (!pop_ctrl(frame)) return false;
      push_ctrl(FrameKind::Else).copy_types(frame);
      push_params(control_.back());
      return true;
    }
    case Opcode::End: {
      ControlFrame frame;
      if (!pop_ctrl(frame)) return false;
      // An `if` without `else` has an implicit empty else: params must equal results.
      if (frame.kind == FrameKind::If && !std::ranges::equal(frame.params(), frame.results()))
        return fail("type mismatch");
      if (frame.kind == FrameKind::Function) done_ = true;
      else push_all(frame.results());
      return true;
    }
    case Opcode::Br:
      if (!check_label(in.index)) return false;
      if (!pop_all(control_frame(in.index).label_types())) return false;
      set_unreachable();
      return true;
    case Opcode::BrIf: {
      if (!check_label(in.index)) return false;
      if (!pop_expect(ValType::i32())) return false;
      // Operand pops and pushes leave the control stack, and so these types, alone.
      std::span<const ValType> types = control_frame(in.index).label_types();
      if (!pop_all(types)) return false;
      push_all(types);
      return true;
    }
    case Opcode::BrTable: {
      if (!pop_expect(ValType::i32())) return false;
      uint32_t default_label = in.targets.back();
      if (!check_label(default_label)) return false;
      size_t arity = control_frame(default_label).label_types().size();
      for (uint32_t label : in.targets) {
        if (!check_label(label)) return false;
        std::span<const ValType> types = control_frame(label).label_types();
        if (types.size() != arity) return fail("type mismatch");
        // Pop and re-push so each target is checked against the same operands.
        saved_.clear();
        for (size_t i = types.size(); i-- > 0;) {
          StackType t;
          if (!pop_expect(types[i], t)) return false;
          saved_.push_back(t);
        }
        for (size_t i = saved_.size(); i-- > 0;) stack_.push_back(saved_[i]);
      }
      if (!pop_all(control_frame(default_label).label_types())) return false;
      set_unreachable();
      return true;
    }
    case Opcode::Return:
      if (!pop_all(return_types_)) return false;
      set_unreachable();
      return true;

    case Opcode::Call:
    case Opcode::ReturnCall:
      if (in.index >= module_.num_funcs()) return fail("unknown function " + std::to_string(in.index));
      return check_call(module_.func_type(in.index), in.op == Opcode::ReturnCall);
    case Opcode::CallIndirect:
    case Opcode::ReturnCallIndirect: {
      if (!have_table(in.index2)) return false;
      if (in.index >= module_.types.size()) return fail("unknown type");
      if (!is_subtype(module_.table_type(in.index2).elem, ValType::funcref())) return fail("type mismatch");
      if (!pop_expect(table_address_type(in.index2))) return false;
      return check_call(module_.types[in.index], in.op == Opcode::ReturnCallIndirect);
    }

    case Opcode::Drop: {
      StackType a;
      return pop(a);
    }
    case Opcode::Select: {
      StackType a, b;
      if (!pop_expect(ValType::i32())) return false;
      if (!pop(a) || !pop(b)) return false;
      // Untyped select works on numeric and vector types only.
      if ((!a.unknown && a.type().is_ref()) || (!b.unknown && b.type().is_ref())) return fail("type mismatch");
      if (!a.unknown && !b.unknown && a.kind != b.kind) return fail("type mismatch");
      stack_.push_back(a.unknown ? b : a);
      return true;
    }
    case Opcode::SelectT: {
      if (in.select_types.size() != 1) return fail("invalid result arity");
      ValType t = in.select_types[0];
      if (!pop_expect(ValType::i32()) || !pop_expect(t) || !pop_expect(t)) return false;
      push(t);
      return true;
    }

    case Opcode::LocalGet: return check_local_get(in.index);
    case Opcode::LocalSet: return check_local_set(in.index);
    case Opcode::LocalTee: return check_local_tee(in.index);
    case Opcode::GlobalGet:
      if (in.index >= module_.num_globals()) return fail("unknown global " + std::to_string(in.index));
      push(module_.global_type(in.index).type);
      return true;
    case Opcode::GlobalSet: {
      if (in.index >= module_.num_globals()) return fail("unknown global " + std::to_string(in.index));
      ir::GlobalType gt = module_.global_type(in.index);
      if (!gt.mutable_) return fail("global is immutable");
      return pop_expect(gt.type);
    }

    case Opcode::TableGet:
      if (!have_table(in.index)) return false;
      if (!pop_expect(table_address_type(in.index))) return false;
      push(module_.table_type(in.index).elem);
      return true;
    case Opcode::TableSet:
      if (!have_table(in.index)) return false;
      return pop_expect(module_.table_type(in.index).elem) && pop_expect(table_address_type(in.index));
    case Opcode::TableSize:
      if (!have_table(in.index)) return false;
      push(table_address_type(in.index));
      return true;
    case Opcode::TableGrow:
      if (!have_table(in.index)) return false;
      if (!pop_expect(table_address_type(in.index)) || !pop_expect(module_.table_type(in.index).elem))
        return false;
      push(table_address_type(in.index));
      return true;
    case Opcode::TableFill: {
      if (!have_table(in.index)) return false;
      ValType at = table_address_type(in.index);
      return pop_expect(at) && pop_expect(module_.table_type(in.index).elem) && pop_expect(at);
    }
    case Opcode::TableCopy: {
      if (!have_table(in.index) || !have_table(in.index2)) return false;
      if (!is_subtype(module_.table_type(in.index2).elem, module_.table_type(in.index).elem))
        return fail("type mismatch");
      ValType dst = table_address_type(in.index), src = table_address_type(in.index2);
      ValType len = dst == ValType::i64() && src == ValType::i64() ? ValType::i64() : ValType::i32();
      return pop_expect(len) && pop_expect(src) && pop_expect(dst);
    }
    case Opcode::TableInit: {
      if (!have_table(in.index2)) return false;
      if (in.index >= module_.elems.size()) return fail("unknown elem segment " + std::to_string(in.index));
      if (!is_subtype(module_.elems[in.index].elem_type, module_.table_type(in.index2).elem))
        return fail("type mismatch");
      return pop_expect(ValType::i32()) && pop_expect(ValType::i32()) &&
             pop_expect(table_address_type(in.index2));
    }
    case Opcode::ElemDrop:
      if (in.index >= module_.elems.size()) return fail("unknown elem segment " + std::to_string(in.index));
      return true;

    case Opcode::MemoryInit: {
      if (!module_.data_count) return fail_malformed("data count section required");
      if (!have_memory(in.index2)) return false;
      if (in.index >= *module_.data_count) return fail("unknown data segment " + std::to_string(in.index));
      return pop_expect(ValType::i32()) && pop_expect(ValType::i32()) &&
             pop_expect(memory_address_type(in.index2));
    }
    case Opcode::DataDrop:
      if (!module_.data_count) return fail_malformed("data count section required");
      if (in.index >= *module_.data_count) return fail("unknown data segment " + std::to_string(in.index));
      return true;
    case Opcode::MemoryCopy: {
      if (!have_memory(in.index) || !have_memory(in.index2)) return false;
      ValType dst = memory_address_type(in.index), src = memory_address_type(in.index2);
      ValType len = dst == ValType::i64() && src == ValType::i64() ? ValType::i64() : ValType::i32();
      return pop_expect(len) && pop_expect(src) && pop_expect(dst);
    }
    case Opcode::MemoryFill: {
      if (!have_memory(in.index)) return false;
      ValType at = memory_address_type(in.index);
      return pop_expect(at) && pop_expect(ValType::i32()) && pop_expect(at);
    }

    case Opcode::RefNull:
      if (in.ref_type.heap == HeapKind::Index && in.ref_type.index >= module_.types.size())
        return fail("unknown type");
      push(in.ref_type);
      return true;
    case Opcode::RefIsNull: {
      StackType a;
      if (!pop_ref(a)) return false;
      push(ValType::i32());
      return true;
    }
    case Opcode::RefFunc:
      if (in.index >= module_.num_funcs()) return fail("unknown function " + std::to_string(in.index));
      if (!const_mode_ && declared_funcs_ &&
          !std::binary_search(declared_funcs_->begin(), declared_funcs_->end(), in.index))
        return fail("undeclared function reference");
      push(ValType::ref(HeapKind::Index, false, module_.func_type_index(in.index)));
      return true;

    default:
      return check_simple(in);
  }
}

// ---- walking a body --------------------------------------------------------

// One instruction: numeric operators, constants, plain loads and stores and
// local accesses, most of any body, are typed right here by the same check_*
// functions step_general uses, without its large frame.
inline bool FunctionValidator::step(const Instruction& in) {
  if (const_mode_) return step_general(in);
  const ir::OpInfo& info = op_info(in.op);
  switch (info.imm) {
    case ir::ImmKind::None:
      if (info.sig == ir::Sig::Special) break;
      instr_offset_ = in.offset;
      return check_numeric(info.sig);
    case ir::ImmKind::I32:
    case ir::ImmKind::I64:
    case ir::ImmKind::F32:
    case ir::ImmKind::F64:
      push(ValType{kKindSignatures[static_cast<size_t>(info.sig)].result_kind});
      return true;
    case ir::ImmKind::MemArg:
      instr_offset_ = in.offset;
      return check_memory_op(in, info.sig);
    case ir::ImmKind::Local:
      instr_offset_ = in.offset;
      if (in.op == Opcode::LocalGet) return check_local_get(in.index);
      if (in.op == Opcode::LocalSet) return check_local_set(in.index);
      return check_local_tee(in.index);
    default:
      break;
  }
  return step_general(in);
}

Expected<void> FunctionValidator::walk(ByteReader& reader, CodeSink* sink) {
  Instruction instr;
  done_ = false;
  while (!done_) {
    if (reader.at_end()) {
      reader.fail(const_mode_ ? "unexpected end" : "END opcode expected");
      break;
    }
    if (!binary::read_instruction_fast(reader, instr, scratch_, features_)) break;
    if (sink) sink->on_instruction(instr, *this);
    if (!step(instr)) break;
  }
  if (reader.failed()) return reader.take_error();
  if (error_) {
    if (malformed_) return *error_;
    // The spec decodes the whole module before validating it, so a malformed
    // encoding later in the body takes precedence over a type error.
    while (!reader.at_end() && read_instruction(reader, instr, scratch_, features_)) {
    }
    if (reader.failed()) return reader.take_error();
    return *error_;
  }
  if (!reader.at_end()) {
    return Error(ErrorKind::Malformed, const_mode_ ? "constant expression required" : "section size mismatch",
                 reader.offset());
  }
  return {};
}

void FunctionValidator::reset() {
  stack_.clear();
  control_.clear();
  height_ = 0;
  error_.reset();
  malformed_ = false;
  done_ = false;
}

Expected<void> FunctionValidator::validate_function(uint32_t func_index, CodeSink* sink) {
  reset();
  const_mode_ = false;
  const ir::FuncType& type = module_.func_type(func_index);
  const ir::FunctionBody& body = module_.codes[func_index - module_.num_imported_funcs];
  locals_ = type.params;
  locals_.reserve(type.params.size() + body.num_locals);
  for (const ir::LocalGroup& group : body.locals) {
    if (group.type.is_ref() && group.type.heap == HeapKind::Index && group.type.index >= module_.types.size())
      return Error(ErrorKind::Invalid, "unknown type", body.whole.offset);
    locals_.insert(locals_.end(), group.count, group.type);
  }
  return_types_ = type.results;
  push_ctrl(FrameKind::Function).set_types({}, type.results);
  ByteReader reader(module_.bytes.data() + body.code.offset, body.code.size, body.code.offset);
  return walk(reader, sink);
}

Expected<void> FunctionValidator::validate_const_expr(const ir::ConstExpr& expr, ValType expected,
                                                      uint32_t num_globals_visible) {
  reset();
  const_mode_ = true;
  const_globals_visible_ = num_globals_visible;
  locals_.clear();
  const_expected_ = expected;
  return_types_ = std::span<const ValType>(&const_expected_, 1);
  push_ctrl(FrameKind::Function).set_single_result(expected);
  ByteReader reader(module_.bytes.data() + expr.code.offset, expr.code.size, expr.code.offset);
  return walk(reader, nullptr);
}

}  // namespace kiln::validate
