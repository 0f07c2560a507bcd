// Functions of the C API (host functions, calls, arity), traps and frames.
#include <algorithm>
#include <cstring>
#include <new>

#include "capi/capi.h"
#include "interp/interpreter.h"
#include "runtime/call.h"

using namespace kiln;
using namespace kiln::capi;

namespace {

// Small calls use buffers on the C++ stack; larger ones allocate.
constexpr size_t kInlineValues = 8;
constexpr size_t kInlineSlots = 16;

size_t slot_count(const std::vector<ir::ValType>& types) {
  size_t n = 0;
  for (const ir::ValType& t : types) n += t.byte_size() / 8;
  return n;
}

// A host function's callback and environment; the finalizer runs when the
// function goes away with its store.
struct HostFunction {
  wasm_func_callback_t callback = nullptr;
  wasm_func_callback_with_env_t callback_with_env = nullptr;
  void* env = nullptr;
  void (*finalizer)(void*) = nullptr;
  ir::FuncType type;

  HostFunction() = default;
  HostFunction(const HostFunction&) = delete;
  HostFunction& operator=(const HostFunction&) = delete;
  ~HostFunction() {
    if (finalizer) finalizer(env);
  }
};

Error trap_error(wasm_trap_t* trap) {
  Error error = trap->state->error;
  wasm_trap_delete(trap);
  return error;
}

// The runtime's entry into a host function: arguments from slots to values, the
// callback, results from values back to slots. Allocation failure here is a
// trap of the wasm caller (no exception unwinds through the interpreter).
Expected<void> call_host(wasm_store_t* store, const HostFunction& host, runtime::RawValue* slots) try {
  const ir::FuncType& type = host.type;
  size_t nparams = type.params.size(), nresults = type.results.size();
  wasm_val_t inline_args[kInlineValues], inline_results[kInlineValues];
  std::vector<wasm_val_t> heap_args, heap_results;
  wasm_val_t* args = inline_args;
  wasm_val_t* results = inline_results;
  if (nparams > kInlineValues) args = (heap_args.resize(nparams), heap_args.data());
  if (nresults > kInlineValues) results = (heap_results.resize(nresults), heap_results.data());

  size_t at = 0;
  for (size_t i = 0; i < nparams; ++i) {
    if (!load_val(store, type.params[i], slots + at, &args[i])) {
      for (size_t k = 0; k <= i; ++k) wasm_val_delete(&args[k]);
      return Error(ErrorKind::Trap, "a v128 value cannot be passed to a wasm.h host function");
    }
    at += type.params[i].byte_size() / 8;
  }
  for (size_t i = 0; i < nresults; ++i) {
    results[i].kind = to_valkind(type.results[i]);
    results[i].of.i64 = 0;
  }
  const wasm_val_vec_t arg_vec{nparams, args};
  wasm_val_vec_t result_vec{nresults, results};
  wasm_trap_t* trap = host.callback ? host.callback(&arg_vec, &result_vec)
                                    : host.callback_with_env(host.env, &arg_vec, &result_vec);
  for (size_t i = 0; i < nparams; ++i) wasm_val_delete(&args[i]);

  Expected<void> status;
  if (trap) {
    status = trap_error(trap);
  } else {
    at = 0;
    for (size_t i = 0; i < nresults; ++i) {
      if (!store_val(store, type.results[i], results[i], slots + at)) {
        status = Error(ErrorKind::Trap, "a wasm.h host function returned a result of the wrong type");
        break;
      }
      at += type.results[i].byte_size() / 8;
    }
  }
  for (size_t i = 0; i < nresults; ++i) wasm_val_delete(&results[i]);
  return status;
}
catch (const std::bad_alloc&) {
  return Error(ErrorKind::Resource, "out of memory");
}

wasm_func_t* new_host_function(wasm_store_t* store, const wasm_functype_t* type, std::shared_ptr<HostFunction> host) {
  host->type = from_functype(*type);
  for (const ir::ValType& t : host->type.params)
    if (t.kind == ir::ValKind::V128) return nullptr;
  for (const ir::ValType& t : host->type.results)
    if (t.kind == ir::ValKind::V128) return nullptr;
  ir::FuncType signature = host->type;
  runtime::Function* function = store->store->create_host_function(
      std::move(signature),
      [store, host](runtime::HostCallContext&, runtime::RawValue* slots) { return call_host(store, *host, slots); },
      "host");
  return new wasm_func_t(store, runtime::Extern::func(function));
}

// The byte range of a backtrace frame's function in `m`, if the frame can be in it:
// the function index is one of m's own functions, whose body holds the offset,
// and the module names agree.
const ir::ByteRange* frame_function(const ir::Module& m, const TraceFrame& frame) {
  if (!frame.offset || frame.func_index < m.num_imported_funcs || frame.func_index >= m.num_funcs()) return nullptr;
  if (m.names.module_name.value_or("") != frame.module) return nullptr;
  const ir::ByteRange& body = m.codes[frame.func_index - m.num_imported_funcs].whole;
  if (*frame.offset < body.offset || *frame.offset >= body.offset + body.size) return nullptr;
  return &body;
}

// A frame of a trap's backtrace. Its instance is found among the store's
// instances by function index, offset and module name (none when not exactly
// one matches); its function offset needs only the module.
wasm_frame_t* new_frame(const wasm_trap_t* trap, const TraceFrame& trace) {
  auto* frame = new wasm_frame_t;
  frame->func_index = trace.func_index;
  frame->module_offset = trace.offset.value_or(0);
  const ir::ByteRange* body = nullptr;
  runtime::Instance* found = nullptr;
  size_t matches = 0;
  if (trap->store) {
    for (runtime::Instance* instance : trap->store->instances) {
      if (const ir::ByteRange* b = frame_function(instance->module->ir(), trace)) {
        body = b;
        found = instance;
        ++matches;
      }
    }
  }
  if (!body && trap->state->module) body = frame_function(trap->state->module->ir(), trace);
  if (matches == 1) frame->instance = new wasm_instance_t(trap->store, found);
  if (body) frame->func_offset = frame->module_offset - body->offset;
  return frame;
}

}  // namespace

namespace kiln::capi {

wasm_trap_t* make_trap(wasm_store_t* store, Error error) {
  auto state = std::make_shared<TrapState>();
  state->error = std::move(error);
  return new wasm_trap_t(store, std::move(state));
}

}  // namespace kiln::capi

extern "C" {

// ---- functions -------------------------------------------------------------------------

wasm_func_t* wasm_func_new(wasm_store_t* store, const wasm_functype_t* type, wasm_func_callback_t callback) try {
  auto host = std::make_shared<HostFunction>();
  host->callback = callback;
  return new_host_function(store, type, std::move(host));
}
KILN_CAPI_CATCH(nullptr)

wasm_func_t* wasm_func_new_with_env(wasm_store_t* store, const wasm_functype_t* type,
                                    wasm_func_callback_with_env_t callback, void* env, void (*finalizer)(void*)) try {
  auto host = std::make_shared<HostFunction>();
  host->callback_with_env = callback;
  host->env = env;
  host->finalizer = finalizer;
  return new_host_function(store, type, std::move(host));
}
KILN_CAPI_CATCH(nullptr)

wasm_functype_t* wasm_func_type(const wasm_func_t* func) try { return to_functype(func->function()->type()); }
KILN_CAPI_CATCH(nullptr)
size_t wasm_func_param_arity(const wasm_func_t* func) { return func->function()->type().params.size(); }
size_t wasm_func_result_arity(const wasm_func_t* func) { return func->function()->type().results.size(); }

wasm_trap_t* wasm_func_call(const wasm_func_t* func, const wasm_val_vec_t* args, wasm_val_vec_t* results) try {
  wasm_store_t* store = func->store;
  runtime::Function* function = func->function();
  const ir::FuncType& type = function->type();
  size_t nargs = args ? args->size : 0;
  size_t nresults = results ? results->size : 0;
  if (nargs != type.params.size())
    return make_trap(store, Error(ErrorKind::Trap, "wrong number of arguments: expected " +
                                                       std::to_string(type.params.size()) + ", got " +
                                                       std::to_string(nargs)));
  if (nresults < type.results.size())
    return make_trap(store, Error(ErrorKind::Trap, "the results vector has room for " + std::to_string(nresults) +
                                                       " values, the function returns " +
                                                       std::to_string(type.results.size())));

  size_t nslots = std::max<size_t>({slot_count(type.params), slot_count(type.results), 1});
  runtime::RawValue inline_slots[kInlineSlots];
  std::vector<runtime::RawValue> heap_slots;
  runtime::RawValue* slots = inline_slots;
  if (nslots > kInlineSlots) slots = (heap_slots.resize(nslots), heap_slots.data());

  size_t at = 0;
  for (size_t i = 0; i < nargs; ++i) {
    if (!store_val(store, type.params[i], args->data[i], slots + at))
      return make_trap(store, Error(ErrorKind::Trap, "argument " + std::to_string(i) + " has the wrong type"));
    at += type.params[i].byte_size() / 8;
  }
  Expected<void> status = runtime::invoke(store->store->thread(), *function, slots);
  if (!status) return make_trap(store, std::move(status).error());
  at = 0;
  for (size_t i = 0; i < type.results.size(); ++i) {
    if (!load_val(store, type.results[i], slots + at, &results->data[i]))
      return make_trap(store, Error(ErrorKind::Trap, "a v128 result cannot be returned through wasm.h"));
    at += type.results[i].byte_size() / 8;
  }
  return nullptr;
}
catch (...) {
  set_last_error_from_exception();
  return trap_from_last_error(func->store);
}

// ---- traps and frames ------------------------------------------------------------------

wasm_trap_t* wasm_trap_new(wasm_store_t* store, const wasm_message_t* message) try {
  std::string text = message ? to_string(*message) : std::string();
  if (size_t nul = text.find('\0'); nul != std::string::npos) text.resize(nul);
  return make_trap(store, Error(ErrorKind::Trap, std::move(text)));
}
KILN_CAPI_CATCH(nullptr)

// The message, NUL-terminated (the NUL counts in `size`, as the standard says).
// Traps, exhaustion and exits (proc_exit: "exit with status 3") give their
// message alone; other failures (say, a link error from wasm_instance_new)
// start with their kind.
void wasm_trap_message(const wasm_trap_t* trap, wasm_message_t* out) try {
  const Error& error = trap->state->error;
  bool plain = error.kind == ErrorKind::Trap || error.kind == ErrorKind::Exhaustion || error.kind == ErrorKind::Exit;
  std::string text = plain ? error.message : error.to_string();
  wasm_byte_vec_new(out, text.size() + 1, text.c_str());
}
catch (...) {
  set_last_error_from_exception();
  wasm_byte_vec_new_empty(out);
}

wasm_frame_t* wasm_trap_origin(const wasm_trap_t* trap) try {
  for (const TraceFrame& frame : trap->state->error.trace)
    if (!frame.host) return new_frame(trap, frame);
  return nullptr;
}
KILN_CAPI_CATCH(nullptr)

void wasm_trap_trace(const wasm_trap_t* trap, wasm_frame_vec_t* out) try {
  std::vector<wasm_frame_t*> frames;
  for (const TraceFrame& frame : trap->state->error.trace)
    if (!frame.host) frames.push_back(new_frame(trap, frame));
  wasm_frame_vec_new(out, frames.size(), frames.data());
}
catch (...) {
  set_last_error_from_exception();
  wasm_frame_vec_new_empty(out);
}

void wasm_frame_delete(wasm_frame_t* frame) {
  if (!frame) return;
  delete frame->instance;
  delete frame;
}

wasm_frame_t* wasm_frame_copy(const wasm_frame_t* frame) try {
  auto out = std::make_unique<wasm_frame_t>(*frame);
  if (frame->instance) out->instance = new wasm_instance_t(frame->instance->store, frame->instance->instance);
  return out.release();
}
KILN_CAPI_CATCH(nullptr)

wasm_instance_t* wasm_frame_instance(const wasm_frame_t* frame) { return frame->instance; }
uint32_t wasm_frame_func_index(const wasm_frame_t* frame) { return frame->func_index; }
size_t wasm_frame_func_offset(const wasm_frame_t* frame) { return frame->func_offset; }
size_t wasm_frame_module_offset(const wasm_frame_t* frame) { return frame->module_offset; }

}  // extern "C"
