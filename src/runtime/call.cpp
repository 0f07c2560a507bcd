#include "runtime/call.h"

#include "runtime/module.h"

namespace kiln::runtime {

Expected<void> host_entry(Function& function, Thread& thread, RawValue* slots) {
  HostCallContext context{thread.store, thread.caller};
  return function.host(context, slots);
}

Expected<void> compile_function(Function& function) {
  if (function.code) return {};
  const Module& module = *function.instance->module;
  const CompiledCode* code = KILN_TRY(module.compiled(function.func_index - module.ir().num_imported_funcs));
  function.code = code;
  function.entry = code->entry;
  return {};
}

Expected<void> compile_entry(Function& function, Thread& thread, RawValue* slots) {
  KILN_TRY_VOID(compile_function(function));
  return function.entry(function, thread, slots);
}

}  // namespace kiln::runtime
