#include "runtime/value.h"

#include <cinttypes>
#include <cmath>
#include <cstdio>

namespace kiln::runtime {

std::string to_string(const Value& value) {
  char buf[128];
  switch (value.type.kind) {
    case ir::ValKind::I32:
      std::snprintf(buf, sizeof buf, "%" PRIu32, value.as_i32());
      return buf;
    case ir::ValKind::I64:
      std::snprintf(buf, sizeof buf, "%" PRIu64, value.as_i64());
      return buf;
    case ir::ValKind::F32: {
      float f = value.as_f32();
      if (std::isnan(f)) std::snprintf(buf, sizeof buf, "nan:0x%" PRIx32, value.as_i32() & 0x7fffff);
      else std::snprintf(buf, sizeof buf, "%.9g", f);
      return buf;
    }
    case ir::ValKind::F64: {
      double f = value.as_f64();
      if (std::isnan(f)) std::snprintf(buf, sizeof buf, "nan:0x%" PRIx64, value.as_i64() & uint64_t{0xfffffffffffff});
      else std::snprintf(buf, sizeof buf, "%.17g", f);
      return buf;
    }
    case ir::ValKind::V128: {
      std::string out = "i32x4";
      for (int i = 0; i < 4; ++i) {
        uint32_t lane;
        std::memcpy(&lane, value.v128.bytes.data() + 4 * i, 4);
        std::snprintf(buf, sizeof buf, " 0x%08" PRIx32, lane);
        out += buf;
      }
      return out;
    }
    case ir::ValKind::Ref:
      if (!value.ref) return "null";
      std::snprintf(buf, sizeof buf, "%s:%p", ir::to_string(value.type.heap).c_str(), value.ref);
      return buf;
  }
  return "?";
}

void store_value(const Value& value, RawValue* slots) {
  switch (value.type.kind) {
    case ir::ValKind::I32: case ir::ValKind::F32:
      slots[0].i64 = 0;
      slots[0].i32 = static_cast<uint32_t>(value.bits);
      break;
    case ir::ValKind::I64: case ir::ValKind::F64: slots[0].i64 = value.bits; break;
    case ir::ValKind::V128: std::memcpy(slots, value.v128.bytes.data(), 16); break;
    case ir::ValKind::Ref: slots[0].ref = value.ref; break;
  }
}

Value load_value(ir::ValType type, const RawValue* slots) {
  Value v;
  v.type = type;
  switch (type.kind) {
    case ir::ValKind::I32: case ir::ValKind::F32: v.bits = slots[0].i32; break;
    case ir::ValKind::I64: case ir::ValKind::F64: v.bits = slots[0].i64; break;
    case ir::ValKind::V128: std::memcpy(v.v128.bytes.data(), slots, 16); break;
    case ir::ValKind::Ref: v.ref = slots[0].ref; break;
  }
  return v;
}

}  // namespace kiln::runtime
