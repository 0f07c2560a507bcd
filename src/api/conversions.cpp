#include "api/conversions.h"

#include <cstring>

namespace kiln::api {

ValKind to_public(const ir::ValType& type) {
  switch (type.kind) {
    case ir::ValKind::I32: return ValKind::I32;
    case ir::ValKind::I64: return ValKind::I64;
    case ir::ValKind::F32: return ValKind::F32;
    case ir::ValKind::F64: return ValKind::F64;
    case ir::ValKind::V128: return ValKind::V128;
    case ir::ValKind::Ref: break;
  }
  bool func_like = type.heap == ir::HeapKind::Func || type.heap == ir::HeapKind::NoFunc || type.heap == ir::HeapKind::Index;
  return func_like ? ValKind::FuncRef : ValKind::ExternRef;
}

ir::ValType to_internal(ValKind kind) {
  switch (kind) {
    case ValKind::I32: return ir::ValType::i32();
    case ValKind::I64: return ir::ValType::i64();
    case ValKind::F32: return ir::ValType::f32();
    case ValKind::F64: return ir::ValType::f64();
    case ValKind::V128: return ir::ValType::v128();
    case ValKind::FuncRef: return ir::ValType::funcref();
    case ValKind::ExternRef: return ir::ValType::externref();
  }
  return ir::ValType::i32();
}

FuncType to_public(const ir::FuncType& type) {
  FuncType out;
  for (const ir::ValType& t : type.params) out.params.push_back(to_public(t));
  for (const ir::ValType& t : type.results) out.results.push_back(to_public(t));
  return out;
}

ir::FuncType to_internal(const FuncType& type) {
  ir::FuncType out;
  for (ValKind k : type.params) out.params.push_back(to_internal(k));
  for (ValKind k : type.results) out.results.push_back(to_internal(k));
  return out;
}

MemoryType to_public(const ir::MemoryType& type) {
  MemoryType out;
  out.limits.min = type.limits.min;
  out.limits.max = type.limits.max;
  out.is64 = type.limits.is64;
  out.shared = type.limits.shared;
  return out;
}

TableType to_public(const ir::TableType& type) {
  TableType out;
  out.element = to_public(type.elem);
  out.limits.min = type.limits.min;
  out.limits.max = type.limits.max;
  return out;
}

GlobalType to_public(const ir::GlobalType& type) { return GlobalType{to_public(type.type), type.mutable_}; }

Val to_public(const runtime::Value& value, runtime::Store* store) {
  switch (value.type.kind) {
    case ir::ValKind::I32: return Val(value.as_i32());
    case ir::ValKind::I64: return Val(value.as_i64());
    case ir::ValKind::F32: return Val(value.as_f32());
    case ir::ValKind::F64: return Val(value.as_f64());
    case ir::ValKind::V128: {
      V128 v;
      v.bytes = value.v128.bytes;
      return Val(v);
    }
    case ir::ValKind::Ref: break;
  }
  return Val::from_raw_ref(to_public(value.type), value.ref, store);
}

runtime::Value to_internal(const Val& value) {
  switch (value.kind()) {
    case ValKind::I32: return runtime::Value::i32(static_cast<uint32_t>(value.i32()));
    case ValKind::I64: return runtime::Value::i64(static_cast<uint64_t>(value.i64()));
    case ValKind::F32: return runtime::Value::f32_bits(static_cast<uint32_t>(value.raw_bits()));
    case ValKind::F64: return runtime::Value::f64_bits(value.raw_bits());
    case ValKind::V128: {
      ir::V128 v;
      v.bytes = value.v128().bytes;
      return runtime::Value::make_v128(v);
    }
    case ValKind::FuncRef:
    case ValKind::ExternRef: return runtime::Value::make_ref(to_internal(value.kind()), value.raw_ref());
  }
  return {};
}

Val zero_of(ValKind kind) {
  switch (kind) {
    case ValKind::I32: return Val(int32_t{0});
    case ValKind::I64: return Val(int64_t{0});
    case ValKind::F32: return Val(0.0f);
    case ValKind::F64: return Val(0.0);
    case ValKind::V128: return Val(V128{});
    case ValKind::FuncRef:
    case ValKind::ExternRef: return Val::null(kind);
  }
  return Val();
}

size_t slot_count(ValKind kind) { return kind == ValKind::V128 ? 2 : 1; }

Val load_val(ValKind kind, const uint64_t* slots, runtime::Store* store) {
  switch (kind) {
    case ValKind::I32: return Val(static_cast<uint32_t>(slots[0]));
    case ValKind::I64: return Val(slots[0]);
    case ValKind::F32: {
      float f;
      std::memcpy(&f, slots, 4);
      return Val(f);
    }
    case ValKind::F64: {
      double d;
      std::memcpy(&d, slots, 8);
      return Val(d);
    }
    case ValKind::V128: {
      V128 v;
      std::memcpy(v.bytes.data(), slots, 16);
      return Val(v);
    }
    case ValKind::FuncRef:
    case ValKind::ExternRef: {
      void* ref;
      std::memcpy(&ref, slots, sizeof ref);
      return Val::from_raw_ref(kind, ref, store);
    }
  }
  return Val();
}

void store_val(const Val& value, uint64_t* slots) {
  switch (value.kind()) {
    case ValKind::I32: case ValKind::F32: case ValKind::I64: case ValKind::F64: slots[0] = value.raw_bits(); break;
    case ValKind::V128: std::memcpy(slots, value.v128().bytes.data(), 16); break;
    case ValKind::FuncRef:
    case ValKind::ExternRef: {
      void* ref = value.raw_ref();
      std::memcpy(slots, &ref, sizeof ref);
      break;
    }
  }
}

}  // namespace kiln::api
