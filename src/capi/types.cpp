// Type objects of the C API: value, function, global, table, memory, extern,
// import and export types, and their conversions from the module data model.
#include "capi/capi.h"

using namespace kiln;
using namespace kiln::capi;

// ---- conversions ------------------------------------------------------------------

namespace kiln::capi {

wasm_valkind_t to_valkind(const ir::ValType& type) {
  switch (type.kind) {
    case ir::ValKind::I32: return WASM_I32;
    case ir::ValKind::I64: return WASM_I64;
    case ir::ValKind::F32: return WASM_F32;
    case ir::ValKind::F64: return WASM_F64;
    case ir::ValKind::V128: return WASM_V128;
    case ir::ValKind::Ref: break;
  }
  bool func_like = type.heap == ir::HeapKind::Func || type.heap == ir::HeapKind::NoFunc || type.heap == ir::HeapKind::Index;
  return func_like ? WASM_FUNCREF : WASM_EXTERNREF;
}

ir::ValType to_valtype(wasm_valkind_t kind) {
  switch (kind) {
    case WASM_I32: return ir::ValType::i32();
    case WASM_I64: return ir::ValType::i64();
    case WASM_F32: return ir::ValType::f32();
    case WASM_F64: return ir::ValType::f64();
    case WASM_V128: return ir::ValType::v128();
    case WASM_FUNCREF: return ir::ValType::funcref();
    default: return ir::ValType::externref();
  }
}

namespace {

void to_valtype_vec(const std::vector<ir::ValType>& types, wasm_valtype_vec_t* out) {
  wasm_valtype_vec_new_uninitialized(out, types.size());
  for (size_t i = 0; i < types.size(); ++i) out->data[i] = wasm_valtype_new(to_valkind(types[i]));
}

std::vector<ir::ValType> from_valtype_vec(const wasm_valtype_vec_t& types) {
  std::vector<ir::ValType> out;
  out.reserve(types.size);
  for (size_t i = 0; i < types.size; ++i) out.push_back(to_valtype(types.data[i]->kind));
  return out;
}

wasm_limits_t to_limits(const ir::Limits& limits) {
  auto clamp = [](uint64_t v) { return v > UINT32_MAX ? UINT32_MAX : static_cast<uint32_t>(v); };
  return wasm_limits_t{clamp(limits.min), limits.max ? clamp(*limits.max) : wasm_limits_max_default};
}

}  // namespace

ir::Limits from_limits(const wasm_limits_t& limits) {
  ir::Limits out;
  out.min = limits.min;
  if (limits.max != wasm_limits_max_default) out.max = limits.max;
  return out;
}

wasm_functype_t* to_functype(const ir::FuncType& type) {
  auto* out = new wasm_functype_t;
  to_valtype_vec(type.params, &out->params);
  to_valtype_vec(type.results, &out->results);
  return out;
}

ir::FuncType from_functype(const wasm_functype_t& type) {
  return ir::FuncType{from_valtype_vec(type.params), from_valtype_vec(type.results)};
}

wasm_globaltype_t* to_globaltype(const ir::GlobalType& type) {
  return new wasm_globaltype_t(wasm_valtype_new(to_valkind(type.type)),
                               type.mutable_ ? wasm_mutability_t{WASM_VAR} : wasm_mutability_t{WASM_CONST});
}

wasm_tabletype_t* to_tabletype(const ir::TableType& type) {
  return new wasm_tabletype_t(wasm_valtype_new(to_valkind(type.elem)), to_limits(type.limits));
}

wasm_memorytype_t* to_memorytype(const ir::MemoryType& type) { return new wasm_memorytype_t(to_limits(type.limits)); }

std::string to_string(const wasm_byte_vec_t& bytes) {
  if (!bytes.data) return {};
  return std::string(bytes.data, bytes.size);
}

void new_name(wasm_name_t* out, const std::string& text) { wasm_byte_vec_new(out, text.size(), text.data()); }

}  // namespace kiln::capi

wasm_functype_t::~wasm_functype_t() {
  wasm_valtype_vec_delete(&params);
  wasm_valtype_vec_delete(&results);
}

wasm_externtype_t* wasm_functype_t::clone() const {
  auto* out = new wasm_functype_t;
  wasm_valtype_vec_copy(&out->params, &params);
  wasm_valtype_vec_copy(&out->results, &results);
  return out;
}

// ---- the C functions ------------------------------------------------------------------

namespace {

// Takes the contents of an `own` vector argument, leaving it empty.
template <class Vec>
Vec take(Vec* vec) {
  Vec out = *vec;
  vec->size = 0;
  vec->data = nullptr;
  return out;
}

}  // namespace

extern "C" {

wasm_valtype_t* wasm_valtype_new(wasm_valkind_t kind) try { return new wasm_valtype_t{kind}; }
KILN_CAPI_CATCH(nullptr)
void wasm_valtype_delete(wasm_valtype_t* type) { delete type; }
wasm_valtype_t* wasm_valtype_copy(const wasm_valtype_t* type) try { return new wasm_valtype_t(*type); }
KILN_CAPI_CATCH(nullptr)
wasm_valkind_t wasm_valtype_kind(const wasm_valtype_t* type) { return type->kind; }

wasm_functype_t* wasm_functype_new(wasm_valtype_vec_t* params, wasm_valtype_vec_t* results) try {
  auto* out = new wasm_functype_t;
  out->params = take(params);
  out->results = take(results);
  return out;
}
KILN_CAPI_CATCH(nullptr)
void wasm_functype_delete(wasm_functype_t* type) { delete type; }
wasm_functype_t* wasm_functype_copy(const wasm_functype_t* type) try {
  return static_cast<wasm_functype_t*>(type->clone());
}
KILN_CAPI_CATCH(nullptr)
const wasm_valtype_vec_t* wasm_functype_params(const wasm_functype_t* type) { return &type->params; }
const wasm_valtype_vec_t* wasm_functype_results(const wasm_functype_t* type) { return &type->results; }

wasm_globaltype_t* wasm_globaltype_new(wasm_valtype_t* content, wasm_mutability_t mutability) try {
  return new wasm_globaltype_t(content, mutability);
}
KILN_CAPI_CATCH(nullptr)
void wasm_globaltype_delete(wasm_globaltype_t* type) { delete type; }
wasm_globaltype_t* wasm_globaltype_copy(const wasm_globaltype_t* type) try {
  return static_cast<wasm_globaltype_t*>(type->clone());
}
KILN_CAPI_CATCH(nullptr)
const wasm_valtype_t* wasm_globaltype_content(const wasm_globaltype_t* type) { return type->content; }
wasm_mutability_t wasm_globaltype_mutability(const wasm_globaltype_t* type) { return type->mutability; }

wasm_tabletype_t* wasm_tabletype_new(wasm_valtype_t* element, const wasm_limits_t* limits) try {
  return new wasm_tabletype_t(element, *limits);
}
KILN_CAPI_CATCH(nullptr)
void wasm_tabletype_delete(wasm_tabletype_t* type) { delete type; }
wasm_tabletype_t* wasm_tabletype_copy(const wasm_tabletype_t* type) try {
  return static_cast<wasm_tabletype_t*>(type->clone());
}
KILN_CAPI_CATCH(nullptr)
const wasm_valtype_t* wasm_tabletype_element(const wasm_tabletype_t* type) { return type->element; }
const wasm_limits_t* wasm_tabletype_limits(const wasm_tabletype_t* type) { return &type->limits; }

wasm_memorytype_t* wasm_memorytype_new(const wasm_limits_t* limits) try { return new wasm_memorytype_t(*limits); }
KILN_CAPI_CATCH(nullptr)
void wasm_memorytype_delete(wasm_memorytype_t* type) { delete type; }
wasm_memorytype_t* wasm_memorytype_copy(const wasm_memorytype_t* type) try {
  return static_cast<wasm_memorytype_t*>(type->clone());
}
KILN_CAPI_CATCH(nullptr)
const wasm_limits_t* wasm_memorytype_limits(const wasm_memorytype_t* type) { return &type->limits; }

void wasm_externtype_delete(wasm_externtype_t* type) { delete type; }
wasm_externtype_t* wasm_externtype_copy(const wasm_externtype_t* type) try { return type->clone(); }
KILN_CAPI_CATCH(nullptr)
wasm_externkind_t wasm_externtype_kind(const wasm_externtype_t* type) { return type->kind; }

wasm_externtype_t* wasm_functype_as_externtype(wasm_functype_t* t) { return t; }
wasm_externtype_t* wasm_globaltype_as_externtype(wasm_globaltype_t* t) { return t; }
wasm_externtype_t* wasm_tabletype_as_externtype(wasm_tabletype_t* t) { return t; }
wasm_externtype_t* wasm_memorytype_as_externtype(wasm_memorytype_t* t) { return t; }
const wasm_externtype_t* wasm_functype_as_externtype_const(const wasm_functype_t* t) { return t; }
const wasm_externtype_t* wasm_globaltype_as_externtype_const(const wasm_globaltype_t* t) { return t; }
const wasm_externtype_t* wasm_tabletype_as_externtype_const(const wasm_tabletype_t* t) { return t; }
const wasm_externtype_t* wasm_memorytype_as_externtype_const(const wasm_memorytype_t* t) { return t; }

wasm_functype_t* wasm_externtype_as_functype(wasm_externtype_t* t) {
  return t && t->kind == WASM_EXTERN_FUNC ? static_cast<wasm_functype_t*>(t) : nullptr;
}
wasm_globaltype_t* wasm_externtype_as_globaltype(wasm_externtype_t* t) {
  return t && t->kind == WASM_EXTERN_GLOBAL ? static_cast<wasm_globaltype_t*>(t) : nullptr;
}
wasm_tabletype_t* wasm_externtype_as_tabletype(wasm_externtype_t* t) {
  return t && t->kind == WASM_EXTERN_TABLE ? static_cast<wasm_tabletype_t*>(t) : nullptr;
}
wasm_memorytype_t* wasm_externtype_as_memorytype(wasm_externtype_t* t) {
  return t && t->kind == WASM_EXTERN_MEMORY ? static_cast<wasm_memorytype_t*>(t) : nullptr;
}
const wasm_functype_t* wasm_externtype_as_functype_const(const wasm_externtype_t* t) {
  return wasm_externtype_as_functype(const_cast<wasm_externtype_t*>(t));
}
const wasm_globaltype_t* wasm_externtype_as_globaltype_const(const wasm_externtype_t* t) {
  return wasm_externtype_as_globaltype(const_cast<wasm_externtype_t*>(t));
}
const wasm_tabletype_t* wasm_externtype_as_tabletype_const(const wasm_externtype_t* t) {
  return wasm_externtype_as_tabletype(const_cast<wasm_externtype_t*>(t));
}
const wasm_memorytype_t* wasm_externtype_as_memorytype_const(const wasm_externtype_t* t) {
  return wasm_externtype_as_memorytype(const_cast<wasm_externtype_t*>(t));
}

wasm_importtype_t* wasm_importtype_new(wasm_name_t* module, wasm_name_t* name, wasm_externtype_t* type) try {
  return new wasm_importtype_t{take(module), take(name), type};
}
KILN_CAPI_CATCH(nullptr)
void wasm_importtype_delete(wasm_importtype_t* type) {
  wasm_name_delete(&type->module);
  wasm_name_delete(&type->name);
  delete type->type;
  delete type;
}
wasm_importtype_t* wasm_importtype_copy(const wasm_importtype_t* type) try {
  auto* out = new wasm_importtype_t{{0, nullptr}, {0, nullptr}, type->type->clone()};
  wasm_name_copy(&out->module, &type->module);
  wasm_name_copy(&out->name, &type->name);
  return out;
}
KILN_CAPI_CATCH(nullptr)
const wasm_name_t* wasm_importtype_module(const wasm_importtype_t* type) { return &type->module; }
const wasm_name_t* wasm_importtype_name(const wasm_importtype_t* type) { return &type->name; }
const wasm_externtype_t* wasm_importtype_type(const wasm_importtype_t* type) { return type->type; }

wasm_exporttype_t* wasm_exporttype_new(wasm_name_t* name, wasm_externtype_t* type) try {
  return new wasm_exporttype_t{take(name), type};
}
KILN_CAPI_CATCH(nullptr)
void wasm_exporttype_delete(wasm_exporttype_t* type) {
  wasm_name_delete(&type->name);
  delete type->type;
  delete type;
}
wasm_exporttype_t* wasm_exporttype_copy(const wasm_exporttype_t* type) try {
  auto* out = new wasm_exporttype_t{{0, nullptr}, type->type->clone()};
  wasm_name_copy(&out->name, &type->name);
  return out;
}
KILN_CAPI_CATCH(nullptr)
const wasm_name_t* wasm_exporttype_name(const wasm_exporttype_t* type) { return &type->name; }
const wasm_externtype_t* wasm_exporttype_type(const wasm_exporttype_t* type) { return type->type; }

}  // extern "C"
