// 128-bit SIMD in the LLVM tier: a v128 is an LLVM vector (<2 x i64> between
// instructions, bitcast to the lanes each operation works on, which costs
// nothing). Each operation computes exactly what interp/simd.h does, NaN bits
// included where the interpreter's are fixed (min and max); the rest is LLVM's
// vector arithmetic, which compiles to the same host instructions.
#include <llvm/IR/IntrinsicsX86.h>
#include <llvm/TargetParser/Host.h>

#include <cstring>

#include "llvm/function_builder.h"

namespace kiln::llvmtier {

using binary::Instruction;
using ir::Opcode;

namespace {

// Whether the host has SSSE3's pshufb (i8x16.swizzle in one instruction).
bool host_has_pshufb() {
  static const bool has = [] {
    llvm::StringMap<bool> features = llvm::sys::getHostCPUFeatures();
    auto it = features.find("ssse3");
    return it != features.end() && it->second;
  }();
  return has;
}

}  // namespace

llvm::Type* FunctionBuilder::v128_type() { return llvm::FixedVectorType::get(b_.getInt64Ty(), 2); }

llvm::FixedVectorType* FunctionBuilder::lanes(llvm::Type* lane, unsigned count) {
  return llvm::FixedVectorType::get(lane, count);
}

llvm::Value* FunctionBuilder::as_lanes(llvm::Value* v, llvm::Type* lane, unsigned count) {
  return b_.CreateBitCast(v, lanes(lane, count));
}

llvm::Value* FunctionBuilder::as_v128(llvm::Value* v) { return b_.CreateBitCast(v, v128_type()); }

// A NaN result of float lanes made quiet, as the scalar `quiet` in
// translate_numeric: where LLVM would fold an operation with a constant
// operand (x * 1.0) and pass a signalling NaN on.
llvm::Value* FunctionBuilder::quiet_lanes(llvm::Value* v) {
  auto* type = llvm::cast<llvm::FixedVectorType>(v->getType());
  bool is_float = type->getElementType()->isFloatTy();
  llvm::Type* bits = lanes(is_float ? b_.getInt32Ty() : b_.getInt64Ty(), type->getNumElements());
  llvm::Constant* quiet_bit = llvm::ConstantInt::get(bits, is_float ? 0x00400000u : 0x0008000000000000ull);
  llvm::Value* quieted = b_.CreateBitCast(b_.CreateOr(b_.CreateBitCast(v, bits), quiet_bit), type);
  return b_.CreateSelect(b_.CreateFCmpUNO(v, v), quieted, v);
}

// Lanes [first, first + count) of a vector.
llvm::Value* FunctionBuilder::lane_range(llvm::Value* v, unsigned first, unsigned count) {
  llvm::SmallVector<int, 16> mask;
  for (unsigned i = 0; i < count; ++i) mask.push_back(static_cast<int>(first + i));
  return b_.CreateShuffleVector(v, v, mask);
}

// A vector of twice the lanes: a's, then c's.
llvm::Value* FunctionBuilder::concat(llvm::Value* a, llvm::Value* c) {
  unsigned n = llvm::cast<llvm::FixedVectorType>(a->getType())->getNumElements();
  llvm::SmallVector<int, 32> mask;
  for (unsigned i = 0; i < 2 * n; ++i) mask.push_back(static_cast<int>(i));
  return b_.CreateShuffleVector(a, c, mask);
}

// Every other lane, from `first` (0: the even lanes, 1: the odd ones).
llvm::Value* FunctionBuilder::alternate_lanes(llvm::Value* v, unsigned first) {
  unsigned n = llvm::cast<llvm::FixedVectorType>(v->getType())->getNumElements();
  llvm::SmallVector<int, 16> mask;
  for (unsigned i = first; i < n; i += 2) mask.push_back(static_cast<int>(i));
  return b_.CreateShuffleVector(v, v, mask);
}

// wasm's min and max of float lanes, as semantics::wasm_min/wasm_max: a NaN
// operand gives a + b, equal operands (-0 and +0) the or (min) or and (max)
// of their bits, else the smaller (larger) one.
llvm::Value* FunctionBuilder::float_min_max(llvm::Value* a, llvm::Value* c, bool is_min) {
  auto* type = llvm::cast<llvm::FixedVectorType>(a->getType());
  llvm::Type* bits = lanes(type->getElementType()->isFloatTy() ? b_.getInt32Ty() : b_.getInt64Ty(),
                           type->getNumElements());
  llvm::Value* ab = b_.CreateBitCast(a, bits);
  llvm::Value* cb = b_.CreateBitCast(c, bits);
  llvm::Value* equal = b_.CreateBitCast(is_min ? b_.CreateOr(ab, cb) : b_.CreateAnd(ab, cb), type);
  llvm::Value* ordered = b_.CreateSelect(is_min ? b_.CreateFCmpOLT(a, c) : b_.CreateFCmpOGT(a, c), a, c);
  llvm::Value* not_nan = b_.CreateSelect(b_.CreateFCmpOEQ(a, c), equal, ordered);
  return b_.CreateSelect(b_.CreateFCmpUNO(a, c), b_.CreateFAdd(a, c), not_nan);
}

// i8x16.swizzle: lanes of a picked by the lanes of s; an index past 15 picks 0.
llvm::Value* FunctionBuilder::swizzle(llvm::Value* a, llvm::Value* s) {
  llvm::Type* i8 = b_.getInt8Ty();
  if (host_has_pshufb()) {
    // pshufb zeroes a lane whose index has its top bit set and uses the low
    // four bits otherwise: indices 16 and up saturate to 0x80 and above.
    llvm::Value* index = b_.CreateBinaryIntrinsic(llvm::Intrinsic::uadd_sat, s, llvm::ConstantInt::get(lanes(i8, 16), 0x70));
    return b_.CreateCall(llvm::Intrinsic::getDeclaration(&decls_.module, llvm::Intrinsic::x86_ssse3_pshuf_b_128),
                         {a, index});
  }
  llvm::Value* r = llvm::Constant::getNullValue(lanes(i8, 16));
  for (unsigned i = 0; i < 16; ++i) {
    llvm::Value* index = b_.CreateExtractElement(s, b_.getInt32(i));
    llvm::Value* lane = b_.CreateExtractElement(a, b_.CreateAnd(index, b_.getInt8(15)));
    llvm::Value* picked = b_.CreateSelect(b_.CreateICmpULT(index, b_.getInt8(16)), lane, b_.getInt8(0));
    r = b_.CreateInsertElement(r, picked, b_.getInt32(i));
  }
  return r;
}

// Saturating narrowing: a's lanes, then c's, each clamped to the narrow
// type's range (signed, or unsigned from a signed input).
llvm::Value* FunctionBuilder::narrow(llvm::Value* a, llvm::Value* c, llvm::Type* narrow_lane, bool is_signed) {
  llvm::Value* both = concat(a, c);
  auto* type = llvm::cast<llvm::FixedVectorType>(both->getType());
  unsigned narrow_bits = narrow_lane->getIntegerBitWidth();
  unsigned wide_bits = type->getElementType()->getIntegerBitWidth();
  llvm::APInt low = is_signed ? llvm::APInt::getSignedMinValue(narrow_bits).sext(wide_bits) : llvm::APInt(wide_bits, 0);
  llvm::APInt high = is_signed ? llvm::APInt::getSignedMaxValue(narrow_bits).sext(wide_bits)
                               : llvm::APInt::getMaxValue(narrow_bits).zext(wide_bits);
  llvm::Value* clamped = b_.CreateBinaryIntrinsic(llvm::Intrinsic::smax, both, llvm::ConstantInt::get(type, low));
  clamped = b_.CreateBinaryIntrinsic(llvm::Intrinsic::smin, clamped, llvm::ConstantInt::get(type, high));
  return b_.CreateTrunc(clamped, lanes(narrow_lane, type->getNumElements()));
}

// A v128 memory access of `size` bytes at the instruction's address (popped).
llvm::Value* FunctionBuilder::simd_address(const Instruction& in, uint32_t size) {
  return effective_address(in.memarg.memory, pop(), in.memarg.offset, size);
}

llvm::Value* FunctionBuilder::simd_load(const Instruction& in, llvm::Type* type, llvm::Value* address) {
  bool guarded = guarded_access(in.memarg.memory);
  llvm::LoadInst* loaded = b_.CreateAlignedLoad(type, address, llvm::Align(1), guarded);
  if (guarded) mark_guarded_access(loaded);
  return loaded;
}

void FunctionBuilder::simd_store(const Instruction& in, llvm::Value* value, llvm::Value* address) {
  bool guarded = guarded_access(in.memarg.memory);
  llvm::StoreInst* stored = b_.CreateAlignedStore(value, address, llvm::Align(1), guarded);
  if (guarded) mark_guarded_access(stored);
}

bool FunctionBuilder::translate_simd_memory(const Instruction& in) {
  llvm::Type *i8 = b_.getInt8Ty(), *i16 = b_.getInt16Ty(), *i32 = b_.getInt32Ty(), *i64 = b_.getInt64Ty();
  // A load of `count` lanes of `lane`, extended to twice their width.
  auto load_extend = [&](llvm::Type* lane, unsigned count, bool is_signed) {
    llvm::Value* loaded = simd_load(in, lanes(lane, count), simd_address(in, lane->getIntegerBitWidth() / 8 * count));
    llvm::Type* wide = lanes(b_.getIntNTy(2 * lane->getIntegerBitWidth()), count);
    push(as_v128(is_signed ? b_.CreateSExt(loaded, wide) : b_.CreateZExt(loaded, wide)));
  };
  auto load_splat = [&](llvm::Type* lane) {
    unsigned bytes = lane->getIntegerBitWidth() / 8;
    llvm::Value* loaded = simd_load(in, lane, simd_address(in, bytes));
    push(as_v128(b_.CreateVectorSplat(16 / bytes, loaded)));
  };
  auto load_zero = [&](llvm::Type* lane) {
    unsigned bytes = lane->getIntegerBitWidth() / 8;
    llvm::Value* loaded = simd_load(in, lane, simd_address(in, bytes));
    push(as_v128(b_.CreateInsertElement(llvm::Constant::getNullValue(lanes(lane, 16 / bytes)), loaded, uint64_t{0})));
  };
  // load_lane and store_lane: the vector is on top, the address below it.
  auto load_lane = [&](llvm::Type* lane) {
    unsigned bytes = lane->getIntegerBitWidth() / 8;
    llvm::Value* vector = as_lanes(pop(), lane, 16 / bytes);
    llvm::Value* loaded = simd_load(in, lane, simd_address(in, bytes));
    push(as_v128(b_.CreateInsertElement(vector, loaded, uint64_t{in.lane})));
  };
  auto store_lane = [&](llvm::Type* lane) {
    unsigned bytes = lane->getIntegerBitWidth() / 8;
    llvm::Value* value = b_.CreateExtractElement(as_lanes(pop(), lane, 16 / bytes), uint64_t{in.lane});
    simd_store(in, value, simd_address(in, bytes));
  };
  switch (in.op) {
    case Opcode::V128Load: push(simd_load(in, v128_type(), simd_address(in, 16))); return true;
    case Opcode::V128Store: {
      llvm::Value* value = pop();
      simd_store(in, value, simd_address(in, 16));
      return true;
    }
    case Opcode::V128Load8x8S: load_extend(i8, 8, true); return true;
    case Opcode::V128Load8x8U: load_extend(i8, 8, false); return true;
    case Opcode::V128Load16x4S: load_extend(i16, 4, true); return true;
    case Opcode::V128Load16x4U: load_extend(i16, 4, false); return true;
    case Opcode::V128Load32x2S: load_extend(i32, 2, true); return true;
    case Opcode::V128Load32x2U: load_extend(i32, 2, false); return true;
    case Opcode::V128Load8Splat: load_splat(i8); return true;
    case Opcode::V128Load16Splat: load_splat(i16); return true;
    case Opcode::V128Load32Splat: load_splat(i32); return true;
    case Opcode::V128Load64Splat: load_splat(i64); return true;
    case Opcode::V128Load32Zero: load_zero(i32); return true;
    case Opcode::V128Load64Zero: load_zero(i64); return true;
    case Opcode::V128Load8Lane: load_lane(i8); return true;
    case Opcode::V128Load16Lane: load_lane(i16); return true;
    case Opcode::V128Load32Lane: load_lane(i32); return true;
    case Opcode::V128Load64Lane: load_lane(i64); return true;
    case Opcode::V128Store8Lane: store_lane(i8); return true;
    case Opcode::V128Store16Lane: store_lane(i16); return true;
    case Opcode::V128Store32Lane: store_lane(i32); return true;
    case Opcode::V128Store64Lane: store_lane(i64); return true;
    default: return false;
  }
}

bool FunctionBuilder::translate_simd_lanes(const Instruction& in) {
  llvm::Type *i8 = b_.getInt8Ty(), *i16 = b_.getInt16Ty(), *i32 = b_.getInt32Ty(), *i64 = b_.getInt64Ty();
  llvm::Type *f32 = b_.getFloatTy(), *f64 = b_.getDoubleTy();
  auto splat = [&](llvm::Type* lane, unsigned count) {
    llvm::Value* x = pop();
    if (x->getType() != lane) x = b_.CreateTrunc(x, lane);
    push(as_v128(b_.CreateVectorSplat(count, x)));
  };
  // extract_lane: i8 and i16 lanes extended to an i32 (signed or not).
  auto extract = [&](llvm::Type* lane, unsigned count, bool is_signed = false) {
    llvm::Value* x = b_.CreateExtractElement(as_lanes(pop(), lane, count), uint64_t{in.lane});
    if (lane == i8 || lane == i16) x = is_signed ? b_.CreateSExt(x, i32) : b_.CreateZExt(x, i32);
    push(x);
  };
  auto replace = [&](llvm::Type* lane, unsigned count) {
    llvm::Value* x = pop();
    llvm::Value* vector = as_lanes(pop(), lane, count);
    if (x->getType() != lane) x = b_.CreateTrunc(x, lane);
    push(as_v128(b_.CreateInsertElement(vector, x, uint64_t{in.lane})));
  };
  switch (in.op) {
    case Opcode::V128Const: {
      uint64_t halves[2];
      std::memcpy(halves, in.v128.bytes.data(), 16);
      push(llvm::ConstantDataVector::get(ctx_, llvm::ArrayRef<uint64_t>(halves, 2)));
      return true;
    }
    case Opcode::I8x16Shuffle: {
      llvm::Value* c = as_lanes(pop(), i8, 16);
      llvm::Value* a = as_lanes(pop(), i8, 16);
      llvm::SmallVector<int, 16> mask;
      for (uint8_t lane : in.v128.bytes) mask.push_back(lane);
      push(as_v128(b_.CreateShuffleVector(a, c, mask)));
      return true;
    }
    case Opcode::I8x16Swizzle: {
      llvm::Value* s = as_lanes(pop(), i8, 16);
      llvm::Value* a = as_lanes(pop(), i8, 16);
      push(as_v128(swizzle(a, s)));
      return true;
    }
    case Opcode::I8x16Splat: splat(i8, 16); return true;
    case Opcode::I16x8Splat: splat(i16, 8); return true;
    case Opcode::I32x4Splat: splat(i32, 4); return true;
    case Opcode::I64x2Splat: splat(i64, 2); return true;
    case Opcode::F32x4Splat: splat(f32, 4); return true;
    case Opcode::F64x2Splat: splat(f64, 2); return true;
    case Opcode::I8x16ExtractLaneS: extract(i8, 16, true); return true;
    case Opcode::I8x16ExtractLaneU: extract(i8, 16); return true;
    case Opcode::I16x8ExtractLaneS: extract(i16, 8, true); return true;
    case Opcode::I16x8ExtractLaneU: extract(i16, 8); return true;
    case Opcode::I32x4ExtractLane: extract(i32, 4); return true;
    case Opcode::I64x2ExtractLane: extract(i64, 2); return true;
    case Opcode::F32x4ExtractLane: extract(f32, 4); return true;
    case Opcode::F64x2ExtractLane: extract(f64, 2); return true;
    case Opcode::I8x16ReplaceLane: replace(i8, 16); return true;
    case Opcode::I16x8ReplaceLane: replace(i16, 8); return true;
    case Opcode::I32x4ReplaceLane: replace(i32, 4); return true;
    case Opcode::I64x2ReplaceLane: replace(i64, 2); return true;
    case Opcode::F32x4ReplaceLane: replace(f32, 4); return true;
    case Opcode::F64x2ReplaceLane: replace(f64, 2); return true;
    default: return false;
  }
}

bool FunctionBuilder::translate_simd_integer(const Instruction& in) {
  using ID = llvm::Intrinsic::ID;
  using P = llvm::CmpInst::Predicate;
  llvm::Type *i8 = b_.getInt8Ty(), *i16 = b_.getInt16Ty(), *i32 = b_.getInt32Ty(), *i64 = b_.getInt64Ty();
  // Binary and unary operations on `count` lanes of `lane`.
  auto binary = [&](llvm::Type* lane, unsigned count, auto make) {
    llvm::Value* c = as_lanes(pop(), lane, count);
    llvm::Value* a = as_lanes(pop(), lane, count);
    push(as_v128(make(a, c)));
  };
  auto unary = [&](llvm::Type* lane, unsigned count, auto make) { push(as_v128(make(as_lanes(pop(), lane, count)))); };
  auto intrinsic2 = [&](llvm::Type* lane, unsigned count, ID id) {
    binary(lane, count, [&](llvm::Value* a, llvm::Value* c) { return b_.CreateBinaryIntrinsic(id, a, c); });
  };
  // Comparisons give all-ones lanes for true.
  auto compare = [&](llvm::Type* lane, unsigned count, P p) {
    binary(lane, count, [&](llvm::Value* a, llvm::Value* c) { return b_.CreateSExt(b_.CreateICmp(p, a, c), a->getType()); });
  };
  // Shifts take the count modulo the lane width.
  auto shift = [&](llvm::Type* lane, unsigned count, llvm::Instruction::BinaryOps op) {
    llvm::Value* amount = b_.CreateAnd(pop(), b_.getInt32(lane->getIntegerBitWidth() - 1));
    llvm::Value* a = as_lanes(pop(), lane, count);
    amount = b_.CreateZExtOrTrunc(amount, lane);
    push(as_v128(b_.CreateBinOp(op, a, b_.CreateVectorSplat(count, amount))));
  };
  auto abs = [&](llvm::Type* lane, unsigned count) {
    unary(lane, count, [&](llvm::Value* a) {
      return b_.CreateBinaryIntrinsic(llvm::Intrinsic::abs, a, b_.getFalse());  // INT_MIN stays INT_MIN
    });
  };
  auto neg = [&](llvm::Type* lane, unsigned count) { unary(lane, count, [&](llvm::Value* a) { return b_.CreateNeg(a); }); };
  auto all_true = [&](llvm::Type* lane, unsigned count) {
    llvm::Value* a = as_lanes(pop(), lane, count);
    llvm::Value* nonzero = b_.CreateICmpNE(a, llvm::Constant::getNullValue(a->getType()));
    push(b_.CreateZExt(b_.CreateAndReduce(nonzero), i32));
  };
  auto bitmask = [&](llvm::Type* lane, unsigned count) {
    llvm::Value* a = as_lanes(pop(), lane, count);
    llvm::Value* negative = b_.CreateICmpSLT(a, llvm::Constant::getNullValue(a->getType()));
    push(b_.CreateZExt(b_.CreateBitCast(negative, b_.getIntNTy(count)), i32));
  };
  // (a + b + 1) / 2 of unsigned lanes, in lanes twice as wide.
  auto avgr = [&](llvm::Type* lane, unsigned count) {
    binary(lane, count, [&](llvm::Value* a, llvm::Value* c) {
      llvm::Type* wide = lanes(b_.getIntNTy(2 * lane->getIntegerBitWidth()), count);
      llvm::Value* sum = b_.CreateAdd(b_.CreateAdd(b_.CreateZExt(a, wide), b_.CreateZExt(c, wide)),
                                      llvm::ConstantInt::get(wide, 1));
      return b_.CreateTrunc(b_.CreateLShr(sum, llvm::ConstantInt::get(wide, 1)), a->getType());
    });
  };
  // Half of the lanes (low: the first), extended to twice the width.
  auto extend_half = [&](llvm::Value* v, bool high, bool is_signed) {
    auto* type = llvm::cast<llvm::FixedVectorType>(v->getType());
    unsigned half = type->getNumElements() / 2;
    llvm::Value* part = lane_range(v, high ? half : 0, half);
    llvm::Type* wide = lanes(b_.getIntNTy(2 * type->getElementType()->getIntegerBitWidth()), half);
    return is_signed ? b_.CreateSExt(part, wide) : b_.CreateZExt(part, wide);
  };
  auto extend = [&](llvm::Type* lane, bool high, bool is_signed) {
    push(as_v128(extend_half(as_lanes(pop(), lane, 128 / lane->getIntegerBitWidth()), high, is_signed)));
  };
  auto extmul = [&](llvm::Type* lane, bool high, bool is_signed) {
    unsigned count = 128 / lane->getIntegerBitWidth();
    llvm::Value* c = as_lanes(pop(), lane, count);
    llvm::Value* a = as_lanes(pop(), lane, count);
    push(as_v128(b_.CreateMul(extend_half(a, high, is_signed), extend_half(c, high, is_signed))));
  };
  auto extadd_pairwise = [&](llvm::Type* lane, bool is_signed) {
    unsigned count = 128 / lane->getIntegerBitWidth();
    llvm::Value* a = as_lanes(pop(), lane, count);
    llvm::Type* wide = lanes(b_.getIntNTy(2 * lane->getIntegerBitWidth()), count / 2);
    auto widen = [&](llvm::Value* v) { return is_signed ? b_.CreateSExt(v, wide) : b_.CreateZExt(v, wide); };
    push(as_v128(b_.CreateAdd(widen(alternate_lanes(a, 0)), widen(alternate_lanes(a, 1)))));
  };
  auto narrowing = [&](llvm::Type* wide_lane, llvm::Type* narrow_lane, bool is_signed) {
    unsigned count = 128 / wide_lane->getIntegerBitWidth();
    llvm::Value* c = as_lanes(pop(), wide_lane, count);
    llvm::Value* a = as_lanes(pop(), wide_lane, count);
    push(as_v128(narrow(a, c, narrow_lane, is_signed)));
  };
  auto add = [&](llvm::Value* a, llvm::Value* c) { return b_.CreateAdd(a, c); };
  auto sub = [&](llvm::Value* a, llvm::Value* c) { return b_.CreateSub(a, c); };
  auto mul = [&](llvm::Value* a, llvm::Value* c) { return b_.CreateMul(a, c); };
  using llvm::Instruction;
  namespace I = llvm::Intrinsic;
  switch (in.op) {
    case Opcode::I8x16Eq: compare(i8, 16, P::ICMP_EQ); return true;
    case Opcode::I8x16Ne: compare(i8, 16, P::ICMP_NE); return true;
    case Opcode::I8x16LtS: compare(i8, 16, P::ICMP_SLT); return true;
    case Opcode::I8x16LtU: compare(i8, 16, P::ICMP_ULT); return true;
    case Opcode::I8x16GtS: compare(i8, 16, P::ICMP_SGT); return true;
    case Opcode::I8x16GtU: compare(i8, 16, P::ICMP_UGT); return true;
    case Opcode::I8x16LeS: compare(i8, 16, P::ICMP_SLE); return true;
    case Opcode::I8x16LeU: compare(i8, 16, P::ICMP_ULE); return true;
    case Opcode::I8x16GeS: compare(i8, 16, P::ICMP_SGE); return true;
    case Opcode::I8x16GeU: compare(i8, 16, P::ICMP_UGE); return true;
    case Opcode::I16x8Eq: compare(i16, 8, P::ICMP_EQ); return true;
    case Opcode::I16x8Ne: compare(i16, 8, P::ICMP_NE); return true;
    case Opcode::I16x8LtS: compare(i16, 8, P::ICMP_SLT); return true;
    case Opcode::I16x8LtU: compare(i16, 8, P::ICMP_ULT); return true;
    case Opcode::I16x8GtS: compare(i16, 8, P::ICMP_SGT); return true;
    case Opcode::I16x8GtU: compare(i16, 8, P::ICMP_UGT); return true;
    case Opcode::I16x8LeS: compare(i16, 8, P::ICMP_SLE); return true;
    case Opcode::I16x8LeU: compare(i16, 8, P::ICMP_ULE); return true;
    case Opcode::I16x8GeS: compare(i16, 8, P::ICMP_SGE); return true;
    case Opcode::I16x8GeU: compare(i16, 8, P::ICMP_UGE); return true;
    case Opcode::I32x4Eq: compare(i32, 4, P::ICMP_EQ); return true;
    case Opcode::I32x4Ne: compare(i32, 4, P::ICMP_NE); return true;
    case Opcode::I32x4LtS: compare(i32, 4, P::ICMP_SLT); return true;
    case Opcode::I32x4LtU: compare(i32, 4, P::ICMP_ULT); return true;
    case Opcode::I32x4GtS: compare(i32, 4, P::ICMP_SGT); return true;
    case Opcode::I32x4GtU: compare(i32, 4, P::ICMP_UGT); return true;
    case Opcode::I32x4LeS: compare(i32, 4, P::ICMP_SLE); return true;
    case Opcode::I32x4LeU: compare(i32, 4, P::ICMP_ULE); return true;
    case Opcode::I32x4GeS: compare(i32, 4, P::ICMP_SGE); return true;
    case Opcode::I32x4GeU: compare(i32, 4, P::ICMP_UGE); return true;
    case Opcode::I64x2Eq: compare(i64, 2, P::ICMP_EQ); return true;
    case Opcode::I64x2Ne: compare(i64, 2, P::ICMP_NE); return true;
    case Opcode::I64x2LtS: compare(i64, 2, P::ICMP_SLT); return true;
    case Opcode::I64x2GtS: compare(i64, 2, P::ICMP_SGT); return true;
    case Opcode::I64x2LeS: compare(i64, 2, P::ICMP_SLE); return true;
    case Opcode::I64x2GeS: compare(i64, 2, P::ICMP_SGE); return true;

    case Opcode::V128Not: unary(i64, 2, [&](llvm::Value* a) { return b_.CreateNot(a); }); return true;
    case Opcode::V128And: binary(i64, 2, [&](llvm::Value* a, llvm::Value* c) { return b_.CreateAnd(a, c); }); return true;
    case Opcode::V128AndNot:
      binary(i64, 2, [&](llvm::Value* a, llvm::Value* c) { return b_.CreateAnd(a, b_.CreateNot(c)); });
      return true;
    case Opcode::V128Or: binary(i64, 2, [&](llvm::Value* a, llvm::Value* c) { return b_.CreateOr(a, c); }); return true;
    case Opcode::V128Xor: binary(i64, 2, [&](llvm::Value* a, llvm::Value* c) { return b_.CreateXor(a, c); }); return true;
    case Opcode::V128Bitselect: {
      llvm::Value* mask = pop();
      llvm::Value* c = pop();
      llvm::Value* a = pop();
      push(b_.CreateOr(b_.CreateAnd(a, mask), b_.CreateAnd(c, b_.CreateNot(mask))));
      return true;
    }
    case Opcode::V128AnyTrue: {
      llvm::Value* a = pop();
      llvm::Value* any = b_.CreateOr(b_.CreateExtractElement(a, uint64_t{0}), b_.CreateExtractElement(a, uint64_t{1}));
      push(b_.CreateZExt(b_.CreateICmpNE(any, b_.getInt64(0)), i32));
      return true;
    }

    case Opcode::I8x16Abs: abs(i8, 16); return true;
    case Opcode::I8x16Neg: neg(i8, 16); return true;
    case Opcode::I8x16Popcnt:
      unary(i8, 16, [&](llvm::Value* a) { return b_.CreateUnaryIntrinsic(I::ctpop, a); });
      return true;
    case Opcode::I8x16AllTrue: all_true(i8, 16); return true;
    case Opcode::I8x16Bitmask: bitmask(i8, 16); return true;
    case Opcode::I8x16NarrowI16x8S: narrowing(i16, i8, true); return true;
    case Opcode::I8x16NarrowI16x8U: narrowing(i16, i8, false); return true;
    case Opcode::I8x16Shl: shift(i8, 16, Instruction::Shl); return true;
    case Opcode::I8x16ShrS: shift(i8, 16, Instruction::AShr); return true;
    case Opcode::I8x16ShrU: shift(i8, 16, Instruction::LShr); return true;
    case Opcode::I8x16Add: binary(i8, 16, add); return true;
    case Opcode::I8x16AddSatS: intrinsic2(i8, 16, I::sadd_sat); return true;
    case Opcode::I8x16AddSatU: intrinsic2(i8, 16, I::uadd_sat); return true;
    case Opcode::I8x16Sub: binary(i8, 16, sub); return true;
    case Opcode::I8x16SubSatS: intrinsic2(i8, 16, I::ssub_sat); return true;
    case Opcode::I8x16SubSatU: intrinsic2(i8, 16, I::usub_sat); return true;
    case Opcode::I8x16MinS: intrinsic2(i8, 16, I::smin); return true;
    case Opcode::I8x16MinU: intrinsic2(i8, 16, I::umin); return true;
    case Opcode::I8x16MaxS: intrinsic2(i8, 16, I::smax); return true;
    case Opcode::I8x16MaxU: intrinsic2(i8, 16, I::umax); return true;
    case Opcode::I8x16AvgrU: avgr(i8, 16); return true;

    case Opcode::I16x8ExtaddPairwiseI8x16S: extadd_pairwise(i8, true); return true;
    case Opcode::I16x8ExtaddPairwiseI8x16U: extadd_pairwise(i8, false); return true;
    case Opcode::I32x4ExtaddPairwiseI16x8S: extadd_pairwise(i16, true); return true;
    case Opcode::I32x4ExtaddPairwiseI16x8U: extadd_pairwise(i16, false); return true;
    case Opcode::I16x8Abs: abs(i16, 8); return true;
    case Opcode::I16x8Neg: neg(i16, 8); return true;
    case Opcode::I16x8Q15mulrSatS:
      // (a * b + 0x4000) >> 15 in 32-bit lanes, saturated: only -32768 squared overflows.
      binary(i16, 8, [&](llvm::Value* a, llvm::Value* c) {
        llvm::Type* wide = lanes(i32, 8);
        llvm::Value* product = b_.CreateMul(b_.CreateSExt(a, wide), b_.CreateSExt(c, wide));
        llvm::Value* rounded = b_.CreateAShr(b_.CreateAdd(product, llvm::ConstantInt::get(wide, 0x4000)),
                                             llvm::ConstantInt::get(wide, 15));
        llvm::Value* clamped = b_.CreateBinaryIntrinsic(I::smin, rounded, llvm::ConstantInt::get(wide, 0x7fff));
        return b_.CreateTrunc(clamped, a->getType());
      });
      return true;
    case Opcode::I16x8AllTrue: all_true(i16, 8); return true;
    case Opcode::I16x8Bitmask: bitmask(i16, 8); return true;
    case Opcode::I16x8NarrowI32x4S: narrowing(i32, i16, true); return true;
    case Opcode::I16x8NarrowI32x4U: narrowing(i32, i16, false); return true;
    case Opcode::I16x8ExtendLowI8x16S: extend(i8, false, true); return true;
    case Opcode::I16x8ExtendHighI8x16S: extend(i8, true, true); return true;
    case Opcode::I16x8ExtendLowI8x16U: extend(i8, false, false); return true;
    case Opcode::I16x8ExtendHighI8x16U: extend(i8, true, false); return true;
    case Opcode::I16x8Shl: shift(i16, 8, Instruction::Shl); return true;
    case Opcode::I16x8ShrS: shift(i16, 8, Instruction::AShr); return true;
    case Opcode::I16x8ShrU: shift(i16, 8, Instruction::LShr); return true;
    case Opcode::I16x8Add: binary(i16, 8, add); return true;
    case Opcode::I16x8AddSatS: intrinsic2(i16, 8, I::sadd_sat); return true;
    case Opcode::I16x8AddSatU: intrinsic2(i16, 8, I::uadd_sat); return true;
    case Opcode::I16x8Sub: binary(i16, 8, sub); return true;
    case Opcode::I16x8SubSatS: intrinsic2(i16, 8, I::ssub_sat); return true;
    case Opcode::I16x8SubSatU: intrinsic2(i16, 8, I::usub_sat); return true;
    case Opcode::I16x8Mul: binary(i16, 8, mul); return true;
    case Opcode::I16x8MinS: intrinsic2(i16, 8, I::smin); return true;
    case Opcode::I16x8MinU: intrinsic2(i16, 8, I::umin); return true;
    case Opcode::I16x8MaxS: intrinsic2(i16, 8, I::smax); return true;
    case Opcode::I16x8MaxU: intrinsic2(i16, 8, I::umax); return true;
    case Opcode::I16x8AvgrU: avgr(i16, 8); return true;
    case Opcode::I16x8ExtmulLowI8x16S: extmul(i8, false, true); return true;
    case Opcode::I16x8ExtmulHighI8x16S: extmul(i8, true, true); return true;
    case Opcode::I16x8ExtmulLowI8x16U: extmul(i8, false, false); return true;
    case Opcode::I16x8ExtmulHighI8x16U: extmul(i8, true, false); return true;

    case Opcode::I32x4Abs: abs(i32, 4); return true;
    case Opcode::I32x4Neg: neg(i32, 4); return true;
    case Opcode::I32x4AllTrue: all_true(i32, 4); return true;
    case Opcode::I32x4Bitmask: bitmask(i32, 4); return true;
    case Opcode::I32x4ExtendLowI16x8S: extend(i16, false, true); return true;
    case Opcode::I32x4ExtendHighI16x8S: extend(i16, true, true); return true;
    case Opcode::I32x4ExtendLowI16x8U: extend(i16, false, false); return true;
    case Opcode::I32x4ExtendHighI16x8U: extend(i16, true, false); return true;
    case Opcode::I32x4Shl: shift(i32, 4, Instruction::Shl); return true;
    case Opcode::I32x4ShrS: shift(i32, 4, Instruction::AShr); return true;
    case Opcode::I32x4ShrU: shift(i32, 4, Instruction::LShr); return true;
    case Opcode::I32x4Add: binary(i32, 4, add); return true;
    case Opcode::I32x4Sub: binary(i32, 4, sub); return true;
    case Opcode::I32x4Mul: binary(i32, 4, mul); return true;
    case Opcode::I32x4MinS: intrinsic2(i32, 4, I::smin); return true;
    case Opcode::I32x4MinU: intrinsic2(i32, 4, I::umin); return true;
    case Opcode::I32x4MaxS: intrinsic2(i32, 4, I::smax); return true;
    case Opcode::I32x4MaxU: intrinsic2(i32, 4, I::umax); return true;
    case Opcode::I32x4DotI16x8S:
      // The products in 32-bit lanes, pairs added (wrapping, as the interpreter's).
      binary(i16, 8, [&](llvm::Value* a, llvm::Value* c) {
        llvm::Type* wide = lanes(i32, 8);
        llvm::Value* products = b_.CreateMul(b_.CreateSExt(a, wide), b_.CreateSExt(c, wide));
        return b_.CreateAdd(alternate_lanes(products, 0), alternate_lanes(products, 1));
      });
      return true;
    case Opcode::I32x4ExtmulLowI16x8S: extmul(i16, false, true); return true;
    case Opcode::I32x4ExtmulHighI16x8S: extmul(i16, true, true); return true;
    case Opcode::I32x4ExtmulLowI16x8U: extmul(i16, false, false); return true;
    case Opcode::I32x4ExtmulHighI16x8U: extmul(i16, true, false); return true;

    case Opcode::I64x2Abs: abs(i64, 2); return true;
    case Opcode::I64x2Neg: neg(i64, 2); return true;
    case Opcode::I64x2AllTrue: all_true(i64, 2); return true;
    case Opcode::I64x2Bitmask: bitmask(i64, 2); return true;
    case Opcode::I64x2ExtendLowI32x4S: extend(i32, false, true); return true;
    case Opcode::I64x2ExtendHighI32x4S: extend(i32, true, true); return true;
    case Opcode::I64x2ExtendLowI32x4U: extend(i32, false, false); return true;
    case Opcode::I64x2ExtendHighI32x4U: extend(i32, true, false); return true;
    case Opcode::I64x2Shl: shift(i64, 2, Instruction::Shl); return true;
    case Opcode::I64x2ShrS: shift(i64, 2, Instruction::AShr); return true;
    case Opcode::I64x2ShrU: shift(i64, 2, Instruction::LShr); return true;
    case Opcode::I64x2Add: binary(i64, 2, add); return true;
    case Opcode::I64x2Sub: binary(i64, 2, sub); return true;
    case Opcode::I64x2Mul: binary(i64, 2, mul); return true;
    case Opcode::I64x2ExtmulLowI32x4S: extmul(i32, false, true); return true;
    case Opcode::I64x2ExtmulHighI32x4S: extmul(i32, true, true); return true;
    case Opcode::I64x2ExtmulLowI32x4U: extmul(i32, false, false); return true;
    case Opcode::I64x2ExtmulHighI32x4U: extmul(i32, true, false); return true;
    default: return false;
  }
}

bool FunctionBuilder::translate_simd_float(const Instruction& in) {
  using P = llvm::CmpInst::Predicate;
  namespace I = llvm::Intrinsic;
  llvm::Type *i32 = b_.getInt32Ty(), *f32 = b_.getFloatTy(), *f64 = b_.getDoubleTy();
  auto binary = [&](llvm::Type* lane, unsigned count, auto make) {
    llvm::Value* c = as_lanes(pop(), lane, count);
    llvm::Value* a = as_lanes(pop(), lane, count);
    push(as_v128(make(a, c)));
  };
  auto unary = [&](llvm::Type* lane, unsigned count, auto make) { push(as_v128(make(as_lanes(pop(), lane, count)))); };
  auto intrinsic1 = [&](llvm::Type* lane, unsigned count, llvm::Intrinsic::ID id) {
    unary(lane, count, [&](llvm::Value* a) { return b_.CreateUnaryIntrinsic(id, a); });
  };
  auto compare = [&](llvm::Type* lane, unsigned count, P p) {
    llvm::Type* bits = lanes(b_.getIntNTy(lane->getPrimitiveSizeInBits()), count);
    binary(lane, count, [&](llvm::Value* a, llvm::Value* c) { return b_.CreateSExt(b_.CreateFCmp(p, a, c), bits); });
  };
  // Arithmetic: a NaN result is quiet where LLVM would fold a constant operand.
  auto arithmetic = [&](llvm::Type* lane, unsigned count, llvm::Instruction::BinaryOps op) {
    binary(lane, count, [&](llvm::Value* a, llvm::Value* c) {
      llvm::Value* r = b_.CreateBinOp(op, a, c);
      return llvm::isa<llvm::Constant>(a) || llvm::isa<llvm::Constant>(c) ? quiet_lanes(r) : r;
    });
  };
  auto min_max = [&](llvm::Type* lane, unsigned count, bool is_min) {
    binary(lane, count, [&](llvm::Value* a, llvm::Value* c) { return float_min_max(a, c, is_min); });
  };
  // pmin: c < a ? c : a; pmax: a < c ? c : a.
  auto pseudo = [&](llvm::Type* lane, unsigned count, bool is_min) {
    binary(lane, count, [&](llvm::Value* a, llvm::Value* c) {
      return b_.CreateSelect(is_min ? b_.CreateFCmpOLT(c, a) : b_.CreateFCmpOLT(a, c), c, a);
    });
  };
  // A result of two lanes in the low half of four, zeros above.
  auto with_zero_high = [&](llvm::Value* two) {
    llvm::Value* zero = llvm::Constant::getNullValue(two->getType());
    return b_.CreateShuffleVector(two, zero, llvm::ArrayRef<int>{0, 1, 2, 3});
  };
  auto trunc_sat = [&](llvm::Value* x, unsigned count, bool is_signed) {
    return b_.CreateIntrinsic(is_signed ? I::fptosi_sat : I::fptoui_sat, {lanes(i32, count), x->getType()}, {x});
  };
  switch (in.op) {
    case Opcode::F32x4Eq: compare(f32, 4, P::FCMP_OEQ); return true;
    case Opcode::F32x4Ne: compare(f32, 4, P::FCMP_UNE); return true;
    case Opcode::F32x4Lt: compare(f32, 4, P::FCMP_OLT); return true;
    case Opcode::F32x4Gt: compare(f32, 4, P::FCMP_OGT); return true;
    case Opcode::F32x4Le: compare(f32, 4, P::FCMP_OLE); return true;
    case Opcode::F32x4Ge: compare(f32, 4, P::FCMP_OGE); return true;
    case Opcode::F64x2Eq: compare(f64, 2, P::FCMP_OEQ); return true;
    case Opcode::F64x2Ne: compare(f64, 2, P::FCMP_UNE); return true;
    case Opcode::F64x2Lt: compare(f64, 2, P::FCMP_OLT); return true;
    case Opcode::F64x2Gt: compare(f64, 2, P::FCMP_OGT); return true;
    case Opcode::F64x2Le: compare(f64, 2, P::FCMP_OLE); return true;
    case Opcode::F64x2Ge: compare(f64, 2, P::FCMP_OGE); return true;

    case Opcode::F32x4Ceil: intrinsic1(f32, 4, I::ceil); return true;
    case Opcode::F32x4Floor: intrinsic1(f32, 4, I::floor); return true;
    case Opcode::F32x4Trunc: intrinsic1(f32, 4, I::trunc); return true;
    case Opcode::F32x4Nearest: intrinsic1(f32, 4, I::roundeven); return true;
    case Opcode::F64x2Ceil: intrinsic1(f64, 2, I::ceil); return true;
    case Opcode::F64x2Floor: intrinsic1(f64, 2, I::floor); return true;
    case Opcode::F64x2Trunc: intrinsic1(f64, 2, I::trunc); return true;
    case Opcode::F64x2Nearest: intrinsic1(f64, 2, I::roundeven); return true;
    case Opcode::F32x4Abs: intrinsic1(f32, 4, I::fabs); return true;
    case Opcode::F64x2Abs: intrinsic1(f64, 2, I::fabs); return true;
    case Opcode::F32x4Neg: unary(f32, 4, [&](llvm::Value* a) { return b_.CreateFNeg(a); }); return true;
    case Opcode::F64x2Neg: unary(f64, 2, [&](llvm::Value* a) { return b_.CreateFNeg(a); }); return true;
    case Opcode::F32x4Sqrt: intrinsic1(f32, 4, I::sqrt); return true;
    case Opcode::F64x2Sqrt: intrinsic1(f64, 2, I::sqrt); return true;
    case Opcode::F32x4Add: arithmetic(f32, 4, llvm::Instruction::FAdd); return true;
    case Opcode::F32x4Sub: arithmetic(f32, 4, llvm::Instruction::FSub); return true;
    case Opcode::F32x4Mul: arithmetic(f32, 4, llvm::Instruction::FMul); return true;
    case Opcode::F32x4Div: arithmetic(f32, 4, llvm::Instruction::FDiv); return true;
    case Opcode::F64x2Add: arithmetic(f64, 2, llvm::Instruction::FAdd); return true;
    case Opcode::F64x2Sub: arithmetic(f64, 2, llvm::Instruction::FSub); return true;
    case Opcode::F64x2Mul: arithmetic(f64, 2, llvm::Instruction::FMul); return true;
    case Opcode::F64x2Div: arithmetic(f64, 2, llvm::Instruction::FDiv); return true;
    case Opcode::F32x4Min: min_max(f32, 4, true); return true;
    case Opcode::F32x4Max: min_max(f32, 4, false); return true;
    case Opcode::F64x2Min: min_max(f64, 2, true); return true;
    case Opcode::F64x2Max: min_max(f64, 2, false); return true;
    case Opcode::F32x4Pmin: pseudo(f32, 4, true); return true;
    case Opcode::F32x4Pmax: pseudo(f32, 4, false); return true;
    case Opcode::F64x2Pmin: pseudo(f64, 2, true); return true;
    case Opcode::F64x2Pmax: pseudo(f64, 2, false); return true;

    case Opcode::I32x4TruncSatF32x4S: unary(f32, 4, [&](llvm::Value* a) { return trunc_sat(a, 4, true); }); return true;
    case Opcode::I32x4TruncSatF32x4U: unary(f32, 4, [&](llvm::Value* a) { return trunc_sat(a, 4, false); }); return true;
    case Opcode::I32x4TruncSatF64x2SZero:
      unary(f64, 2, [&](llvm::Value* a) { return with_zero_high(trunc_sat(a, 2, true)); });
      return true;
    case Opcode::I32x4TruncSatF64x2UZero:
      unary(f64, 2, [&](llvm::Value* a) { return with_zero_high(trunc_sat(a, 2, false)); });
      return true;
    case Opcode::F32x4ConvertI32x4S: unary(i32, 4, [&](llvm::Value* a) { return b_.CreateSIToFP(a, lanes(f32, 4)); }); return true;
    case Opcode::F32x4ConvertI32x4U: unary(i32, 4, [&](llvm::Value* a) { return b_.CreateUIToFP(a, lanes(f32, 4)); }); return true;
    case Opcode::F64x2ConvertLowI32x4S:
      unary(i32, 4, [&](llvm::Value* a) { return b_.CreateSIToFP(lane_range(a, 0, 2), lanes(f64, 2)); });
      return true;
    case Opcode::F64x2ConvertLowI32x4U:
      unary(i32, 4, [&](llvm::Value* a) { return b_.CreateUIToFP(lane_range(a, 0, 2), lanes(f64, 2)); });
      return true;
    case Opcode::F32x4DemoteF64x2Zero:
      unary(f64, 2, [&](llvm::Value* a) {
        llvm::Value* r = b_.CreateFPTrunc(a, lanes(f32, 2));
        return with_zero_high(llvm::isa<llvm::Constant>(a) ? quiet_lanes(r) : r);
      });
      return true;
    case Opcode::F64x2PromoteLowF32x4:
      unary(f32, 4, [&](llvm::Value* a) {
        llvm::Value* r = b_.CreateFPExt(lane_range(a, 0, 2), lanes(f64, 2));
        return llvm::isa<llvm::Constant>(a) ? quiet_lanes(r) : r;
      });
      return true;
    default: return false;
  }
}

bool FunctionBuilder::translate_simd(const Instruction& in) {
  if (ir::op_info(in.op).prefix != 0xfd) return false;
  return translate_simd_memory(in) || translate_simd_lanes(in) || translate_simd_integer(in) ||
         translate_simd_float(in);
}

}  // namespace kiln::llvmtier
