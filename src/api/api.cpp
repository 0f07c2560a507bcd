// The C++ embedding API (include/kiln/kiln.hpp), a thin layer over runtime/.
#include <cstdio>

#include "api/conversions.h"
#include "interp/interpreter.h"
#include "native/tier.h"
#include "runtime/call.h"
#include "kiln/kiln.hpp"
#include "runtime/engine.h"
#include "runtime/linker.h"
#include "runtime/module.h"
#include "runtime/store.h"

namespace kiln {

using api::to_internal;
using api::to_public;

const char* to_string(ValKind kind) {
  switch (kind) {
    case ValKind::I32: return "i32";
    case ValKind::I64: return "i64";
    case ValKind::F32: return "f32";
    case ValKind::F64: return "f64";
    case ValKind::V128: return "v128";
    case ValKind::FuncRef: return "funcref";
    case ValKind::ExternRef: return "externref";
  }
  return "?";
}

std::string to_string(const FuncType& type) { return ir::to_string(to_internal(type)); }

std::string to_string(const Val& value) { return runtime::to_string(to_internal(value)); }

Val Val::funcref(const Func* func) {
  if (!func) return null(ValKind::FuncRef);
  return from_raw_ref(ValKind::FuncRef, func->impl(), func->store());
}

std::optional<Func> Val::funcref() const {
  if (kind_ != ValKind::FuncRef || !ref_ || !ref_store_) return std::nullopt;
  return Func(ref_store_, static_cast<runtime::Function*>(ref_));
}

// ---- engine, module, store ------------------------------------------------------

Engine::Engine(Config config) {
  runtime::EngineConfig c;
  c.max_memory_pages = config.max_memory_pages;
  c.max_table_elements = config.max_table_elements;
  c.value_stack_bytes = config.max_stack_bytes;
  c.max_call_depth = config.max_call_depth;
  if (config.wasm2_only) c.features = ir::Features::wasm2();
  c.consume_fuel = config.consume_fuel;
  c.epoch_interruption = config.epoch_interruption;
  c.compile_threads = config.compile_threads;
  c.cache_dir = config.cache_dir;
  switch (config.tier) {
    case Tier::Llvm: c = native::with_llvm(c, interp::interpreter_tier()); break;
    case Tier::Auto: c = native::with_auto(c, interp::interpreter_tier()); break;
    case Tier::Interpreter: c = interp::with_interpreter(c); break;
  }
  impl_ = std::make_unique<runtime::Engine>(c);
}

void Engine::increment_epoch() { impl_->increment_epoch(); }

Engine::~Engine() = default;

namespace {

// The bytes a module keeps, copied from the caller's; nullopt when there is no
// memory for them (no exception crosses the API).
std::optional<std::vector<uint8_t>> copy_bytes(std::span<const uint8_t> bytes) {
  try {
    return std::vector<uint8_t>(bytes.begin(), bytes.end());
  } catch (const std::bad_alloc&) {
    return std::nullopt;
  }
}

Error out_of_memory() { return Error(ErrorKind::Resource, "out of memory copying the module"); }

}  // namespace

Expected<Module> Module::compile(Engine& engine, std::span<const uint8_t> binary) {
  std::optional<std::vector<uint8_t>> bytes = copy_bytes(binary);
  if (!bytes) return out_of_memory();
  auto module = KILN_TRY(runtime::Module::from_binary(engine.impl(), std::move(*bytes)));
  return Module(std::move(module));
}

Expected<Module> Module::from_file(Engine& engine, const std::string& path) {
  auto module = KILN_TRY(runtime::Module::from_file(engine.impl(), path));
  return Module(std::move(module));
}

Expected<Module> Module::from_text(Engine& engine, std::string_view text) {
  auto module = KILN_TRY(runtime::Module::from_text(engine.impl(), text));
  return Module(std::move(module));
}

Expected<Module> Module::from_bytes(Engine& engine, std::span<const uint8_t> bytes) {
  std::optional<std::vector<uint8_t>> copy = copy_bytes(bytes);
  if (!copy) return out_of_memory();
  auto module = KILN_TRY(runtime::Module::from_bytes_or_text(engine.impl(), std::move(*copy)));
  return Module(std::move(module));
}

Expected<std::vector<uint8_t>> Module::serialize() const { return native::serialize(*impl_); }

Expected<Module> Module::deserialize(Engine& engine, std::span<const uint8_t> bytes) {
  auto module = KILN_TRY(native::deserialize(engine.impl(), bytes));
  return Module(std::move(module));
}

Expected<void> Module::validate(Engine& engine, std::span<const uint8_t> binary) {
  KILN_TRY(compile(engine, binary));
  return {};
}

namespace {

ExternType extern_type(const ir::Module& m, ir::ExternKind kind, uint32_t index) {
  ExternType t;
  t.kind = static_cast<ExternKind>(kind);
  switch (kind) {
    case ir::ExternKind::Func: t.func = to_public(m.func_type(index)); break;
    case ir::ExternKind::Table: t.table = to_public(m.table_type(index)); break;
    case ir::ExternKind::Memory: t.memory = to_public(m.memory_type(index)); break;
    case ir::ExternKind::Global: t.global = to_public(m.global_type(index)); break;
    case ir::ExternKind::Tag: break;
  }
  return t;
}

}  // namespace

std::vector<ImportType> Module::imports() const {
  const ir::Module& m = impl_->ir();
  std::vector<ImportType> out;
  for (const ir::Import& imp : m.imports) {
    ImportType t;
    t.module = imp.module;
    t.name = imp.name;
    t.type.kind = static_cast<ExternKind>(imp.kind);
    switch (imp.kind) {
      case ir::ExternKind::Func: t.type.func = to_public(m.types[imp.type_index]); break;
      case ir::ExternKind::Table: t.type.table = to_public(imp.table); break;
      case ir::ExternKind::Memory: t.type.memory = to_public(imp.memory); break;
      case ir::ExternKind::Global: t.type.global = to_public(imp.global); break;
      case ir::ExternKind::Tag: break;
    }
    out.push_back(std::move(t));
  }
  return out;
}

std::vector<ExportType> Module::exports() const {
  const ir::Module& m = impl_->ir();
  std::vector<ExportType> out;
  for (const ir::Export& e : m.exports) out.push_back({e.name, extern_type(m, e.kind, e.index)});
  return out;
}

Store::Store(Engine& engine) : engine_(engine), impl_(std::make_unique<runtime::Store>(engine.impl())) {}

Store::~Store() = default;

Expected<void> Store::set_fuel(uint64_t fuel) { return impl_->set_fuel(fuel); }
Expected<uint64_t> Store::fuel() const { return impl_->fuel(); }
void Store::set_epoch_deadline(uint64_t ticks) { impl_->set_epoch_deadline(ticks); }
void Store::set_limiter(ResourceLimiter* limiter) { impl_->set_limiter(limiter); }

// ---- functions ------------------------------------------------------------------

namespace detail {

Expected<void> call_raw(runtime::Store& store, runtime::Function* function, uint64_t* slots) {
  return runtime::invoke(store.thread(), *function, reinterpret_cast<runtime::RawValue*>(slots));
}

Expected<void> check_signature(const Func& func, const std::vector<ValKind>& params,
                               const std::vector<ValKind>& results) {
  FuncType actual = func.type();
  if (actual.params != params || actual.results != results) {
    FuncType wanted{params, results};
    return Error(ErrorKind::Usage,
                 "function type mismatch: the function is " + to_string(actual) + ", not " + to_string(wanted));
  }
  return {};
}

}  // namespace detail

FuncType Func::type() const { return to_public(function_->type()); }

Expected<std::vector<Val>> Func::call(std::span<const Val> args) const {
  std::vector<runtime::Value> values;
  values.reserve(args.size());
  for (const Val& v : args) values.push_back(to_internal(v));
  std::vector<runtime::Value> results = KILN_TRY(store_->call(function_, values));
  std::vector<Val> out;
  out.reserve(results.size());
  for (const runtime::Value& v : results) out.push_back(to_public(v, store_));
  return out;
}

// ---- memory, table, global ------------------------------------------------------

uint8_t* Memory::data() const { return memory_->data(); }
uint64_t Memory::size() const { return memory_->size_bytes(); }
uint64_t Memory::pages() const { return memory_->pages(); }
MemoryType Memory::type() const { return to_public(memory_->type()); }

Expected<uint64_t> Memory::grow(uint64_t delta) const {
  int64_t old = memory_->grow(delta);
  if (old < 0) return Error(ErrorKind::Usage, "memory cannot grow by " + std::to_string(delta) + " pages");
  return static_cast<uint64_t>(old);
}

uint64_t Table::size() const { return table_->size(); }
TableType Table::type() const { return to_public(table_->type()); }

Expected<Val> Table::get(uint64_t index) const {
  if (index >= table_->size()) return Error(ErrorKind::Usage, "table index out of bounds");
  return Val::from_raw_ref(to_public(table_->type().elem), table_->get(index), store_);
}

Expected<void> Table::set(uint64_t index, const Val& value) const {
  if (index >= table_->size()) return Error(ErrorKind::Usage, "table index out of bounds");
  if (value.kind() != to_public(table_->type().elem)) return Error(ErrorKind::Usage, "wrong reference type for table");
  table_->set(index, value.raw_ref());
  return {};
}

Expected<uint64_t> Table::grow(uint64_t delta, const Val& init) const {
  if (init.kind() != to_public(table_->type().elem)) return Error(ErrorKind::Usage, "wrong reference type for table");
  int64_t old = table_->grow(delta, init.raw_ref());
  if (old < 0) return Error(ErrorKind::Usage, "table cannot grow by " + std::to_string(delta) + " elements");
  return static_cast<uint64_t>(old);
}

Val Global::get() const { return to_public(runtime::load_value(global_->type.type, global_->value), store_); }
GlobalType Global::type() const { return to_public(global_->type); }

Expected<void> Global::set(const Val& value) const {
  if (!global_->type.mutable_) return Error(ErrorKind::Usage, "global is immutable");
  if (value.kind() != to_public(global_->type.type)) return Error(ErrorKind::Usage, "wrong type for global");
  runtime::store_value(to_internal(value), global_->value);
  return {};
}

// ---- externs and instances ---------------------------------------------------------

std::optional<Func> Extern::func() const {
  if (kind_ != ExternKind::Func) return std::nullopt;
  return Func(store_, static_cast<runtime::Function*>(object_));
}
std::optional<Memory> Extern::memory() const {
  if (kind_ != ExternKind::Memory) return std::nullopt;
  return Memory(store_, static_cast<runtime::Memory*>(object_));
}
std::optional<Table> Extern::table() const {
  if (kind_ != ExternKind::Table) return std::nullopt;
  return Table(store_, static_cast<runtime::Table*>(object_));
}
std::optional<Global> Extern::global() const {
  if (kind_ != ExternKind::Global) return std::nullopt;
  return Global(store_, static_cast<runtime::Global*>(object_));
}

namespace {

std::optional<Extern> find_export(runtime::Store* store, const runtime::Instance* instance, std::string_view name) {
  const runtime::Extern* e = instance->find_export(std::string(name));
  if (!e) return std::nullopt;
  return Extern(static_cast<ExternKind>(e->kind), store, e->object);
}

}  // namespace

std::optional<Extern> Instance::get_export(std::string_view name) const { return find_export(store_, instance_, name); }

std::optional<Func> Instance::get_func(std::string_view name) const {
  std::optional<Extern> e = get_export(name);
  return e ? e->func() : std::nullopt;
}
std::optional<Memory> Instance::get_memory(std::string_view name) const {
  std::optional<Extern> e = get_export(name);
  return e ? e->memory() : std::nullopt;
}
std::optional<Table> Instance::get_table(std::string_view name) const {
  std::optional<Extern> e = get_export(name);
  return e ? e->table() : std::nullopt;
}
std::optional<Global> Instance::get_global(std::string_view name) const {
  std::optional<Extern> e = get_export(name);
  return e ? e->global() : std::nullopt;
}

std::optional<Extern> Caller::get_export(std::string_view name) const {
  if (!instance_) return std::nullopt;
  return find_export(store_, instance_, name);
}

std::optional<Memory> Caller::memory(std::string_view name) const {
  if (!instance_) return std::nullopt;
  if (std::optional<Extern> e = get_export(name))
    if (std::optional<Memory> m = e->memory()) return m;
  if (instance_->memories.empty()) return std::nullopt;
  return Memory(store_, instance_->memories[0]);
}

}  // namespace kiln
