#include "interp/fusion_tables.h"

#include <map>
#include <string_view>
#include <type_traits>
#include <utility>

#include "interp/pairs.def"
#include "interp/plain.h"

namespace kiln::interp {

using ir::Opcode;

// A load feeding an ALU op: "t = load(p + off); d = t OP x" (load on the left)
// or "d = x OP t" (on the right; same handler for commutative ops). `indexed`:
// the load is the i32.add-addressed form.
std::optional<Handler> fused_load_op(Opcode load, Opcode op, bool load_on_left, bool indexed) {
#define LOAD_OP(l, o, left, right) \
  if (load == Opcode::l && op == Opcode::o) return load_on_left ? Handler::left : Handler::right;
  if (indexed) {
    LOAD_OP(I32Load, I32Add, I32AddLoadIndexed, I32AddLoadIndexed)
    LOAD_OP(F32Load, F32Add, F32AddLoadIndexed, F32AddLoadIndexed)
    LOAD_OP(F32Load, F32Mul, F32MulLoadIndexed, F32MulLoadIndexed)
    LOAD_OP(F64Load, F64Add, F64AddLoadIndexed, F64AddLoadIndexed)
    LOAD_OP(F64Load, F64Sub, F64SubLoadIndexedL, F64SubLoadIndexedR)
    LOAD_OP(F64Load, F64Mul, F64MulLoadIndexed, F64MulLoadIndexed)
    return std::nullopt;
  }
  LOAD_OP(I32Load, I32Add, I32AddLoad, I32AddLoad)
  LOAD_OP(I32Load, I32Sub, I32SubLoadL, I32SubLoadR)
  LOAD_OP(I32Load, I32And, I32AndLoad, I32AndLoad)
  LOAD_OP(I32Load, I32Or, I32OrLoad, I32OrLoad)
  LOAD_OP(I32Load, I32Xor, I32XorLoad, I32XorLoad)
  LOAD_OP(I32Load, I32Mul, I32MulLoad, I32MulLoad)
  LOAD_OP(I64Load, I64Add, I64AddLoad, I64AddLoad)
  LOAD_OP(I64Load, I64Xor, I64XorLoad, I64XorLoad)
  LOAD_OP(F32Load, F32Add, F32AddLoad, F32AddLoad)
  LOAD_OP(F32Load, F32Mul, F32MulLoad, F32MulLoad)
  LOAD_OP(F64Load, F64Add, F64AddLoad, F64AddLoad)
  LOAD_OP(F64Load, F64Sub, F64SubLoadL, F64SubLoadR)
  LOAD_OP(F64Load, F64Mul, F64MulLoad, F64MulLoad)
  LOAD_OP(F64Load, F64Div, F64DivLoadL, F64DivLoadR)
#undef LOAD_OP
  return std::nullopt;
}

// An ALU op whose result is stored: "t = a OP b; store(p + off, t)".
std::optional<Handler> fused_op_store(Opcode op, Opcode store) {
#define OP_STORE(o, st, h) \
  if (op == Opcode::o && store == Opcode::st) return Handler::h;
  OP_STORE(I32Add, I32Store, I32AddStore)
  OP_STORE(I32Xor, I32Store8, I32XorStore8)
  OP_STORE(I32Add, I32Store8, I32AddStore8)
  OP_STORE(I64Add, I64Store, I64AddStore)
  OP_STORE(F32Add, F32Store, F32AddStore)
  OP_STORE(F64Add, F64Store, F64AddStore)
  OP_STORE(F64Sub, F64Store, F64SubStore)
  OP_STORE(F64Mul, F64Store, F64MulStore)
#undef OP_STORE
  return std::nullopt;
}

// ALU pairs "t = a OP1 b; d = t OP2 c" fused into one instruction (pairs.def).
std::optional<Handler> fused_pair(Opcode first, Opcode second) {
  static const std::map<std::pair<Opcode, Opcode>, Handler> pairs = [] {
    std::map<std::pair<Opcode, Opcode>, Handler> m;
#define KILN_PAIR_ENTRY(T, a, b) m.emplace(std::make_pair(Opcode::T##a, Opcode::T##b), Handler::T##a##b);
    KILN_ALL_PAIRS(KILN_PAIR_ENTRY)
#undef KILN_PAIR_ENTRY
    return m;
  }();
  auto it = pairs.find({first, second});
  if (it == pairs.end()) return std::nullopt;
  return it->second;
}

bool pair_first_commutes(Handler h) {
  switch (h) {
#define KILN_PAIR_CASE(T, a, b) \
  case Handler::T##a##b:        \
    return is_commutative(Opcode::T##a);
    KILN_ALL_PAIRS(KILN_PAIR_CASE)
#undef KILN_PAIR_CASE
    default:
      return false;
  }
}

bool is_commutative(Opcode op) {
  switch (op) {
    case Opcode::I32Add: case Opcode::I32Mul: case Opcode::I32And: case Opcode::I32Or: case Opcode::I32Xor:
    case Opcode::I64Add: case Opcode::I64Mul: case Opcode::I64And: case Opcode::I64Or: case Opcode::I64Xor:
    case Opcode::F32Add: case Opcode::F32Mul: case Opcode::F64Add: case Opcode::F64Mul:
      return true;
    default:
      return false;
  }
}

// "s = a + b; if (s OP c) jump", for an i32.add feeding a fused comparison.
std::optional<Handler> add_branch(Handler branch) {
  switch (branch) {
    case Handler::BrI32Eq: return Handler::AddBrI32Eq;
    case Handler::BrI32Ne: return Handler::AddBrI32Ne;
    case Handler::BrI32LtS: return Handler::AddBrI32LtS;
    case Handler::BrI32LtU: return Handler::AddBrI32LtU;
    case Handler::BrI32GtS: return Handler::AddBrI32GtS;
    case Handler::BrI32GtU: return Handler::AddBrI32GtU;
    case Handler::BrI32LeS: return Handler::AddBrI32LeS;
    case Handler::BrI32LeU: return Handler::AddBrI32LeU;
    case Handler::BrI32GeS: return Handler::AddBrI32GeS;
    case Handler::BrI32GeU: return Handler::AddBrI32GeU;
    default: return std::nullopt;
  }
}

// The comparison with its operands swapped: a < b is b > a.
Handler mirrored_branch(Handler branch) {
  switch (branch) {
    case Handler::BrI32LtS: return Handler::BrI32GtS;
    case Handler::BrI32GtS: return Handler::BrI32LtS;
    case Handler::BrI32LtU: return Handler::BrI32GtU;
    case Handler::BrI32GtU: return Handler::BrI32LtU;
    case Handler::BrI32LeS: return Handler::BrI32GeS;
    case Handler::BrI32GeS: return Handler::BrI32LeS;
    case Handler::BrI32LeU: return Handler::BrI32GeU;
    case Handler::BrI32GeU: return Handler::BrI32LeU;
    default: return branch;  // Eq, Ne
  }
}


std::optional<FusedBranch> fused_branch(Opcode op) {
  switch (op) {
    case Opcode::I32Eqz: return FusedBranch{Handler::BrIfZ, Handler::BrIfNz, 1};
    case Opcode::I64Eqz: return FusedBranch{Handler::BrIfZ64, Handler::BrIfNz64, 1};
#define FUSE(T, op, neg) \
  case Opcode::T##op: return FusedBranch{Handler::Br##T##op, Handler::Br##T##neg, 2};
    FUSE(I32, Eq, Ne) FUSE(I32, Ne, Eq) FUSE(I32, LtS, GeS) FUSE(I32, GeS, LtS) FUSE(I32, LtU, GeU)
    FUSE(I32, GeU, LtU) FUSE(I32, GtS, LeS) FUSE(I32, LeS, GtS) FUSE(I32, GtU, LeU) FUSE(I32, LeU, GtU)
    FUSE(I64, Eq, Ne) FUSE(I64, Ne, Eq) FUSE(I64, LtS, GeS) FUSE(I64, GeS, LtS) FUSE(I64, LtU, GeU)
    FUSE(I64, GeU, LtU) FUSE(I64, GtS, LeS) FUSE(I64, LeS, GtS) FUSE(I64, GtU, LeU) FUSE(I64, LeU, GtU)
#undef FUSE
    // Float comparisons are false on NaN, so their negation is its own handler.
#define FUSE_FLOAT(T, op) \
  case Opcode::T##op: return FusedBranch{Handler::Br##T##op, Handler::Br##T##Not##op, 2};
    FUSE_FLOAT(F32, Eq) FUSE_FLOAT(F32, Ne) FUSE_FLOAT(F32, Lt) FUSE_FLOAT(F32, Gt) FUSE_FLOAT(F32, Le)
    FUSE_FLOAT(F32, Ge) FUSE_FLOAT(F64, Eq) FUSE_FLOAT(F64, Ne) FUSE_FLOAT(F64, Lt) FUSE_FLOAT(F64, Gt)
    FUSE_FLOAT(F64, Le) FUSE_FLOAT(F64, Ge)
#undef FUSE_FLOAT
    default: return std::nullopt;
  }
}

// Handlers safe to copy to another place in the same function: no jump operand
// (which would be relative to the original) and nothing patched later.
bool is_copyable(Handler h) {
  switch (h) {
    case Handler::Br: case Handler::BrIfNz: case Handler::BrIfZ: case Handler::BrIfNz64: case Handler::BrIfZ64:
    case Handler::BrTable: case Handler::BrTableLoadScaled: case Handler::Fuel: case Handler::Return: case Handler::Return64:
    case Handler::ReturnCall: case Handler::ReturnCallIndirect: case Handler::Unreachable:
      return false;
    default:
      break;
  }
  std::string_view name = handler_name(h);
  return name.substr(0, 2) != "Br" && name.substr(0, 5) != "AddBr";
}


std::optional<Handler> checked_access_handler(Opcode op) {
  switch (op) {
#define CHECKED(name) case Opcode::name: return Handler::name##Checked;
    CHECKED(I32Load) CHECKED(I64Load) CHECKED(F32Load) CHECKED(F64Load) CHECKED(I32Load8S) CHECKED(I32Load8U)
    CHECKED(I32Load16S) CHECKED(I32Load16U) CHECKED(I64Load8S) CHECKED(I64Load8U) CHECKED(I64Load16S)
    CHECKED(I64Load16U) CHECKED(I64Load32S) CHECKED(I64Load32U) CHECKED(I32Store) CHECKED(I64Store)
    CHECKED(F32Store) CHECKED(F64Store) CHECKED(I32Store8) CHECKED(I32Store16) CHECKED(I64Store8)
    CHECKED(I64Store16) CHECKED(I64Store32) CHECKED(V128Load) CHECKED(V128Store)
#undef CHECKED
    default: return std::nullopt;
  }
}
std::optional<Handler> scaled_address_handler(Opcode op) {
  switch (op) {
    case Opcode::I32Load: return Handler::I32LoadScaled;
    case Opcode::I64Load: return Handler::I64LoadScaled;
    case Opcode::F64Load: return Handler::F64LoadScaled;
    case Opcode::I32Load16S: return Handler::I32Load16SScaled;
    case Opcode::I32Store: return Handler::I32StoreScaled;
    case Opcode::I64Store: return Handler::I64StoreScaled;
    case Opcode::F64Store: return Handler::F64StoreScaled;
    default: return std::nullopt;
  }
}
std::optional<Handler> fused_address_handler(Opcode op) {
  switch (op) {
    case Opcode::I32Load: return Handler::I32LoadAdd;
    case Opcode::I64Load: return Handler::I64LoadAdd;
    case Opcode::F32Load: return Handler::F32LoadAdd;
    case Opcode::F64Load: return Handler::F64LoadAdd;
    case Opcode::I32Load8S: return Handler::I32Load8SAdd;
    case Opcode::I32Load8U: return Handler::I32Load8UAdd;
    case Opcode::I32Load16S: return Handler::I32Load16SAdd;
    case Opcode::I32Load16U: return Handler::I32Load16UAdd;
    case Opcode::I32Store: return Handler::I32StoreAdd;
    case Opcode::I64Store: return Handler::I64StoreAdd;
    case Opcode::F32Store: return Handler::F32StoreAdd;
    case Opcode::F64Store: return Handler::F64StoreAdd;
    case Opcode::I32Store8: return Handler::I32Store8Add;
    case Opcode::I32Store16: return Handler::I32Store16Add;
    default: return std::nullopt;
  }
}
std::optional<Handler> read_modify_write(Handler load_op, Opcode store) {
  if (load_op == Handler::I32AddLoad && store == Opcode::I32Store) return Handler::I32AddRmw;
  if (load_op == Handler::I64AddLoad && store == Opcode::I64Store) return Handler::I64AddRmw;
  if (load_op == Handler::F32AddLoad && store == Opcode::F32Store) return Handler::F32AddRmw;
  if (load_op == Handler::F64AddLoad && store == Opcode::F64Store) return Handler::F64AddRmw;
  return std::nullopt;
}
}  // namespace kiln::interp

namespace kiln::interp {

namespace {

template <class T>
constexpr Accumulator accumulator_of() {
  if constexpr (std::is_same_v<T, float>) {
    return Accumulator::F32;
  } else if constexpr (std::is_same_v<T, double>) {
    return Accumulator::F64;
  } else {
    return Accumulator::Integer;
  }
}

// The C types of the pair types (pairs.def).
using I32 = uint32_t;
using I64 = uint64_t;
using F32 = float;
using F64 = double;

}  // namespace

// The handlers whose code writes W(0) with SET_DST (interpreter.cpp), by the
// type written: every plain handler (generated from opcodes.def, so a new
// plain instruction is a producer without being listed), and the fused and
// hand-written ones listed below. A handler listed here that does not is
// caught by the check build (KILN_CHECK_ACCUMULATOR, the sanitizer build),
// which compares every accumulator read with the slot.
Accumulator accumulator_set_by(Handler h) {
  switch (h) {
#define PLAIN_PRODUCER(name, sig) \
  case Handler::name:        \
    return accumulator_of<KILN_SEMANTIC(name)::Result>();
#define OP(name, prefix, code, text, imm, sig) KILN_PLAIN_ROW(PLAIN_PRODUCER, name, prefix, code, text, imm, sig)
#include "ir/opcodes.def"
#undef OP
#undef PLAIN_PRODUCER
#define H(name) case Handler::name:
    // Fused operators with an integer result (those of KILN_ACC_UNARY are below).
    H(I32TruncF32SGuarded) H(I32TruncF64SGuarded) H(I64TruncF32SGuarded) H(I64TruncF64SGuarded)
    // Loads (LOAD, LOAD_ADD, LOAD_SCALED; float loads below).
    H(I32Load) H(I64Load) H(I32Load8S) H(I32Load8U) H(I32Load16S) H(I32Load16U)
    H(I64Load8S) H(I64Load8U) H(I64Load16S) H(I64Load16U) H(I64Load32S) H(I64Load32U)
    H(I32LoadAdd) H(I64LoadAdd) H(I32Load8SAdd) H(I32Load8UAdd) H(I32Load16SAdd)
    H(I32Load16UAdd) H(I32LoadScaled) H(I64LoadScaled) H(I32Load16SScaled)
    // Integer load+op (LOAD_OP, LOAD_INDEXED_OP).
    H(I32AddLoad) H(I32SubLoadL) H(I32SubLoadR) H(I32AndLoad) H(I32OrLoad) H(I32XorLoad) H(I32MulLoad)
    H(I64AddLoad) H(I64XorLoad) H(I32AddLoadIndexed)
    H(Copy64) H(Copy64Acc) H(Select64) H(Select64Acc)
    H(I32LoadAcc) H(I64LoadAcc) H(I32Load8SAcc) H(I32Load8UAcc) H(I32Load16SAcc) H(I32Load16UAcc)
    H(I32LoadAddAccA) H(I32LoadAddAccB) H(I64LoadAddAccA) H(I64LoadAddAccB) H(I32Load8SAddAccA)
    H(I32Load8SAddAccB) H(I32Load8UAddAccA) H(I32Load8UAddAccB) H(I32Load16SAddAccA) H(I32Load16SAddAccB)
    H(I32Load16UAddAccA) H(I32Load16UAddAccB)
#define KILN_ACC_COMPARE_CASE(name, ...) case Handler::name##AccA: case Handler::name##AccB:
    KILN_ACC_VALUE_COMPARE(KILN_ACC_COMPARE_CASE)
#undef KILN_ACC_COMPARE_CASE
#define KILN_ACC_GUARDED_CASE(name, F, I) case Handler::name##Acc:
    KILN_ACC_GUARDED(KILN_ACC_GUARDED_CASE)
#undef KILN_ACC_GUARDED_CASE
      return Accumulator::Integer;
    // Float load+op.
    H(F32AddLoad) H(F32MulLoad) H(F32AddLoadIndexed) H(F32MulLoadIndexed)
    // Float loads: the value's bits (an f32's zero-extended, as the slot has them).
    H(F32Load) H(F32LoadAcc) H(F32LoadAdd) H(F32LoadAddAccA) H(F32LoadAddAccB)
    H(F32ConvertLoad8U) H(F32ConvertLoad8UAdd)
      return Accumulator::F32;
    H(F64AddLoad) H(F64SubLoadL) H(F64SubLoadR) H(F64MulLoad) H(F64DivLoadL)
    H(F64DivLoadR) H(F64AddLoadIndexed) H(F64SubLoadIndexedL) H(F64SubLoadIndexedR) H(F64MulLoadIndexed)
    H(F64Load) H(F64LoadAcc) H(F64LoadAdd) H(F64LoadAddAccA) H(F64LoadAddAccB) H(F64LoadScaled)
    H(F64ConvertLoad8U) H(F64ConvertLoad8UAdd)
      return Accumulator::F64;
#undef H
    default:
      break;
  }
  // The forms generated from lists, by their result type.
  switch (h) {
#define KILN_PAIR_CASE(T, a, b) \
  case Handler::T##a##b:        \
  case Handler::T##a##b##AccA:  \
  case Handler::T##a##b##AccC:  \
    return accumulator_of<T>();
    KILN_ALL_PAIRS(KILN_PAIR_CASE)
#undef KILN_PAIR_CASE
#define KILN_ACC_ALU_CASE(T, op) \
  case Handler::T##op##AccA:     \
  case Handler::T##op##AccB:     \
    return accumulator_of<T>();
    KILN_ACC_ALU(KILN_ACC_ALU_CASE)
#undef KILN_ACC_ALU_CASE
#define KILN_ACC_UNARY_CASE(name) \
  case Handler::name##Acc:        \
    return accumulator_of<KILN_SEMANTIC(name)::Result>();
    KILN_ACC_UNARY(KILN_ACC_UNARY_CASE)
#undef KILN_ACC_UNARY_CASE
    default:
      return Accumulator::None;
  }
}

std::optional<AccumulatorForm> accumulator_form(Handler h, uint32_t operand) {
  // `first` reads operand `first_operand`, `second` the next one.
  auto either = [operand](uint32_t first_operand, Handler first, Handler second,
                          Accumulator reads) -> std::optional<AccumulatorForm> {
    if (operand == first_operand) return AccumulatorForm{first, reads};
    if (operand == first_operand + 1) return AccumulatorForm{second, reads};
    return std::nullopt;
  };
  auto only = [operand](uint32_t only_operand, Handler form, Accumulator reads) -> std::optional<AccumulatorForm> {
    if (operand == only_operand) return AccumulatorForm{form, reads};
    return std::nullopt;
  };
  switch (h) {
#define KILN_ACC_ALU_CASE(T, op) \
  case Handler::T##op:           \
    return either(1, Handler::T##op##AccA, Handler::T##op##AccB, accumulator_of<T>());
    KILN_ACC_ALU(KILN_ACC_ALU_CASE)
#undef KILN_ACC_ALU_CASE
#define KILN_ACC_VALUE_COMPARE_CASE(name) \
  case Handler::name:                           \
    return either(1, Handler::name##AccA, Handler::name##AccB, Accumulator::Integer);
    KILN_ACC_VALUE_COMPARE(KILN_ACC_VALUE_COMPARE_CASE)
#undef KILN_ACC_VALUE_COMPARE_CASE
#define KILN_ACC_COMPARE_CASE(name, op) \
  case Handler::name:                     \
    return either(0, Handler::name##AccA, Handler::name##AccB, Accumulator::Integer);
    KILN_ACC_COMPARE(KILN_ACC_COMPARE_CASE)
#undef KILN_ACC_COMPARE_CASE
  // Forms Name##Acc of one-operand handlers (dst x), x of type T.
#define KILN_ACC_X_CASE(name, T) \
  case Handler::name:            \
    return only(1, Handler::name##Acc, accumulator_of<T>());
#define KILN_ACC_LOAD_CASE(name, MemT, Result) KILN_ACC_X_CASE(name, uint32_t)
#define KILN_ACC_UNARY_CASE(name) KILN_ACC_X_CASE(name, KILN_SEMANTIC(name)::A0)
#define KILN_ACC_GUARDED_CASE(name, F, I) KILN_ACC_X_CASE(name, F)
    KILN_ACC_LOAD(KILN_ACC_LOAD_CASE)
    KILN_ACC_UNARY(KILN_ACC_UNARY_CASE)
    KILN_ACC_GUARDED(KILN_ACC_GUARDED_CASE)
#undef KILN_ACC_LOAD_CASE
#undef KILN_ACC_UNARY_CASE
#undef KILN_ACC_GUARDED_CASE
#undef KILN_ACC_X_CASE
#define KILN_ACC_STORE_CASE(name, ValT, MemT)                         \
  case Handler::name:                                                \
    if (operand == 0) return AccumulatorForm{Handler::name##AccAddr, Accumulator::Integer}; \
    return only(1, Handler::name##AccValue, accumulator_of<ValT>());
    KILN_ACC_STORE(KILN_ACC_STORE_CASE)
#undef KILN_ACC_STORE_CASE
#define KILN_ACC_STORE_ADD_CASE(name, ValT, MemT) \
  case Handler::name:                            \
    return only(3, Handler::name##AccValue, accumulator_of<ValT>());
    KILN_ACC_STORE_ADD(KILN_ACC_STORE_ADD_CASE)
#undef KILN_ACC_STORE_ADD_CASE
#define KILN_ACC_PAIR_CASE(T, a, b)                                                          \
  case Handler::T##a##b:                                                                     \
    if (operand == 1) return AccumulatorForm{Handler::T##a##b##AccA, accumulator_of<T>()}; \
    return only(3, Handler::T##a##b##AccC, accumulator_of<T>());
    KILN_ACC_PAIRS(KILN_ACC_PAIR_CASE)
#undef KILN_ACC_PAIR_CASE
#define KILN_ACC_LOAD_ADD_CASE(name, MemT, Result) \
  case Handler::name:                             \
    return either(1, Handler::name##AccA, Handler::name##AccB, Accumulator::Integer);
    KILN_ACC_LOAD_ADD(KILN_ACC_LOAD_ADD_CASE)
#undef KILN_ACC_LOAD_ADD_CASE
#define KILN_ACC_OP_STORE_CASE(name, T, MemT, expr) \
  case Handler::name:                              \
    return either(1, Handler::name##AccA, Handler::name##AccB, accumulator_of<T>());
    KILN_ACC_OP_STORE(KILN_ACC_OP_STORE_CASE)
#undef KILN_ACC_OP_STORE_CASE
    case Handler::Copy64: return only(1, Handler::Copy64Acc, Accumulator::Integer);
    case Handler::Return64: return only(0, Handler::Return64Acc, Accumulator::Integer);
    case Handler::BrIfNz: return only(0, Handler::BrIfNzAcc, Accumulator::Integer);
    case Handler::BrIfZ: return only(0, Handler::BrIfZAcc, Accumulator::Integer);
    case Handler::Select64: return only(3, Handler::Select64Acc, Accumulator::Integer);
    default: return std::nullopt;
  }
}

}  // namespace kiln::interp
