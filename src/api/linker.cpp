// kiln::Linker: host functions are kept as definitions and created in each store
// the linker instantiates into (once per store); store objects and WASI are tied
// to the store they came from.
#include <map>
#include <variant>

#include "api/conversions.h"
#include "kiln/kiln.hpp"
#include "runtime/linker.h"
#include "runtime/store.h"
#include "wasi/wasi.h"

namespace kiln {

namespace {

using Key = std::pair<std::string, std::string>;

// An object of one store.
struct StoreObject {
  runtime::Store* store;
  runtime::Extern value;
};

// A host function, to be created in whatever store needs it.
struct HostDefinition {
  ir::FuncType type;
  runtime::HostCallback callback;
  std::string debug_name;
};

using Definition = std::variant<StoreObject, std::shared_ptr<HostDefinition>>;

}  // namespace

struct Linker::State {
  Engine& engine;
  std::map<Key, Definition> definitions;
  // Host functions already created, per store.
  std::map<std::pair<runtime::Store*, const HostDefinition*>, runtime::Function*> created;
  // WASI contexts live as long as the linker that defined them.
  std::vector<std::shared_ptr<wasi::WasiContext>> wasi_contexts;

  explicit State(Engine& e) : engine(e) {}

  Expected<runtime::Extern> resolve(runtime::Store& store, const Key& key) {
    auto it = definitions.find(key);
    if (it == definitions.end())
      return Error(ErrorKind::Unlinkable, "unknown import " + key.first + "." + key.second);
    if (const StoreObject* object = std::get_if<StoreObject>(&it->second)) {
      if (object->store != &store)
        return Error(ErrorKind::Unlinkable,
                     "import " + key.first + "." + key.second + " belongs to another store");
      return object->value;
    }
    const auto& host = std::get<std::shared_ptr<HostDefinition>>(it->second);
    runtime::Function*& function = created[{&store, host.get()}];
    if (!function) function = store.create_host_function(host->type, host->callback, host->debug_name);
    return runtime::Extern::func(function);
  }
};

Linker::Linker(Engine& engine) : state_(std::make_unique<State>(engine)) {}

Linker::~Linker() = default;

void Linker::define_raw_host(std::string module, std::string name, detail::RawHostFunc host) {
  auto definition = std::make_shared<HostDefinition>();
  definition->type = api::to_internal(host.type);
  definition->debug_name = module + "." + name;
  auto callback = std::move(host.callback);
  definition->callback = [callback](runtime::HostCallContext& context, runtime::RawValue* slots) {
    Caller caller(context.store, context.caller);
    return callback(caller, reinterpret_cast<uint64_t*>(slots));
  };
  state_->definitions[{std::move(module), std::move(name)}] = std::move(definition);
}

Linker& Linker::func_new(std::string module, std::string name, FuncType type, HostFunc callback) {
  FuncType signature = type;
  detail::RawHostFunc host;
  host.type = type;
  host.callback = [signature, callback = std::move(callback)](Caller& caller, uint64_t* slots) -> Expected<void> {
    std::vector<Val> args;
    size_t at = 0;
    for (ValKind kind : signature.params) {
      args.push_back(api::load_val(kind, slots + at, &caller.store()));
      at += api::slot_count(kind);
    }
    std::vector<Val> results;
    for (ValKind kind : signature.results) results.push_back(api::zero_of(kind));
    KILN_TRY_VOID(callback(caller, args, results));
    at = 0;
    for (size_t i = 0; i < results.size(); ++i) {
      if (results[i].kind() != signature.results[i])
        return Error(ErrorKind::Trap, "host function returned a " + std::string(to_string(results[i].kind())) +
                                          " where its type says " + to_string(signature.results[i]));
      api::store_val(results[i], slots + at);
      at += api::slot_count(signature.results[i]);
    }
    return {};
  };
  define_raw_host(std::move(module), std::move(name), std::move(host));
  return *this;
}

Linker& Linker::define(std::string module, std::string name, const Extern& value) {
  runtime::Extern e{static_cast<ir::ExternKind>(value.kind()), value.impl()};
  state_->definitions[{std::move(module), std::move(name)}] = StoreObject{value.store(), e};
  return *this;
}

Linker& Linker::define_instance(std::string module, const Instance& instance) {
  for (const auto& [name, value] : instance.impl()->exports)
    state_->definitions[{module, name}] = StoreObject{instance.store(), value};
  return *this;
}

Expected<void> Linker::define_wasi(Store& store, const WasiConfig& config) {
  wasi::WasiConfig c;
  c.args = config.args;
  for (const auto& [name, value] : config.env) c.env.push_back(name + "=" + value);
  c.inherit_env = config.inherit_env;
  c.inherit_stdio = config.inherit_stdio;
  for (const auto& [host, guest] : config.preopens) c.preopens.push_back({host, guest});
  runtime::Linker functions(store.engine().impl());
  std::shared_ptr<wasi::WasiContext> context = KILN_TRY(wasi::add_to_linker(functions, store.impl(), c));
  state_->wasi_contexts.push_back(std::move(context));
  for (const auto& [key, value] : functions.items()) state_->definitions[key] = StoreObject{&store.impl(), value};
  return {};
}

Expected<Instance> Linker::instantiate(Store& store, const Module& module) {
  const ir::Module& m = module.impl()->ir();
  std::vector<runtime::Extern> imports;
  imports.reserve(m.imports.size());
  for (const ir::Import& imp : m.imports) {
    runtime::Extern value = KILN_TRY(state_->resolve(store.impl(), {imp.module, imp.name}));
    KILN_TRY_VOID(runtime::check_import(m, imp, value, store.engine().impl()));
    imports.push_back(value);
  }
  runtime::Instance* instance = KILN_TRY(store.impl().instantiate(module.impl(), imports));
  return Instance(&store.impl(), instance);
}

}  // namespace kiln
