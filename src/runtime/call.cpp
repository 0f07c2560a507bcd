#include "runtime/call.h"

#include "base/log.h"
#include "runtime/engine.h"
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
  function.native = code->native;
  return {};
}

HotAnswer report_hot(Function& function, uint32_t loop_offset) {
  const Tier* tier = function.instance->module->engine().config().tier.get();
  return tier ? tier->hot(function, loop_offset) : HotAnswer{};
}

Expected<void> compile_entry(Function& function, Thread& thread, RawValue* slots) {
  KILN_TRY_VOID(compile_function(function));
  return function.entry(function, thread, slots);
}

Expected<std::unique_ptr<CompiledCode>> FallbackTier::compile(const Module& module, uint32_t defined_index) const {
  Expected<std::unique_ptr<CompiledCode>> code = primary_->compile(module, defined_index);
  if (code) return code;
  // What the primary tier does not compile (Unsupported), or cannot now (Io:
  // its compiler failed), the fallback does; anything else (damaged code, no
  // memory) is the call's error.
  if (code.error().kind != ErrorKind::Unsupported && code.error().kind != ErrorKind::Io) return code;
  if (log_enabled("tier")) {
    uint32_t index = module.ir().num_imported_funcs + defined_index;
    std::string name = module.ir().function_name(index);
    log_message("tier", "%s tier: function %u%s%s left to %s: %s", primary_->name(), index, name.empty() ? "" : " $",
                name.c_str(), fallback_->name(), code.error().message.c_str());
  }
  return fallback_->compile(module, defined_index);
}

TraceFrame trace_frame(const Function& f, std::optional<uint32_t> offset) {
  TraceFrame frame;
  if (f.is_host()) {
    frame.host = true;
    frame.function = f.debug_name;
    return frame;
  }
  const ir::Module& m = f.instance->module->ir();
  frame.func_index = f.func_index;
  frame.function = m.function_name(f.func_index);
  frame.module = m.names.module_name.value_or("");
  frame.offset = offset;
  return frame;
}

void add_trace_frame(Error& error, TraceFrame frame) {
  if (error.trace.size() < kMaxTraceFrames) error.trace.push_back(std::move(frame));
  else ++error.trace_omitted;
}

}  // namespace kiln::runtime
