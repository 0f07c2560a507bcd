#include "ir/types.h"

namespace kiln::ir {

std::string to_string(HeapKind heap) {
  switch (heap) {
    case HeapKind::Func: return "func";
    case HeapKind::Extern: return "extern";
    case HeapKind::Any: return "any";
    case HeapKind::Eq: return "eq";
    case HeapKind::I31: return "i31";
    case HeapKind::Struct: return "struct";
    case HeapKind::Array: return "array";
    case HeapKind::Exn: return "exn";
    case HeapKind::None: return "none";
    case HeapKind::NoFunc: return "nofunc";
    case HeapKind::NoExtern: return "noextern";
    case HeapKind::NoExn: return "noexn";
    case HeapKind::Index: return "index";
  }
  return "?";
}

std::string to_string(ValType type) {
  switch (type.kind) {
    case ValKind::I32: return "i32";
    case ValKind::I64: return "i64";
    case ValKind::F32: return "f32";
    case ValKind::F64: return "f64";
    case ValKind::V128: return "v128";
    case ValKind::Ref: break;
  }
  if (type.nullable && type.heap == HeapKind::Func) return "funcref";
  if (type.nullable && type.heap == HeapKind::Extern) return "externref";
  std::string heap = type.heap == HeapKind::Index ? std::to_string(type.index) : to_string(type.heap);
  return std::string("(ref ") + (type.nullable ? "null " : "") + heap + ")";
}

std::string to_string(const FuncType& type) {
  std::string out = "[";
  for (size_t i = 0; i < type.params.size(); ++i) out += (i ? " " : "") + to_string(type.params[i]);
  out += "] -> [";
  for (size_t i = 0; i < type.results.size(); ++i) out += (i ? " " : "") + to_string(type.results[i]);
  return out + "]";
}

const char* to_string(ExternKind kind) {
  switch (kind) {
    case ExternKind::Func: return "func";
    case ExternKind::Table: return "table";
    case ExternKind::Memory: return "memory";
    case ExternKind::Global: return "global";
    case ExternKind::Tag: return "tag";
  }
  return "?";
}

}  // namespace kiln::ir
