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

Expected<Instance*> Linker::instantiate(Store& store, std::shared_ptr<const Module> module) const {
  std::vector<Extern> imports = KILN_TRY(resolve(*module));
  return store.instantiate(std::move(module), imports);
}

}  // namespace kiln::runtime
