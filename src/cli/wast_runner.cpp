#include "cli/wast_runner.h"

#include <cmath>
#include <cstring>
#include <iostream>
#include <map>
#include <memory>

#include "base/file.h"
#include "cli/commands.h"
#include "interp/interpreter.h"
#include "runtime/linker.h"
#include "runtime/store.h"
#include "text/wast.h"

namespace kiln::cli {

using ir::ValType;
using runtime::Extern;
using runtime::Instance;
using runtime::RawValue;
using runtime::Value;
using text::ScriptAction;
using text::ScriptCommand;
using text::ScriptModule;
using text::ScriptValue;

namespace {

// Defines the `spectest` module the spec scripts import from.
void define_spectest(runtime::Store& store, runtime::Linker& linker) {
  struct Print {
    const char* name;
    std::vector<ValType> params;
  };
  const Print prints[] = {
      {"print", {}},
      {"print_i32", {ValType::i32()}},
      {"print_i64", {ValType::i64()}},
      {"print_f32", {ValType::f32()}},
      {"print_f64", {ValType::f64()}},
      {"print_i32_f32", {ValType::i32(), ValType::f32()}},
      {"print_f64_f64", {ValType::f64(), ValType::f64()}},
  };
  for (const Print& p : prints) {
    std::vector<ValType> types = p.params;
    runtime::Function* f = store.create_host_function(
        ir::FuncType{types, {}},
        [types](runtime::HostCallContext&, RawValue* slots) -> Expected<void> {
          std::string line;
          size_t at = 0;
          for (const ValType& t : types) {
            Value v = runtime::load_value(t, slots + at);
            at += t.byte_size() / 8;
            line += (line.empty() ? "" : " ") + runtime::to_string(v) + " : " + ir::to_string(t);
          }
          std::cout << line << "\n";
          return {};
        },
        std::string("spectest.") + p.name);
    linker.define("spectest", p.name, Extern::func(f));
  }
  auto global = [&](const char* name, Value v) {
    linker.define("spectest", name, Extern::global(store.create_global({v.type, false}, v)));
  };
  global("global_i32", Value::i32(666));
  global("global_i64", Value::i64(666));
  global("global_f32", Value::f32(666.6f));
  global("global_f64", Value::f64(666.6));
  ir::TableType table_type;
  table_type.limits.min = 10;
  table_type.limits.max = 20;
  linker.define("spectest", "table", Extern::table(store.create_table(table_type)));
  ir::TableType table64_type = table_type;
  table64_type.limits.is64 = true;
  linker.define("spectest", "table64", Extern::table(store.create_table(table64_type)));
  ir::MemoryType memory_type;
  memory_type.limits.min = 1;
  memory_type.limits.max = 2;
  if (auto memory = store.create_memory(memory_type))
    linker.define("spectest", "memory", Extern::memory(*memory));
}

bool is_canonical_nan32(uint32_t bits) { return (bits & 0x7fffffffu) == 0x7fc00000u; }
bool is_arithmetic_nan32(uint32_t bits) { return (bits & 0x7fc00000u) == 0x7fc00000u; }
bool is_canonical_nan64(uint64_t bits) { return (bits & 0x7fffffffffffffffull) == 0x7ff8000000000000ull; }
bool is_arithmetic_nan64(uint64_t bits) { return (bits & 0x7ff8000000000000ull) == 0x7ff8000000000000ull; }

bool nan_matches32(ScriptValue::NanPattern p, uint32_t bits) {
  return p == ScriptValue::NanPattern::Canonical ? is_canonical_nan32(bits) : is_arithmetic_nan32(bits);
}
bool nan_matches64(ScriptValue::NanPattern p, uint64_t bits) {
  return p == ScriptValue::NanPattern::Canonical ? is_canonical_nan64(bits) : is_arithmetic_nan64(bits);
}

class Runner {
 public:
  Runner(const std::string& path, const WastOptions& options, std::ostream& out)
      : path_(path), options_(options), out_(out), engine_(make_config(options)), store_(engine_), linker_(engine_) {
    define_spectest(store_, linker_);
  }

  WastResult run(const text::Script& script) {
    for (const ScriptCommand& command : script.commands) execute(command);
    return result_;
  }

 private:
  static runtime::EngineConfig make_config(const WastOptions& options) {
    runtime::EngineConfig config;
    config.features = options.features;
    return *with_tier(config, options.tier, true);
  }

  void pass() { ++result_.passed; }
  void fail(uint32_t line, const std::string& why) {
    ++result_.failed;
    out_ << path_ << ":" << line << ": " << why << "\n";
  }

  // ---- modules ----
  Expected<std::shared_ptr<runtime::Module>> compile(const ScriptModule& module) {
    std::vector<uint8_t> bytes = KILN_TRY(module.to_binary());
    return runtime::Module::from_binary(engine_, std::move(bytes));
  }

  Expected<Instance*> instantiate(const std::shared_ptr<runtime::Module>& module) {
    return linker_.instantiate(store_, module);
  }

  void define_module(const ScriptCommand& command) {
    const ScriptModule& sm = *command.module;
    Expected<std::shared_ptr<runtime::Module>> module = compile(sm);
    if (!module) return fail(command.line, "module failed to compile: " + module.error().to_string());
    if (sm.is_definition) {
      if (sm.name) definitions_[*sm.name] = *module;
      return pass();
    }
    Expected<Instance*> instance = instantiate(*module);
    if (!instance) {
      current_ = nullptr;
      return fail(command.line, "module failed to instantiate: " + instance.error().to_string());
    }
    current_ = *instance;
    if (sm.name) instances_[*sm.name] = current_;
    pass();
  }

  Instance* find_instance(const std::optional<std::string>& name) {
    if (!name) return current_;
    auto it = instances_.find(*name);
    return it == instances_.end() ? nullptr : it->second;
  }

  // ---- values ----
  Expected<Value> to_value(const ScriptValue& v) {
    switch (v.kind) {
      case ScriptValue::Kind::I32: return Value::i32(static_cast<uint32_t>(v.bits));
      case ScriptValue::Kind::I64: return Value::i64(v.bits);
      case ScriptValue::Kind::F32: return Value::f32_bits(static_cast<uint32_t>(v.bits));
      case ScriptValue::Kind::F64: return Value::f64_bits(v.bits);
      case ScriptValue::Kind::V128: {
        ir::V128 bytes;
        bytes.bytes = v.v128;
        return Value::make_v128(bytes);
      }
      case ScriptValue::Kind::RefNull: return Value::make_ref(ValType::ref(heap_kind(v.heap)), nullptr);
      case ScriptValue::Kind::RefExtern: return Value::make_ref(ValType::externref(), host_ref(v.bits));
      case ScriptValue::Kind::RefHost: return Value::make_ref(ValType::ref(ir::HeapKind::Any), host_ref(v.bits));
      default: return Error(ErrorKind::Usage, "unsupported argument value");
    }
  }

  static ir::HeapKind heap_kind(const std::string& heap) {
    if (heap == "extern" || heap == "noextern") return ir::HeapKind::Extern;
    if (heap == "func" || heap == "nofunc") return ir::HeapKind::Func;
    if (heap == "exn" || heap == "noexn") return ir::HeapKind::Exn;
    return ir::HeapKind::Any;
  }

  // A distinct non-null pointer for each host reference number.
  runtime::Ref host_ref(uint64_t n) {
    auto& slot = host_refs_[n];
    if (!slot) slot = std::make_unique<uint64_t>(n);
    return slot.get();
  }

  bool matches(const ScriptValue& expected, const Value& actual) {
    using K = ScriptValue::Kind;
    switch (expected.kind) {
      case K::I32: return actual.type.kind == ir::ValKind::I32 && actual.as_i32() == static_cast<uint32_t>(expected.bits);
      case K::I64: return actual.type.kind == ir::ValKind::I64 && actual.as_i64() == expected.bits;
      case K::F32:
        if (actual.type.kind != ir::ValKind::F32) return false;
        if (expected.nan != ScriptValue::NanPattern::None) return nan_matches32(expected.nan, actual.as_i32());
        return actual.as_i32() == static_cast<uint32_t>(expected.bits);
      case K::F64:
        if (actual.type.kind != ir::ValKind::F64) return false;
        if (expected.nan != ScriptValue::NanPattern::None) return nan_matches64(expected.nan, actual.as_i64());
        return actual.as_i64() == expected.bits;
      case K::V128: return actual.type.kind == ir::ValKind::V128 && v128_matches(expected, actual.v128);
      case K::RefNull: return actual.type.is_ref() && actual.ref == nullptr;
      case K::RefExtern:
        if (!actual.type.is_ref() || !actual.ref) return false;
        return !expected.has_number || actual.ref == host_ref(expected.bits);
      case K::RefHost: return actual.type.is_ref() && actual.ref == host_ref(expected.bits);
      case K::RefFunc: return actual.type.is_ref() && actual.ref != nullptr;
      case K::Either:
        for (const ScriptValue& alt : expected.alternatives)
          if (matches(alt, actual)) return true;
        return false;
      default: return actual.type.is_ref() && actual.ref != nullptr;
    }
  }

  static bool v128_matches(const ScriptValue& expected, const ir::V128& actual) {
    const auto& shape = expected.lane_shape;
    if (shape == "f32x4") {
      for (int i = 0; i < 4; ++i) {
        uint32_t a, e;
        std::memcpy(&a, actual.bytes.data() + 4 * i, 4);
        std::memcpy(&e, expected.v128.data() + 4 * i, 4);
        if (expected.lane_nan[i] != ScriptValue::NanPattern::None ? !nan_matches32(expected.lane_nan[i], a) : a != e)
          return false;
      }
      return true;
    }
    if (shape == "f64x2") {
      for (int i = 0; i < 2; ++i) {
        uint64_t a, e;
        std::memcpy(&a, actual.bytes.data() + 8 * i, 8);
        std::memcpy(&e, expected.v128.data() + 8 * i, 8);
        if (expected.lane_nan[i] != ScriptValue::NanPattern::None ? !nan_matches64(expected.lane_nan[i], a) : a != e)
          return false;
      }
      return true;
    }
    return std::memcmp(actual.bytes.data(), expected.v128.data(), 16) == 0;
  }

  static std::string describe(const std::vector<Value>& values) {
    std::string out;
    for (const Value& v : values) out += (out.empty() ? "" : ", ") + runtime::to_string(v);
    return "(" + out + ")";
  }

  // ---- actions ----
  Expected<std::vector<Value>> perform(const ScriptAction& action) {
    Instance* instance = find_instance(action.module);
    if (!instance) return Error(ErrorKind::Usage, "unknown module " + action.module.value_or("(current)"));
    const Extern* e = instance->find_export(action.field);
    if (!e) return Error(ErrorKind::Usage, "unknown export \"" + action.field + "\"");
    if (action.kind == ScriptAction::Kind::Get) {
      runtime::Global* g = e->as_global();
      if (!g) return Error(ErrorKind::Usage, "export \"" + action.field + "\" is not a global");
      return std::vector<Value>{runtime::load_value(g->type.type, g->value)};
    }
    runtime::Function* f = e->as_func();
    if (!f) return Error(ErrorKind::Usage, "export \"" + action.field + "\" is not a function");
    std::vector<Value> args;
    for (const ScriptValue& a : action.args) args.push_back(KILN_TRY(to_value(a)));
    return store_.call(f, args);
  }

  void assert_return(const ScriptCommand& command) {
    Expected<std::vector<Value>> results = perform(*command.action);
    if (!results) return fail(command.line, "\"" + command.action->field + "\": " + results.error().to_string());
    if (results->size() != command.expected.size())
      return fail(command.line, "\"" + command.action->field + "\": wrong number of results " + describe(*results));
    for (size_t i = 0; i < results->size(); ++i) {
      if (!matches(command.expected[i], (*results)[i]))
        return fail(command.line, "\"" + command.action->field + "\": wrong result " + describe(*results));
    }
    pass();
  }

  // Expects an action or module instantiation to fail with `kind`.
  void assert_failure(const ScriptCommand& command, ErrorKind kind) {
    std::optional<Error> error;
    if (command.action) {
      Expected<std::vector<Value>> results = perform(*command.action);
      if (results) return fail(command.line, "expected " + std::string(error_kind_name(kind)) + " \"" +
                                                 command.message + "\", got " + describe(*results));
      error = results.error();
    } else {
      Expected<std::shared_ptr<runtime::Module>> module = compile(*command.module);
      if (!module) return fail(command.line, "module failed to compile: " + module.error().to_string());
      Expected<Instance*> instance = instantiate(*module);
      if (instance) return fail(command.line, "expected " + std::string(error_kind_name(kind)) + " \"" +
                                                  command.message + "\", module instantiated");
      error = instance.error();
    }
    bool ok = error->kind == kind ||
              (kind == ErrorKind::Unlinkable && error->kind == ErrorKind::Unlinkable) ||
              (kind == ErrorKind::Uninstantiable && error->kind == ErrorKind::Trap);
    if (!ok)
      return fail(command.line, "expected " + std::string(error_kind_name(kind)) + " \"" + command.message +
                                    "\", got " + error->to_string());
    pass();
  }

  // Expects a module to be rejected at decoding (malformed) or validation (invalid).
  void assert_rejected(const ScriptCommand& command, ErrorKind kind) {
    Expected<std::shared_ptr<runtime::Module>> module = compile(*command.module);
    if (module)
      return fail(command.line, "expected " + std::string(error_kind_name(kind)) + " \"" + command.message +
                                    "\", module compiled");
    if (module.error().kind != kind)
      return fail(command.line, "expected " + std::string(error_kind_name(kind)) + " \"" + command.message +
                                    "\", got " + module.error().to_string());
    pass();
  }

  void execute(const ScriptCommand& command) {
    using K = ScriptCommand::Kind;
    switch (command.kind) {
      case K::Module:
        return define_module(command);
      case K::Instance: {
        auto it = definitions_.find(command.instance_module);
        if (it == definitions_.end()) return fail(command.line, "unknown module definition " + command.instance_module);
        Expected<Instance*> instance = instantiate(it->second);
        if (!instance) return fail(command.line, "module failed to instantiate: " + instance.error().to_string());
        current_ = *instance;
        if (!command.instance_name.empty()) instances_[command.instance_name] = current_;
        return pass();
      }
      case K::Register: {
        Instance* instance = find_instance(command.register_module);
        if (!instance) return fail(command.line, "register: unknown module");
        linker_.define_instance(command.register_name, *instance);
        return;
      }
      case K::Action: {
        Expected<std::vector<Value>> results = perform(*command.action);
        if (!results) return fail(command.line, "\"" + command.action->field + "\": " + results.error().to_string());
        return;
      }
      case K::AssertReturn: return assert_return(command);
      case K::AssertTrap: return assert_failure(command, ErrorKind::Trap);
      case K::AssertExhaustion: return assert_failure(command, ErrorKind::Exhaustion);
      case K::AssertUnlinkable: return assert_failure(command, ErrorKind::Unlinkable);
      case K::AssertUninstantiable: return assert_failure(command, ErrorKind::Uninstantiable);
      case K::AssertMalformed: return assert_rejected(command, ErrorKind::Malformed);
      case K::AssertInvalid: return assert_rejected(command, ErrorKind::Invalid);
      case K::AssertException: return fail(command.line, "exceptions are not supported yet");
      case K::AssertMalformedCustom:
      case K::AssertInvalidCustom:
        return;  // custom-section annotations are not interpreted
      case K::Unsupported: return fail(command.line, "unsupported script command");
    }
  }

  std::string path_;
  WastOptions options_;
  std::ostream& out_;
  runtime::Engine engine_;
  runtime::Store store_;
  runtime::Linker linker_;
  WastResult result_;
  Instance* current_ = nullptr;
  std::map<std::string, Instance*> instances_;
  std::map<std::string, std::shared_ptr<runtime::Module>> definitions_;
  std::map<uint64_t, std::unique_ptr<uint64_t>> host_refs_;
};

}  // namespace

WastResult run_wast_file(const std::string& path, const WastOptions& options, std::ostream& out) {
  Expected<std::vector<uint8_t>> bytes = read_file(path);
  if (!bytes) {
    std::cerr << "error: " << bytes.error().message << "\n";
    return {0, 1, true};
  }
  std::string source(bytes->begin(), bytes->end());
  Expected<text::Script> script = text::parse_wast(source);
  if (!script) {
    out << path << ": " << script.error().message << "\n";
    return {0, 1, true};
  }
  Runner runner(path, options, out);
  return runner.run(*script);
}

}  // namespace kiln::cli
