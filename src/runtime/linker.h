// The Linker: names for store objects, by (module, name), used to resolve a
// module's imports. Registering an instance under a name makes its exports
// importable, as the spec's `register` and embedders' linkers do.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "base/error.h"
#include "runtime/store.h"

namespace kiln::runtime {

class Linker {
 public:
  explicit Linker(Engine& engine) : engine_(engine) {}

  // Defines (or redefines) one item.
  void define(const std::string& module, const std::string& name, Extern value);
  // Defines every export of `instance` under `module`.
  void define_instance(const std::string& module, const Instance& instance);

  const Extern* find(const std::string& module, const std::string& name) const;

  // The imports of `module` in order, or Unlinkable ("unknown import" or
  // "incompatible import type").
  Expected<std::vector<Extern>> resolve(const Module& module) const;

  using Key = std::pair<std::string, std::string>;
  const std::map<Key, Extern>& items() const { return items_; }

  // resolve() then Store::instantiate().
  Expected<Instance*> instantiate(Store& store, std::shared_ptr<const Module> module) const;

  // What a function import that nothing defines becomes (Wasmtime's
  // -W unknown-imports-trap / unknown-imports-default): a function that traps
  // naming the import when called, or one that returns zeros (null references).
  enum class UnknownImports { Trap, Default };
  // Defines each function import of `module` that is still undefined, in
  // `store`. Other kinds of undefined imports stay unlinkable.
  void define_unknown_imports(Store& store, const Module& module, UnknownImports how);

 private:
  Engine& engine_;
  std::map<Key, Extern> items_;
};

}  // namespace kiln::runtime
