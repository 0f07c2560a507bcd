// Store objects: functions, tables, globals, and the instances that tie them to a
// module. Memories are in memory.h. All are owned by a Store.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/error.h"
#include "ir/module.h"
#include "runtime/context.h"
#include "runtime/limits.h"
#include "runtime/memory.h"
#include "runtime/tier.h"
#include "runtime/value.h"

namespace kiln::runtime {

class Instance;
class Module;
class Store;

// What a host function sees of its caller.
struct HostCallContext {
  Store* store = nullptr;
  Instance* caller = nullptr;  // the instance whose code made the call (null from the host)
};

// A host function reads its arguments from `slots` and writes its results there
// (slot layout as in frames: one RawValue per value, two for v128). Returning an
// Error traps (or exits) the calling wasm.
using HostCallback = std::function<Expected<void>(HostCallContext& context, RawValue* slots)>;

// A function. Its header (context.h) holds what calls read: the entry through
// which calls reach it (tier.h; a host function's is host_entry, a wasm
// function starts at compile_entry, which compiles it with the engine's tier
// on the first call and installs the tier's entry and code), its code once
// compiled (owned by the Module), its canonical type id, and for a wasm
// function its instance and index in the module's function index space.
class Function : public FunctionHeader {
 public:
  Function() = default;
  Function(const Function&) = delete;  // type_ may point into the object itself
  Function& operator=(const Function&) = delete;

  const ir::FuncType& type() const { return *type_; }
  // A wasm function's type is its module's (which the instance keeps alive):
  // not copied, since a big module has tens of thousands of functions.
  void set_module_type(const ir::FuncType& type) { type_ = &type; }
  // A host function owns its type.
  void set_own_type(ir::FuncType type) {
    own_type_ = std::move(type);
    type_ = &own_type_;
  }

  // A host function.
  HostCallback host;
  std::string debug_name;          // for backtraces of host functions

  bool is_host() const { return instance == nullptr; }

 private:
  ir::FuncType own_type_;
  const ir::FuncType* type_ = &own_type_;
};

class Table {
 public:
  // `limiter`, if set, points at the owning store's limiter (consulted by grow).
  Table(ir::TableType type, uint64_t element_limit, Ref init, ResourceLimiter* const* limiter = nullptr);
  ir::TableType type() const;
  uint64_t size() const { return elements_.size(); }
  Ref get(uint64_t index) const { return elements_[index]; }
  void set(uint64_t index, Ref value) { elements_[index] = value; }
  Ref* data() { return elements_.data(); }
  // The elements and size as compiled code reads them (context.h).
  TableDefinition* definition() { return &definition_; }
  // Grows by `delta` entries filled with `init`; returns the old size or -1.
  int64_t grow(uint64_t delta, Ref init);

 private:
  ir::TableType type_;
  uint64_t limit_;  // effective maximum: the type's and the host's
  ResourceLimiter* const* limiter_ = nullptr;
  std::vector<Ref> elements_;
  TableDefinition definition_;  // kept equal to elements_' data and size
  void update_definition() { definition_ = {elements_.data(), elements_.size()}; }
};

class Global {
 public:
  ir::GlobalType type;
  RawValue value[2] = {};  // two slots so a v128 fits
};

struct Extern {
  ir::ExternKind kind = ir::ExternKind::Func;
  void* object = nullptr;  // Function*, Table*, Memory* or Global*

  static Extern func(Function* f) { return {ir::ExternKind::Func, f}; }
  static Extern table(Table* t) { return {ir::ExternKind::Table, t}; }
  static Extern memory(Memory* m) { return {ir::ExternKind::Memory, m}; }
  static Extern global(Global* g) { return {ir::ExternKind::Global, g}; }
  Function* as_func() const { return kind == ir::ExternKind::Func ? static_cast<Function*>(object) : nullptr; }
  Table* as_table() const { return kind == ir::ExternKind::Table ? static_cast<Table*>(object) : nullptr; }
  Memory* as_memory() const { return kind == ir::ExternKind::Memory ? static_cast<Memory*>(object) : nullptr; }
  Global* as_global() const { return kind == ir::ExternKind::Global ? static_cast<Global*>(object) : nullptr; }
};

// An instantiated module. Its index spaces point at store objects, imported or
// its own; the layout is flat so compiled code can reach everything from here.
class Instance {
 public:
  std::shared_ptr<const Module> module;
  Store* store = nullptr;
  std::vector<Function*> funcs;
  std::vector<Table*> tables;
  std::vector<Memory*> memories;
  std::vector<Global*> globals;
  std::vector<std::vector<Ref>> elem_segments;  // current contents; emptied by elem.drop
  std::vector<bool> data_dropped;
  std::unordered_map<std::string, Extern> exports;
  // What compiled code reaches through one pointer (context.h), and the arrays
  // it points into; complete once instantiation has made every object.
  InstanceContext context;
  std::vector<MemoryDefinition*> memory_definitions;
  std::vector<RawValue*> global_values;
  std::vector<TableDefinition*> table_definitions;
  std::vector<FunctionHeader*> function_headers;

  const Extern* find_export(const std::string& name) const {
    auto it = exports.find(name);
    return it == exports.end() ? nullptr : &it->second;
  }
  // The bytes of data segment `index`, empty once dropped.
  std::span<const uint8_t> data_segment(uint32_t index) const;
};

}  // namespace kiln::runtime
