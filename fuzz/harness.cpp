#include "fuzz/harness.h"

#include <vector>

#include "binary/decoder.h"
#include "interp/interpreter.h"
#include "runtime/linker.h"
#include "runtime/store.h"
#include "text/wat.h"
#include "validate/validator.h"

namespace kiln::fuzz {

runtime::Extern made_up_import(runtime::Store& store, const ir::Module& m, const ir::Import& imp,
                               const MakeHostFunction& function) {
  switch (imp.kind) {
    case ir::ExternKind::Func: {
      const ir::FuncType& type = m.types[imp.type_index];
      std::string name = imp.module + "." + imp.name;
      return runtime::Extern::func(store.create_host_function(type, function(type, name), name));
    }
    case ir::ExternKind::Table: {
      ir::TableType type = imp.table;
      if (type.limits.min > 1000) type.limits.min = 1000;
      if (type.limits.max && *type.limits.max < type.limits.min) type.limits.max = type.limits.min;
      return runtime::Extern::table(store.create_table(type));
    }
    case ir::ExternKind::Memory: {
      Expected<runtime::Memory*> memory = store.create_memory(imp.memory);
      return memory ? runtime::Extern::memory(*memory) : runtime::Extern{};
    }
    case ir::ExternKind::Global:
      return runtime::Extern::global(store.create_global(imp.global, runtime::Value::zero(imp.global.type)));
    case ir::ExternKind::Tag:
      break;
  }
  return {};
}

namespace {

// Imported functions return zeros.
runtime::HostCallback returning_zeros(const ir::FuncType& type, const std::string&) {
  size_t slots = 0;
  for (const ir::ValType& t : type.results) slots += t.byte_size() / 8;
  return [slots](runtime::HostCallContext&, runtime::RawValue* out) -> Expected<void> {
    for (size_t i = 0; i < slots; ++i) out[i].i64 = 0;
    return {};
  };
}

constexpr uint64_t kFuel = 200000;

runtime::EngineConfig limited_config() {
  runtime::EngineConfig config;
  config.consume_fuel = true;
  config.max_memory_pages = 256;  // 16 MiB per memory
  config.max_table_elements = 10000;
  config.value_stack_bytes = size_t{1} << 20;
  config.max_call_depth = 2000;
  return config;
}

Outcome run_module(runtime::Engine& engine, std::shared_ptr<runtime::Module> module) {
  runtime::Store store(engine);
  if (!store.set_fuel(kFuel)) return Outcome::Rejected;
  const ir::Module& m = module->ir();
  std::vector<runtime::Extern> imports;
  for (const ir::Import& imp : m.imports) {
    runtime::Extern e = made_up_import(store, m, imp, returning_zeros);
    if (!e.object) return Outcome::Unlinkable;
    if (!runtime::check_import(m, imp, e, engine)) return Outcome::Unlinkable;
    imports.push_back(e);
  }
  Expected<runtime::Instance*> instance = store.instantiate(module, imports);
  if (!instance) return Outcome::Trapped;
  Outcome outcome = Outcome::Ran;
  for (const ir::Export& exp : m.exports) {
    if (exp.kind != ir::ExternKind::Func) continue;
    runtime::Function* f = (*instance)->funcs[exp.index];
    std::vector<runtime::Value> args;
    for (const ir::ValType& t : f->type().params) args.push_back(runtime::Value::zero(t));
    if (!store.call(f, args)) outcome = Outcome::Trapped;
    if (!store.set_fuel(kFuel)) break;
  }
  return outcome;
}

}  // namespace

Outcome validate_binary(const uint8_t* data, size_t size) {
  Expected<ir::Module> m = binary::decode_module(std::vector<uint8_t>(data, data + size));
  if (!m) return Outcome::Rejected;
  return validate::validate_module(*m) ? Outcome::Ran : Outcome::Rejected;
}

Outcome run_binary(const uint8_t* data, size_t size) {
  static runtime::Engine engine(interp::with_interpreter(limited_config()));
  Expected<std::shared_ptr<runtime::Module>> module =
      runtime::Module::from_binary(engine, std::vector<uint8_t>(data, data + size));
  if (!module) return Outcome::Rejected;
  return run_module(engine, *module);
}

Outcome run_text(std::string_view text) {
  Expected<std::vector<uint8_t>> bytes = text::wat_to_wasm(text);
  if (!bytes) return Outcome::Rejected;
  return run_binary(bytes->data(), bytes->size());
}

}  // namespace kiln::fuzz
