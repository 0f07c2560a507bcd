#include "ir/module.h"

namespace kiln::ir {

uint32_t Module::func_type_index(uint32_t index) const {
  if (index < num_imported_funcs) return imports[imported_func_imports[index]].type_index;
  return functions[index - num_imported_funcs];
}

TableType Module::table_type(uint32_t index) const {
  if (index < num_imported_tables) return imports[imported_table_imports[index]].table;
  return tables[index - num_imported_tables].type;
}

MemoryType Module::memory_type(uint32_t index) const {
  if (index < num_imported_memories) return imports[imported_memory_imports[index]].memory;
  return memories[index - num_imported_memories];
}

GlobalType Module::global_type(uint32_t index) const {
  if (index < num_imported_globals) return imports[imported_global_imports[index]].global;
  return globals[index - num_imported_globals].type;
}

std::string Module::function_name(uint32_t index) const {
  auto it = names.function_names.find(index);
  return it == names.function_names.end() ? std::string() : it->second;
}

}  // namespace kiln::ir
