// The C API's linker (a Kiln extension in wasm.h): imports resolved by name
// from a runtime::Linker; WASI is defined in it by wasi.cpp.
#include "capi/capi.h"
#include "wasi/wasi.h"

using namespace kiln;
using namespace kiln::capi;

namespace {

// Why `import` has no definition in `linker`, as an Unlinkable error.
Error unknown_import(const kiln_linker_t& linker, const ir::Import& import) {
  std::string message = "unknown import " + import.module + "." + import.name + ": ";
  if (import.module != wasi::kModuleName)
    message += "nothing of that name is defined in the linker";
  else if (linker.wasi_defined)
    message += "not a WASI preview1 function";
  else
    message += "WASI is not defined in the linker (kiln_linker_define_wasi)";
  return Error(ErrorKind::Unlinkable, std::move(message));
}

}  // namespace

extern "C" {

kiln_linker_t* kiln_linker_new(wasm_store_t* store) try {
  return new kiln_linker_t(store);
}
KILN_CAPI_CATCH(nullptr)

void kiln_linker_delete(kiln_linker_t* linker) { delete linker; }

bool kiln_linker_define(kiln_linker_t* linker, const char* module, const char* name, const wasm_extern_t* item) try {
  if (!module || !name || !item) {
    set_last_error(Error(ErrorKind::Usage, "kiln_linker_define: module, name and item must not be NULL"));
    return false;
  }
  if (item->store != linker->store) {
    set_last_error(Error(ErrorKind::Usage, std::string("kiln_linker_define: ") + module + "." + name +
                                               " belongs to another store than the linker"));
    return false;
  }
  linker->linker.define(module, name, item->value);
  clear_last_error();
  return true;
}
KILN_CAPI_CATCH(false)

wasm_instance_t* kiln_linker_instantiate(const kiln_linker_t* linker, const wasm_module_t* module,
                                         wasm_trap_t** trap) try {
  if (trap) *trap = nullptr;
  std::vector<runtime::Extern> imports;
  for (const ir::Import& import : module->state->module->ir().imports) {
    const runtime::Extern* value = linker->linker.find(import.module, import.name);
    if (!value) {
      Error error = unknown_import(*linker, import);
      set_last_error(error);
      if (trap) *trap = make_trap(linker->store, std::move(error));
      return nullptr;
    }
    imports.push_back(*value);
  }
  return instantiate(linker->store, module, imports, trap);
}
KILN_CAPI_CATCH(nullptr)

}  // extern "C"
