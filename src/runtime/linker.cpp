#include "runtime/linker.h"

namespace kiln::runtime {

void Linker::define(const std::string& module, const std::string& name, Extern value) {
  items_[{module, name}] = value;
}

void Linker::define_instance(const std::string& module, const Instance& instance) {
  for (const auto& [name, value] : instance.exports) define(module, name, value);
}

const Extern* Linker::find(const std::string& module, const std::string& name) const {
  auto it = items_.find({module, name});
  return it == items_.end() ? nullptr : &it->second;
}

Expected<std::vector<Extern>> Linker::resolve(const Module& module) const {
  std::vector<Extern> imports;
  const ir::Module& m = module.ir();
  for (const ir::Import& imp : m.imports) {
    const Extern* value = find(imp.module, imp.name);
    if (!value) return Error(ErrorKind::Unlinkable, "unknown import " + imp.module + "." + imp.name);
    KILN_TRY_VOID(check_import(m, imp, *value, engine_));
    imports.push_back(*value);
  }
  return imports;
}

void Linker::define_unknown_imports(Store& store, const Module& module, UnknownImports how) {
  const ir::Module& m = module.ir();
  for (const ir::Import& imp : m.imports) {
    if (imp.kind != ir::ExternKind::Func || find(imp.module, imp.name)) continue;
    const ir::FuncType& type = m.types[imp.type_index];
    std::string name = imp.module + "." + imp.name;
    HostCallback callback;
    if (how == UnknownImports::Trap) {
      callback = [name](HostCallContext&, RawValue*) -> Expected<void> {
        return Error(ErrorKind::Trap, "unknown import: " + name + " has not been defined");
      };
    } else {
      // Results are written over the arguments: one slot per value, two for v128.
      size_t result_slots = 0;
      for (const ir::ValType& t : type.results) result_slots += t.kind == ir::ValKind::V128 ? 2 : 1;
      callback = [result_slots](HostCallContext&, RawValue* slots) -> Expected<void> {
        for (size_t i = 0; i < result_slots; ++i) slots[i].i64 = 0;
        return {};
      };
    }
    define(imp.module, imp.name, Extern::func(store.create_host_function(type, std::move(callback), name)));
  }
}

Expected<Instance*> Linker::instantiate(Store& store, std::shared_ptr<const Module> module) const {
  std::vector<Extern> imports = KILN_TRY(resolve(*module));
  return store.instantiate(std::move(module), imports);
}

}  // namespace kiln::runtime
