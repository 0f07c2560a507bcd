// Value types, function types and the other type forms of the module data model.
#pragma once

#include <cstdint>
#include <array>
#include <optional>
#include <string>
#include <vector>

namespace kiln::ir {

// A 128-bit SIMD value, lanes in little-endian order.
struct V128 {
  std::array<uint8_t, 16> bytes{};
  friend bool operator==(const V128&, const V128&) = default;
};

enum class ValKind : uint8_t { I32, I64, F32, F64, V128, Ref };

// Abstract heap types, plus Index for a concrete (module-defined) type.
enum class HeapKind : uint8_t { Func, Extern, Any, Eq, I31, Struct, Array, Exn, None, NoFunc, NoExtern, NoExn, Index };

// A value type is a small value: a kind and, for references, a heap type and nullability.
// It can name a type index, so typed function references and GC fit without change.
struct ValType {
  ValKind kind = ValKind::I32;
  bool nullable = true;
  HeapKind heap = HeapKind::Func;
  uint32_t index = 0;  // type index when heap == Index

  static constexpr ValType i32() { return {ValKind::I32}; }
  static constexpr ValType i64() { return {ValKind::I64}; }
  static constexpr ValType f32() { return {ValKind::F32}; }
  static constexpr ValType f64() { return {ValKind::F64}; }
  static constexpr ValType v128() { return {ValKind::V128}; }
  static constexpr ValType ref(HeapKind heap, bool nullable = true, uint32_t index = 0) {
    return {ValKind::Ref, nullable, heap, index};
  }
  static constexpr ValType funcref() { return ref(HeapKind::Func); }
  static constexpr ValType externref() { return ref(HeapKind::Extern); }

  bool is_ref() const { return kind == ValKind::Ref; }
  bool is_num() const { return kind != ValKind::Ref && kind != ValKind::V128; }
  // Size of a value of this type in the interpreter's frames, in bytes.
  uint32_t byte_size() const { return kind == ValKind::V128 ? 16 : 8; }

  friend bool operator==(const ValType& a, const ValType& b) {
    if (a.kind != b.kind) return false;
    if (a.kind != ValKind::Ref) return true;
    return a.nullable == b.nullable && a.heap == b.heap && (a.heap != HeapKind::Index || a.index == b.index);
  }
  friend bool operator!=(const ValType& a, const ValType& b) { return !(a == b); }
};

// "i32", "funcref", "(ref null 3)", ...
std::string to_string(ValType type);
std::string to_string(HeapKind heap);

struct FuncType {
  std::vector<ValType> params;
  std::vector<ValType> results;
  friend bool operator==(const FuncType&, const FuncType&) = default;
};
std::string to_string(const FuncType& type);

struct Limits {
  uint64_t min = 0;
  std::optional<uint64_t> max;
  bool shared = false;
  bool is64 = false;  // memory64 / table64 index type
};

struct TableType {
  ValType elem = ValType::funcref();
  Limits limits;
};

struct MemoryType {
  Limits limits;
};

struct GlobalType {
  ValType type;
  bool mutable_ = false;
};

enum class ExternKind : uint8_t { Func = 0, Table = 1, Memory = 2, Global = 3, Tag = 4 };
const char* to_string(ExternKind kind);

// Spec constants.
inline constexpr uint64_t kPageSize = 65536;
inline constexpr uint64_t kMaxPages32 = 65536;  // 4 GiB

}  // namespace kiln::ir
