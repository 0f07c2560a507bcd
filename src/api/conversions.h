// Conversions between the public API's types and the runtime's.
#pragma once

#include "ir/types.h"
#include "kiln/kiln.hpp"
#include "runtime/value.h"

namespace kiln::api {

ValKind to_public(const ir::ValType& type);
ir::ValType to_internal(ValKind kind);
FuncType to_public(const ir::FuncType& type);
ir::FuncType to_internal(const FuncType& type);
MemoryType to_public(const ir::MemoryType& type);
TableType to_public(const ir::TableType& type);
GlobalType to_public(const ir::GlobalType& type);

Val to_public(const runtime::Value& value, runtime::Store* store);
runtime::Value to_internal(const Val& value);

// Values in interpreter slots (one 8-byte slot per value, two for v128).
Val load_val(ValKind kind, const uint64_t* slots, runtime::Store* store);
void store_val(const Val& value, uint64_t* slots);
size_t slot_count(ValKind kind);
// The zero value of a kind: 0, 0.0, or a null reference.
Val zero_of(ValKind kind);

}  // namespace kiln::api
