// Internal: the objects behind the opaque types of the standard C API (wasm.h).
//
// Type objects (wasm_valtype_t, wasm_functype_t, ...) are plain owned values.
// Runtime objects are references: a wasm_func_t, wasm_global_t, wasm_table_t,
// wasm_memory_t or wasm_instance_t is a small heap-allocated handle naming an
// object owned by a runtime::Store; deleting the handle never deletes the object
// (it lives as long as its store, as in Wasmtime). Modules, traps and foreign
// objects are handles to shared state. Every handle derives from wasm_ref_t, so
// the standard's as_ref/as_extern conversions are pointer casts.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "kiln/error.hpp"
#include "interp/interpreter.h"
#include "runtime/engine.h"
#include "runtime/linker.h"
#include "runtime/module.h"
#include "runtime/store.h"
#include "wasm.h"

// ---- errors and exceptions ---------------------------------------------------------

namespace kiln::capi {

// The last error of this thread (kiln_last_error_message). The calls that can
// fail for a reason (compiling and instantiating modules, linking, WASI set-up)
// set it when they fail and clear it when they succeed; any call that fails
// from an exception sets it too.
void set_last_error(Error error) noexcept;
void clear_last_error() noexcept;
// Inside a catch block: records the exception being handled as the last error
// (std::bad_alloc as `out of resources: out of memory`).
void set_last_error_from_exception() noexcept;
// A trap for the last error, for a call that must report failure as a trap.
wasm_trap_t* trap_from_last_error(wasm_store_t* store) noexcept;

}  // namespace kiln::capi

// No C++ exception leaves a C API function: each one that can throw (mostly
// std::bad_alloc) is a function-try-block ending in one of these, which record
// the exception as the last error and return `failure` (NULL, false, ...).
#define KILN_CAPI_CATCH(failure)                     \
  catch (...) {                                      \
    ::kiln::capi::set_last_error_from_exception();   \
    return failure;                                  \
  }
#define KILN_CAPI_CATCH_VOID                         \
  catch (...) {                                      \
    ::kiln::capi::set_last_error_from_exception();   \
  }

// ---- type objects --------------------------------------------------------------

struct wasm_valtype_t {
  wasm_valkind_t kind;
};

struct wasm_externtype_t {
  explicit wasm_externtype_t(wasm_externkind_t k) : kind(k) {}
  virtual ~wasm_externtype_t() = default;
  virtual wasm_externtype_t* clone() const = 0;
  wasm_externkind_t kind;
};

struct wasm_functype_t : wasm_externtype_t {
  wasm_functype_t() : wasm_externtype_t(WASM_EXTERN_FUNC) {}
  ~wasm_functype_t() override;
  wasm_externtype_t* clone() const override;
  wasm_valtype_vec_t params{0, nullptr};
  wasm_valtype_vec_t results{0, nullptr};
};

struct wasm_globaltype_t : wasm_externtype_t {
  wasm_globaltype_t(wasm_valtype_t* c, wasm_mutability_t m)
      : wasm_externtype_t(WASM_EXTERN_GLOBAL), content(c), mutability(m) {}
  ~wasm_globaltype_t() override { delete content; }
  wasm_externtype_t* clone() const override { return new wasm_globaltype_t(new wasm_valtype_t(*content), mutability); }
  wasm_valtype_t* content;
  wasm_mutability_t mutability;
};

struct wasm_tabletype_t : wasm_externtype_t {
  wasm_tabletype_t(wasm_valtype_t* e, wasm_limits_t l) : wasm_externtype_t(WASM_EXTERN_TABLE), element(e), limits(l) {}
  ~wasm_tabletype_t() override { delete element; }
  wasm_externtype_t* clone() const override { return new wasm_tabletype_t(new wasm_valtype_t(*element), limits); }
  wasm_valtype_t* element;
  wasm_limits_t limits;
};

struct wasm_memorytype_t : wasm_externtype_t {
  explicit wasm_memorytype_t(wasm_limits_t l) : wasm_externtype_t(WASM_EXTERN_MEMORY), limits(l) {}
  wasm_externtype_t* clone() const override { return new wasm_memorytype_t(limits); }
  wasm_limits_t limits;
};

struct wasm_importtype_t {
  wasm_name_t module;
  wasm_name_t name;
  wasm_externtype_t* type;
};

struct wasm_exporttype_t {
  wasm_name_t name;
  wasm_externtype_t* type;
};

// ---- engine and store ------------------------------------------------------------

struct wasm_config_t {
  kiln::runtime::EngineConfig config;
  int tier = 0;  // kiln_tier_t
};

struct wasm_engine_t {
  explicit wasm_engine_t(const kiln::runtime::EngineConfig& config, int tier = 0);
  kiln::runtime::Engine engine;
};

namespace kiln::capi {

// Host info attached to an object with wasm_X_set_host_info(_with_finalizer).
struct HostInfo {
  void* info = nullptr;
  void (*finalizer)(void*) = nullptr;
  HostInfo() = default;
  HostInfo(const HostInfo&) = delete;
  HostInfo& operator=(const HostInfo&) = delete;
  ~HostInfo() { finalize(); }
  void set(void* new_info, void (*new_finalizer)(void*)) {
    finalize();
    info = new_info;
    finalizer = new_finalizer;
  }
  void finalize() {
    if (finalizer) finalizer(info);
    finalizer = nullptr;
  }
};

// A host object created by wasm_foreign_new; owned by its store.
struct Foreign {
  HostInfo host_info;
};

// What an externref value points at in wasm: a box naming the referenced C API
// object, one per object, owned by the store (so the same object always gives the
// same reference and it round-trips through globals, tables and calls).
enum class RefKind : uint8_t { Func, Global, Table, Memory, Instance, Module, Trap, Foreign };
struct ExternBox {
  RefKind kind;
  void* object;
};

}  // namespace kiln::capi

struct wasm_store_t {
  explicit wasm_store_t(wasm_engine_t* e) : engine(e), store(std::make_unique<kiln::runtime::Store>(e->engine)) {}
  ~wasm_store_t();

  wasm_engine_t* engine;
  std::unique_ptr<kiln::runtime::Store> store;
  // Every instance created through the C API, in creation order (for frames).
  std::vector<kiln::runtime::Instance*> instances;
  std::unordered_map<const void*, std::unique_ptr<kiln::capi::HostInfo>> host_infos;
  std::vector<std::unique_ptr<kiln::capi::Foreign>> foreigns;
  std::unordered_map<const void*, std::unique_ptr<kiln::capi::ExternBox>> extern_boxes;

  kiln::capi::HostInfo& host_info(const void* object);
  kiln::capi::ExternBox* box(kiln::capi::RefKind kind, void* object);
};

// ---- references ---------------------------------------------------------------------

struct wasm_ref_t {
  wasm_ref_t(kiln::capi::RefKind k, wasm_store_t* s) : kind(k), store(s) {}
  virtual ~wasm_ref_t() = default;
  virtual wasm_ref_t* clone() const = 0;
  // The object this handle refers to (two handles are `same` when these match).
  virtual const void* identity() const = 0;
  virtual kiln::capi::HostInfo& host_info() const { return store->host_info(identity()); }

  kiln::capi::RefKind kind;
  wasm_store_t* store;  // null for modules
};

// A function, global, table or memory of a store.
struct wasm_extern_t : wasm_ref_t {
  wasm_extern_t(wasm_store_t* s, kiln::runtime::Extern v);
  wasm_ref_t* clone() const override;
  const void* identity() const override { return value.object; }
  kiln::runtime::Extern value;
};

struct wasm_func_t : wasm_extern_t {
  using wasm_extern_t::wasm_extern_t;
  kiln::runtime::Function* function() const { return static_cast<kiln::runtime::Function*>(value.object); }
};
struct wasm_global_t : wasm_extern_t {
  using wasm_extern_t::wasm_extern_t;
  kiln::runtime::Global* global() const { return static_cast<kiln::runtime::Global*>(value.object); }
};
struct wasm_table_t : wasm_extern_t {
  using wasm_extern_t::wasm_extern_t;
  kiln::runtime::Table* table() const { return static_cast<kiln::runtime::Table*>(value.object); }
};
struct wasm_memory_t : wasm_extern_t {
  using wasm_extern_t::wasm_extern_t;
  kiln::runtime::Memory* memory() const { return static_cast<kiln::runtime::Memory*>(value.object); }
};

struct wasm_instance_t : wasm_ref_t {
  wasm_instance_t(wasm_store_t* s, kiln::runtime::Instance* i) : wasm_ref_t(kiln::capi::RefKind::Instance, s), instance(i) {}
  wasm_ref_t* clone() const override { return new wasm_instance_t(store, instance); }
  const void* identity() const override { return instance; }
  kiln::runtime::Instance* instance;
};

struct wasm_foreign_t : wasm_ref_t {
  wasm_foreign_t(wasm_store_t* s, kiln::capi::Foreign* f) : wasm_ref_t(kiln::capi::RefKind::Foreign, s), foreign(f) {}
  wasm_ref_t* clone() const override { return new wasm_foreign_t(store, foreign); }
  const void* identity() const override { return foreign; }
  kiln::capi::HostInfo& host_info() const override { return foreign->host_info; }
  kiln::capi::Foreign* foreign;
};

namespace kiln::capi {
struct ModuleState {
  std::shared_ptr<const runtime::Module> module;
  HostInfo host_info;
};
struct TrapState {
  Error error;
  HostInfo host_info;
  // The module whose instantiation failed with this trap (its frames are in no
  // instance), for frames' function offsets.
  std::shared_ptr<const runtime::Module> module;
};
}  // namespace kiln::capi

struct wasm_module_t : wasm_ref_t {
  explicit wasm_module_t(std::shared_ptr<kiln::capi::ModuleState> s)
      : wasm_ref_t(kiln::capi::RefKind::Module, nullptr), state(std::move(s)) {}
  wasm_ref_t* clone() const override { return new wasm_module_t(state); }
  const void* identity() const override { return state.get(); }
  kiln::capi::HostInfo& host_info() const override { return state->host_info; }
  std::shared_ptr<kiln::capi::ModuleState> state;
};

struct wasm_shared_module_t {
  std::shared_ptr<kiln::capi::ModuleState> state;
};

struct wasm_trap_t : wasm_ref_t {
  wasm_trap_t(wasm_store_t* s, std::shared_ptr<kiln::capi::TrapState> t)
      : wasm_ref_t(kiln::capi::RefKind::Trap, s), state(std::move(t)) {}
  wasm_ref_t* clone() const override { return new wasm_trap_t(store, state); }
  const void* identity() const override { return state.get(); }
  kiln::capi::HostInfo& host_info() const override { return state->host_info; }
  std::shared_ptr<kiln::capi::TrapState> state;
};

struct wasm_frame_t {
  wasm_instance_t* instance = nullptr;  // owned by the frame; null when unknown
  uint32_t func_index = 0;
  size_t func_offset = 0;
  size_t module_offset = 0;
};

namespace kiln::capi {

// Instantiates `module` in `store` with `imports` (in the module's import
// order): the last error and `*trap` (if not null) say why when it fails.
wasm_instance_t* instantiate(wasm_store_t* store, const wasm_module_t* module, const std::vector<runtime::Extern>& imports,
                             wasm_trap_t** trap);

// A new handle of the right type for a store object.
wasm_extern_t* make_extern(wasm_store_t* store, runtime::Extern value);
// A new trap handle for an error (a trap, or any other failure reported as one).
wasm_trap_t* make_trap(wasm_store_t* store, Error error);

// Type conversions.
wasm_valkind_t to_valkind(const ir::ValType& type);
ir::ValType to_valtype(wasm_valkind_t kind);
wasm_functype_t* to_functype(const ir::FuncType& type);
ir::FuncType from_functype(const wasm_functype_t& type);
wasm_globaltype_t* to_globaltype(const ir::GlobalType& type);
wasm_tabletype_t* to_tabletype(const ir::TableType& type);
wasm_memorytype_t* to_memorytype(const ir::MemoryType& type);
ir::Limits from_limits(const wasm_limits_t& limits);

// Values: to and from the runtime's slots (one 8-byte slot per value, two for
// v128). Reading a reference makes a new handle the caller owns; writing one
// only reads the handle.
bool load_val(wasm_store_t* store, const ir::ValType& type, const runtime::RawValue* slots, wasm_val_t* out);
bool store_val(wasm_store_t* store, const ir::ValType& type, const wasm_val_t& value, runtime::RawValue* slots);
// The runtime reference for a handle (null for null), as a funcref or externref.
runtime::Ref to_raw_ref(wasm_store_t* store, wasm_valkind_t kind, const wasm_ref_t* ref);
// A new handle for a runtime reference (null for null).
wasm_ref_t* from_raw_ref(wasm_store_t* store, wasm_valkind_t kind, runtime::Ref ref);

// Bytes of a name or message.
std::string to_string(const wasm_byte_vec_t& bytes);
void new_name(wasm_name_t* out, const std::string& text);

}  // namespace kiln::capi

// ---- the linker (a Kiln extension in wasm.h; WASI in wasi.h) -------------------------

struct kiln_linker_t {
  explicit kiln_linker_t(wasm_store_t* s) : store(s), linker(s->engine->engine) {}
  wasm_store_t* store;
  kiln::runtime::Linker linker;
  bool wasi_defined = false;
};
