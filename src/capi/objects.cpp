// Runtime objects of the C API: engine, store, references and host info,
// values, modules, instances, externs, globals, tables, memories and foreign
// objects. Functions, calls and traps are in functions.cpp.
#include <cstring>

#include "capi/capi.h"
#include "native/artifact.h"
#include "native/tier.h"

using namespace kiln;
using namespace kiln::capi;

// ---- store ---------------------------------------------------------------------------

wasm_store_t::~wasm_store_t() {
  // Host info finalizers first (they may look at their objects), then the objects
  // (host functions' environment finalizers run as the functions go).
  host_infos.clear();
  foreigns.clear();
  store.reset();
}

HostInfo& wasm_store_t::host_info(const void* object) {
  std::unique_ptr<HostInfo>& info = host_infos[object];
  if (!info) info = std::make_unique<HostInfo>();
  return *info;
}

ExternBox* wasm_store_t::box(RefKind kind, void* object) {
  std::unique_ptr<ExternBox>& b = extern_boxes[object];
  if (!b) b = std::make_unique<ExternBox>(ExternBox{kind, object});
  return b.get();
}

// ---- externs -----------------------------------------------------------------------

namespace {

RefKind ref_kind(ir::ExternKind kind) {
  switch (kind) {
    case ir::ExternKind::Func: return RefKind::Func;
    case ir::ExternKind::Table: return RefKind::Table;
    case ir::ExternKind::Memory: return RefKind::Memory;
    case ir::ExternKind::Global: return RefKind::Global;
    case ir::ExternKind::Tag: break;
  }
  return RefKind::Func;
}

bool is_extern(RefKind kind) {
  return kind == RefKind::Func || kind == RefKind::Global || kind == RefKind::Table || kind == RefKind::Memory;
}

}  // namespace

wasm_extern_t::wasm_extern_t(wasm_store_t* s, runtime::Extern v) : wasm_ref_t(ref_kind(v.kind), s), value(v) {}

wasm_ref_t* wasm_extern_t::clone() const { return make_extern(store, value); }

namespace kiln::capi {

wasm_instance_t* instantiate(wasm_store_t* store, const wasm_module_t* module, const std::vector<runtime::Extern>& imports,
                             wasm_trap_t** trap) {
  if (trap) *trap = nullptr;
  auto fail = [&](Error error) -> wasm_instance_t* {
    set_last_error(error);
    if (trap) {
      *trap = make_trap(store, std::move(error));
      (*trap)->state->module = module->state->module;  // for the frames of a start function's trap
    }
    return nullptr;
  };
  const ir::Module& m = module->state->module->ir();
  // Checked here too (the store checks again) to name the import that does not fit.
  for (size_t i = 0; i < imports.size() && i < m.imports.size(); ++i) {
    Expected<void> fits = runtime::check_import(m, m.imports[i], imports[i], store->engine->engine);
    if (!fits) {
      Error error = std::move(fits).error();
      error.message = "import " + m.imports[i].module + "." + m.imports[i].name + ": " + error.message;
      return fail(std::move(error));
    }
  }
  auto instance = store->store->instantiate(module->state->module, imports);
  if (!instance) return fail(std::move(instance).error());
  store->instances.push_back(*instance);
  clear_last_error();
  return new wasm_instance_t(store, *instance);
}

wasm_extern_t* make_extern(wasm_store_t* store, runtime::Extern value) {
  switch (value.kind) {
    case ir::ExternKind::Func: return new wasm_func_t(store, value);
    case ir::ExternKind::Global: return new wasm_global_t(store, value);
    case ir::ExternKind::Table: return new wasm_table_t(store, value);
    case ir::ExternKind::Memory: return new wasm_memory_t(store, value);
    case ir::ExternKind::Tag: break;
  }
  return nullptr;
}

// ---- values --------------------------------------------------------------------------

runtime::Ref to_raw_ref(wasm_store_t* store, wasm_valkind_t kind, const wasm_ref_t* ref) {
  if (!ref) return nullptr;
  if (kind == WASM_FUNCREF) {
    if (ref->kind != RefKind::Func) return nullptr;
    return static_cast<const wasm_func_t*>(ref)->function();
  }
  // Externref: any store-owned object, through its box.
  if (ref->kind == RefKind::Module || ref->kind == RefKind::Trap) return nullptr;
  return store->box(ref->kind, const_cast<void*>(ref->identity()));
}

wasm_ref_t* from_raw_ref(wasm_store_t* store, wasm_valkind_t kind, runtime::Ref ref) {
  if (!ref) return nullptr;
  if (kind == WASM_FUNCREF) return make_extern(store, runtime::Extern::func(static_cast<runtime::Function*>(ref)));
  const auto* box = static_cast<const ExternBox*>(ref);
  switch (box->kind) {
    case RefKind::Func: return make_extern(store, runtime::Extern::func(static_cast<runtime::Function*>(box->object)));
    case RefKind::Global: return make_extern(store, runtime::Extern::global(static_cast<runtime::Global*>(box->object)));
    case RefKind::Table: return make_extern(store, runtime::Extern::table(static_cast<runtime::Table*>(box->object)));
    case RefKind::Memory: return make_extern(store, runtime::Extern::memory(static_cast<runtime::Memory*>(box->object)));
    case RefKind::Instance: return new wasm_instance_t(store, static_cast<runtime::Instance*>(box->object));
    case RefKind::Foreign: return new wasm_foreign_t(store, static_cast<Foreign*>(box->object));
    case RefKind::Module:
    case RefKind::Trap: break;
  }
  return nullptr;
}

bool load_val(wasm_store_t* store, const ir::ValType& type, const runtime::RawValue* slots, wasm_val_t* out) {
  out->kind = to_valkind(type);
  switch (out->kind) {
    case WASM_I32: out->of.i32 = static_cast<int32_t>(slots[0].i32); return true;
    case WASM_I64: out->of.i64 = static_cast<int64_t>(slots[0].i64); return true;
    case WASM_F32: out->of.f32 = slots[0].f32; return true;
    case WASM_F64: out->of.f64 = slots[0].f64; return true;
    case WASM_FUNCREF:
    case WASM_EXTERNREF: out->of.ref = from_raw_ref(store, out->kind, slots[0].ref); return true;
    default: out->of.i64 = 0; return false;  // v128: wasm_val_t has no room for it
  }
}

bool store_val(wasm_store_t* store, const ir::ValType& type, const wasm_val_t& value, runtime::RawValue* slots) {
  wasm_valkind_t kind = to_valkind(type);
  if (value.kind != kind) return false;
  switch (kind) {
    case WASM_I32: slots[0].i64 = static_cast<uint32_t>(value.of.i32); return true;
    case WASM_I64: slots[0].i64 = static_cast<uint64_t>(value.of.i64); return true;
    case WASM_F32: slots[0].i64 = 0; slots[0].f32 = value.of.f32; return true;
    case WASM_F64: slots[0].f64 = value.of.f64; return true;
    case WASM_FUNCREF:
    case WASM_EXTERNREF: {
      runtime::Ref ref = to_raw_ref(store, kind, value.of.ref);
      if (value.of.ref && !ref) return false;  // not a reference of this kind
      slots[0].ref = ref;
      return true;
    }
    default: return false;
  }
}

}  // namespace kiln::capi

// ---- the C functions: engine, store, references ------------------------------------------

extern "C" {

wasm_config_t* wasm_config_new(void) try { return new wasm_config_t; }
KILN_CAPI_CATCH(nullptr)
void wasm_config_delete(wasm_config_t* config) { delete config; }

wasm_engine_t* wasm_engine_new(void) try { return new wasm_engine_t(runtime::EngineConfig{}); }
KILN_CAPI_CATCH(nullptr)
wasm_engine_t* wasm_engine_new_with_config(wasm_config_t* config) try {
  std::unique_ptr<wasm_config_t> owned(config);
  return config ? new wasm_engine_t(config->config, config->tier) : new wasm_engine_t(runtime::EngineConfig{});
}
KILN_CAPI_CATCH(nullptr)
void wasm_engine_delete(wasm_engine_t* engine) { delete engine; }

wasm_store_t* wasm_store_new(wasm_engine_t* engine) try { return new wasm_store_t(engine); }
KILN_CAPI_CATCH(nullptr)
void wasm_store_delete(wasm_store_t* store) { delete store; }

void wasm_val_delete(wasm_val_t* v) {
  if (wasm_valkind_is_ref(v->kind) && v->of.ref) {
    delete v->of.ref;
    v->of.ref = nullptr;
  }
}

void wasm_val_copy(wasm_val_t* out, const wasm_val_t* v) try {
  *out = *v;
  if (wasm_valkind_is_ref(v->kind) && v->of.ref) out->of.ref = v->of.ref->clone();
}
catch (...) {
  set_last_error_from_exception();
  out->of.ref = nullptr;  // a null reference rather than a shared one
}

}  // extern "C"

// The functions every reference type has: delete, copy, same and host info.
#define KILN_CAPI_REF_BASE(name)                                                                 \
  extern "C" void wasm_##name##_delete(wasm_##name##_t* r) { delete r; }                         \
  extern "C" wasm_##name##_t* wasm_##name##_copy(const wasm_##name##_t* r) try {                 \
    return r ? static_cast<wasm_##name##_t*>(r->clone()) : nullptr;                              \
  }                                                                                              \
  KILN_CAPI_CATCH(nullptr)                                                                       \
  extern "C" bool wasm_##name##_same(const wasm_##name##_t* a, const wasm_##name##_t* b) {       \
    if (!a || !b) return a == b;                                                                 \
    return a->identity() == b->identity();                                                       \
  }                                                                                              \
  extern "C" void* wasm_##name##_get_host_info(const wasm_##name##_t* r) try {                   \
    return r->host_info().info;                                                                  \
  }                                                                                              \
  KILN_CAPI_CATCH(nullptr)                                                                       \
  extern "C" void wasm_##name##_set_host_info(wasm_##name##_t* r, void* info) try {              \
    r->host_info().set(info, nullptr);                                                           \
  }                                                                                              \
  KILN_CAPI_CATCH_VOID                                                                           \
  extern "C" void wasm_##name##_set_host_info_with_finalizer(wasm_##name##_t* r, void* info,     \
                                                             void (*finalizer)(void*)) try {     \
    r->host_info().set(info, finalizer);                                                         \
  }                                                                                              \
  KILN_CAPI_CATCH_VOID

// ... and the conversions to and from wasm_ref_t.
#define KILN_CAPI_REF(name, is_kind)                                                             \
  KILN_CAPI_REF_BASE(name)                                                                       \
  extern "C" wasm_ref_t* wasm_##name##_as_ref(wasm_##name##_t* r) { return r; }                  \
  extern "C" const wasm_ref_t* wasm_##name##_as_ref_const(const wasm_##name##_t* r) { return r; } \
  extern "C" wasm_##name##_t* wasm_ref_as_##name(wasm_ref_t* r) {                                \
    return r && (is_kind) ? static_cast<wasm_##name##_t*>(r) : nullptr;                          \
  }                                                                                              \
  extern "C" const wasm_##name##_t* wasm_ref_as_##name##_const(const wasm_ref_t* r) {            \
    return r && (is_kind) ? static_cast<const wasm_##name##_t*>(r) : nullptr;                    \
  }

KILN_CAPI_REF_BASE(ref)
KILN_CAPI_REF(trap, r->kind == RefKind::Trap)
KILN_CAPI_REF(foreign, r->kind == RefKind::Foreign)
KILN_CAPI_REF(module, r->kind == RefKind::Module)
KILN_CAPI_REF(func, r->kind == RefKind::Func)
KILN_CAPI_REF(global, r->kind == RefKind::Global)
KILN_CAPI_REF(table, r->kind == RefKind::Table)
KILN_CAPI_REF(memory, r->kind == RefKind::Memory)
KILN_CAPI_REF(extern, is_extern(r->kind))
KILN_CAPI_REF(instance, r->kind == RefKind::Instance)

// ---- modules ---------------------------------------------------------------------------

namespace {

wasm_externtype_t* extern_type_of(const ir::Module& m, ir::ExternKind kind, uint32_t index) {
  switch (kind) {
    case ir::ExternKind::Func: return to_functype(m.func_type(index));
    case ir::ExternKind::Global: return to_globaltype(m.global_type(index));
    case ir::ExternKind::Table: return to_tabletype(m.table_type(index));
    case ir::ExternKind::Memory: return to_memorytype(m.memory_type(index));
    case ir::ExternKind::Tag: break;
  }
  return nullptr;
}

wasm_externtype_t* import_type_of(const ir::Module& m, const ir::Import& imp) {
  switch (imp.kind) {
    case ir::ExternKind::Func: return to_functype(m.types[imp.type_index]);
    case ir::ExternKind::Global: return to_globaltype(imp.global);
    case ir::ExternKind::Table: return to_tabletype(imp.table);
    case ir::ExternKind::Memory: return to_memorytype(imp.memory);
    case ir::ExternKind::Tag: break;
  }
  return nullptr;
}

// Decodes and validates a module; the last error says why not.
wasm_module_t* compile(const char* caller, wasm_store_t* store, const wasm_byte_vec_t* binary) {
  if (!store || !binary) {
    set_last_error(Error(ErrorKind::Usage, std::string(caller) + ": the store and the bytes must not be NULL"));
    return nullptr;
  }
  std::vector<uint8_t> bytes(binary->data, binary->data + binary->size);
  auto module = runtime::Module::from_bytes_or_text(store->engine->engine, std::move(bytes));
  if (!module) {
    set_last_error(std::move(module).error());
    return nullptr;
  }
  auto state = std::make_shared<ModuleState>();
  state->module = std::move(*module);
  auto* out = new wasm_module_t(std::move(state));
  clear_last_error();
  return out;
}

}  // namespace

extern "C" {

wasm_module_t* wasm_module_new(wasm_store_t* store, const wasm_byte_vec_t* binary) try {
  return compile("wasm_module_new", store, binary);
}
KILN_CAPI_CATCH(nullptr)

bool wasm_module_validate(wasm_store_t* store, const wasm_byte_vec_t* binary) try {
  wasm_module_t* module = compile("wasm_module_validate", store, binary);
  delete module;
  return module != nullptr;
}
KILN_CAPI_CATCH(false)

void wasm_module_imports(const wasm_module_t* module, wasm_importtype_vec_t* out) try {
  const ir::Module& m = module->state->module->ir();
  std::vector<wasm_importtype_t*> types;
  for (const ir::Import& imp : m.imports) {
    wasm_externtype_t* type = import_type_of(m, imp);
    if (!type) continue;  // tags have no C API type
    auto* t = new wasm_importtype_t{{0, nullptr}, {0, nullptr}, type};
    new_name(&t->module, imp.module);
    new_name(&t->name, imp.name);
    types.push_back(t);
  }
  wasm_importtype_vec_new(out, types.size(), types.data());
}
catch (...) {
  set_last_error_from_exception();
  wasm_importtype_vec_new_empty(out);
}

void wasm_module_exports(const wasm_module_t* module, wasm_exporttype_vec_t* out) try {
  const ir::Module& m = module->state->module->ir();
  std::vector<wasm_exporttype_t*> types;
  for (const ir::Export& exp : m.exports) {
    wasm_externtype_t* type = extern_type_of(m, exp.kind, exp.index);
    if (!type) continue;
    auto* t = new wasm_exporttype_t{{0, nullptr}, type};
    new_name(&t->name, exp.name);
    types.push_back(t);
  }
  wasm_exporttype_vec_new(out, types.size(), types.data());
}
catch (...) {
  set_last_error_from_exception();
  wasm_exporttype_vec_new_empty(out);
}

// Until Kiln compiles ahead of time, a serialized module is its binary, and
// deserializing compiles it again.
// Native code under the LLVM and auto tiers (native::serialize); the wasm
// binary when it cannot be compiled, so deserialize still works.
void wasm_module_serialize(const wasm_module_t* module, wasm_byte_vec_t* out) try {
  Expected<std::vector<uint8_t>> bytes = native::serialize(*module->state->module);
  std::span<const uint8_t> kept = bytes ? std::span<const uint8_t>(*bytes) : module->state->module->ir().bytes.span();
  wasm_byte_vec_new(out, kept.size(), reinterpret_cast<const wasm_byte_t*>(kept.data()));
}
KILN_CAPI_CATCH_VOID

wasm_module_t* wasm_module_deserialize(wasm_store_t* store, const wasm_byte_vec_t* bytes) try {
  if (!store || !bytes || !native::is_artifact({reinterpret_cast<const uint8_t*>(bytes->data), bytes->size}))
    return compile("wasm_module_deserialize", store, bytes);
  auto module = native::deserialize(store->engine->engine, {reinterpret_cast<const uint8_t*>(bytes->data), bytes->size});
  if (!module) {
    set_last_error(std::move(module).error());
    return nullptr;
  }
  auto state = std::make_shared<ModuleState>();
  state->module = std::move(*module);
  clear_last_error();
  return new wasm_module_t(std::move(state));
}
KILN_CAPI_CATCH(nullptr)

void wasm_shared_module_delete(wasm_shared_module_t* shared) { delete shared; }

wasm_shared_module_t* wasm_module_share(const wasm_module_t* module) try {
  return new wasm_shared_module_t{module->state};
}
KILN_CAPI_CATCH(nullptr)

wasm_module_t* wasm_module_obtain(wasm_store_t* store, const wasm_shared_module_t* shared) try {
  if (!store || !shared) {
    set_last_error(Error(ErrorKind::Usage, "wasm_module_obtain: the store and the module must not be NULL"));
    return nullptr;
  }
  if (&shared->state->module->engine() != &store->engine->engine) {
    set_last_error(Error(ErrorKind::Usage, "wasm_module_obtain: the module was compiled by another engine"));
    return nullptr;
  }
  auto* out = new wasm_module_t(shared->state);
  clear_last_error();
  return out;
}
KILN_CAPI_CATCH(nullptr)

// ---- instances -------------------------------------------------------------------------

wasm_instance_t* wasm_instance_new(wasm_store_t* store, const wasm_module_t* module, const wasm_extern_vec_t* imports,
                                   wasm_trap_t** trap) try {
  if (trap) *trap = nullptr;
  auto fail = [&](std::string message) -> wasm_instance_t* {
    Error error(ErrorKind::Unlinkable, std::move(message));
    set_last_error(error);
    if (trap) *trap = make_trap(store, std::move(error));
    return nullptr;
  };
  const ir::Module& m = module->state->module->ir();
  size_t count = imports ? imports->size : 0;
  if (count != m.imports.size()) {
    std::string counts = "the module has " + std::to_string(m.imports.size()) +
                         (m.imports.size() == 1 ? " import, " : " imports, ") + std::to_string(count) +
                         (count == 1 ? " was given" : " were given");
    if (count > m.imports.size()) return fail(counts);
    const ir::Import& missing = m.imports[count];
    return fail("missing import " + missing.module + "." + missing.name + ": " + counts);
  }
  std::vector<runtime::Extern> values;
  values.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    const wasm_extern_t* e = imports->data[i];
    if (!e) return fail("import " + std::to_string(i) + " is null");
    if (e->store != store) return fail("import " + std::to_string(i) + " belongs to another store");
    values.push_back(e->value);
  }
  return instantiate(store, module, values, trap);
}
KILN_CAPI_CATCH(nullptr)

void wasm_instance_exports(const wasm_instance_t* instance, wasm_extern_vec_t* out) try {
  const ir::Module& m = instance->instance->module->ir();
  std::vector<wasm_extern_t*> externs;
  externs.reserve(m.exports.size());
  for (const ir::Export& exp : m.exports) {
    const runtime::Extern* value = instance->instance->find_export(exp.name);
    if (value && value->kind != ir::ExternKind::Tag) externs.push_back(make_extern(instance->store, *value));
  }
  wasm_extern_vec_new(out, externs.size(), externs.data());
}
catch (...) {
  set_last_error_from_exception();
  wasm_extern_vec_new_empty(out);
}

// ---- externs ---------------------------------------------------------------------------

wasm_externkind_t wasm_extern_kind(const wasm_extern_t* e) {
  switch (e->value.kind) {
    case ir::ExternKind::Func: return WASM_EXTERN_FUNC;
    case ir::ExternKind::Global: return WASM_EXTERN_GLOBAL;
    case ir::ExternKind::Table: return WASM_EXTERN_TABLE;
    case ir::ExternKind::Memory: return WASM_EXTERN_MEMORY;
    case ir::ExternKind::Tag: break;
  }
  return WASM_EXTERN_FUNC;
}

wasm_externtype_t* wasm_extern_type(const wasm_extern_t* e) try {
  switch (e->value.kind) {
    case ir::ExternKind::Func: return to_functype(e->value.as_func()->type());
    case ir::ExternKind::Global: return to_globaltype(e->value.as_global()->type);
    case ir::ExternKind::Table: return to_tabletype(e->value.as_table()->type());
    case ir::ExternKind::Memory: return to_memorytype(e->value.as_memory()->type());
    case ir::ExternKind::Tag: break;
  }
  return nullptr;
}
KILN_CAPI_CATCH(nullptr)

wasm_extern_t* wasm_func_as_extern(wasm_func_t* f) { return f; }
wasm_extern_t* wasm_global_as_extern(wasm_global_t* g) { return g; }
wasm_extern_t* wasm_table_as_extern(wasm_table_t* t) { return t; }
wasm_extern_t* wasm_memory_as_extern(wasm_memory_t* m) { return m; }
const wasm_extern_t* wasm_func_as_extern_const(const wasm_func_t* f) { return f; }
const wasm_extern_t* wasm_global_as_extern_const(const wasm_global_t* g) { return g; }
const wasm_extern_t* wasm_table_as_extern_const(const wasm_table_t* t) { return t; }
const wasm_extern_t* wasm_memory_as_extern_const(const wasm_memory_t* m) { return m; }

wasm_func_t* wasm_extern_as_func(wasm_extern_t* e) { return wasm_ref_as_func(e); }
wasm_global_t* wasm_extern_as_global(wasm_extern_t* e) { return wasm_ref_as_global(e); }
wasm_table_t* wasm_extern_as_table(wasm_extern_t* e) { return wasm_ref_as_table(e); }
wasm_memory_t* wasm_extern_as_memory(wasm_extern_t* e) { return wasm_ref_as_memory(e); }
const wasm_func_t* wasm_extern_as_func_const(const wasm_extern_t* e) { return wasm_ref_as_func_const(e); }
const wasm_global_t* wasm_extern_as_global_const(const wasm_extern_t* e) { return wasm_ref_as_global_const(e); }
const wasm_table_t* wasm_extern_as_table_const(const wasm_extern_t* e) { return wasm_ref_as_table_const(e); }
const wasm_memory_t* wasm_extern_as_memory_const(const wasm_extern_t* e) { return wasm_ref_as_memory_const(e); }

// ---- globals ---------------------------------------------------------------------------

wasm_global_t* wasm_global_new(wasm_store_t* store, const wasm_globaltype_t* type, const wasm_val_t* value) try {
  ir::GlobalType t{to_valtype(type->content->kind), type->mutability == WASM_VAR};
  runtime::RawValue slots[2] = {};
  if (!store_val(store, t.type, *value, slots)) return nullptr;
  runtime::Global* global = store->store->create_global(t, runtime::load_value(t.type, slots));
  return new wasm_global_t(store, runtime::Extern::global(global));
}
KILN_CAPI_CATCH(nullptr)

wasm_globaltype_t* wasm_global_type(const wasm_global_t* global) try { return to_globaltype(global->global()->type); }
KILN_CAPI_CATCH(nullptr)

void wasm_global_get(const wasm_global_t* global, wasm_val_t* out) try {
  runtime::Global* g = global->global();
  load_val(global->store, g->type.type, g->value, out);
}
catch (...) {
  set_last_error_from_exception();
  out->of.ref = nullptr;  // the reference could not be made: null
}

// Setting an immutable global, or with a value of the wrong type, does nothing.
void wasm_global_set(wasm_global_t* global, const wasm_val_t* value) try {
  runtime::Global* g = global->global();
  if (!g->type.mutable_) return;
  runtime::RawValue slots[2] = {};
  if (store_val(global->store, g->type.type, *value, slots)) std::memcpy(g->value, slots, sizeof slots);
}
KILN_CAPI_CATCH_VOID

// ---- tables ----------------------------------------------------------------------------

wasm_table_t* wasm_table_new(wasm_store_t* store, const wasm_tabletype_t* type, wasm_ref_t* init) try {
  wasm_valkind_t kind = type->element->kind;
  if (!wasm_valkind_is_ref(kind)) return nullptr;
  runtime::Ref raw = to_raw_ref(store, kind, init);
  if (init && !raw) return nullptr;
  ir::TableType t;
  t.elem = to_valtype(kind);
  t.limits = from_limits(type->limits);
  if (t.limits.max && *t.limits.max < t.limits.min) return nullptr;
  return new wasm_table_t(store, runtime::Extern::table(store->store->create_table(t, raw)));
}
KILN_CAPI_CATCH(nullptr)

wasm_tabletype_t* wasm_table_type(const wasm_table_t* table) try { return to_tabletype(table->table()->type()); }
KILN_CAPI_CATCH(nullptr)

wasm_ref_t* wasm_table_get(const wasm_table_t* table, wasm_table_size_t index) try {
  runtime::Table* t = table->table();
  if (index >= t->size()) return nullptr;
  return from_raw_ref(table->store, to_valkind(t->type().elem), t->get(index));
}
KILN_CAPI_CATCH(nullptr)

bool wasm_table_set(wasm_table_t* table, wasm_table_size_t index, wasm_ref_t* ref) try {
  runtime::Table* t = table->table();
  if (index >= t->size()) return false;
  runtime::Ref raw = to_raw_ref(table->store, to_valkind(t->type().elem), ref);
  if (ref && !raw) return false;
  t->set(index, raw);
  return true;
}
KILN_CAPI_CATCH(false)

wasm_table_size_t wasm_table_size(const wasm_table_t* table) {
  uint64_t size = table->table()->size();
  return size > UINT32_MAX ? UINT32_MAX : static_cast<wasm_table_size_t>(size);
}

bool wasm_table_grow(wasm_table_t* table, wasm_table_size_t delta, wasm_ref_t* init) try {
  runtime::Table* t = table->table();
  runtime::Ref raw = to_raw_ref(table->store, to_valkind(t->type().elem), init);
  if (init && !raw) return false;
  return t->grow(delta, raw) >= 0;
}
KILN_CAPI_CATCH(false)

// ---- memories --------------------------------------------------------------------------

wasm_memory_t* wasm_memory_new(wasm_store_t* store, const wasm_memorytype_t* type) try {
  ir::MemoryType t;
  t.limits = from_limits(type->limits);
  if (t.limits.min > ir::kMaxPages32 || (t.limits.max && (*t.limits.max > ir::kMaxPages32 || *t.limits.max < t.limits.min)))
    return nullptr;
  auto memory = store->store->create_memory(t);
  if (!memory) return nullptr;
  return new wasm_memory_t(store, runtime::Extern::memory(*memory));
}
KILN_CAPI_CATCH(nullptr)

wasm_memorytype_t* wasm_memory_type(const wasm_memory_t* memory) try { return to_memorytype(memory->memory()->type()); }
KILN_CAPI_CATCH(nullptr)

byte_t* wasm_memory_data(wasm_memory_t* memory) { return reinterpret_cast<byte_t*>(memory->memory()->data()); }

size_t wasm_memory_data_size(const wasm_memory_t* memory) { return memory->memory()->size_bytes(); }

wasm_memory_pages_t wasm_memory_size(const wasm_memory_t* memory) {
  return static_cast<wasm_memory_pages_t>(memory->memory()->pages());
}

bool wasm_memory_grow(wasm_memory_t* memory, wasm_memory_pages_t delta) try {
  return memory->memory()->grow(delta) >= 0;
}
KILN_CAPI_CATCH(false)

// ---- foreign objects -------------------------------------------------------------------

wasm_foreign_t* wasm_foreign_new(wasm_store_t* store) try {
  store->foreigns.push_back(std::make_unique<Foreign>());
  return new wasm_foreign_t(store, store->foreigns.back().get());
}
KILN_CAPI_CATCH(nullptr)

}  // extern "C"
