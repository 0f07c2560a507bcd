#include "runtime/store.h"

#include <array>
#include <cstring>

#include "binary/instruction.h"
#include "runtime/call.h"
#include "runtime/operations.h"
#include "runtime/semantics.h"

namespace kiln::runtime {

using ir::ExternKind;
using ir::Opcode;
using ir::ValType;

namespace {

Error unlinkable(std::string message) { return Error(ErrorKind::Unlinkable, std::move(message)); }

bool limits_match(const ir::Limits& actual, const ir::Limits& expected) {
  if (actual.is64 != expected.is64 || actual.shared != expected.shared) return false;
  if (actual.min < expected.min) return false;
  if (expected.max) {
    if (!actual.max || *actual.max > *expected.max) return false;
  }
  return true;
}

}  // namespace

Expected<void> check_import(const ir::Module& module, const ir::Import& import, const Extern& value, Engine& engine) {
  if (value.kind != import.kind) return unlinkable("incompatible import type");
  switch (import.kind) {
    case ExternKind::Func: {
      Function* f = value.as_func();
      if (f->type_id != engine.intern_type(module.types[import.type_index]))
        return unlinkable("incompatible import type");
      return {};
    }
    case ExternKind::Table: {
      ir::TableType actual = value.as_table()->type();
      if (actual.elem != import.table.elem || !limits_match(actual.limits, import.table.limits))
        return unlinkable("incompatible import type");
      return {};
    }
    case ExternKind::Memory: {
      ir::MemoryType actual = value.as_memory()->type();
      if (!limits_match(actual.limits, import.memory.limits)) return unlinkable("incompatible import type");
      return {};
    }
    case ExternKind::Global: {
      const ir::GlobalType& actual = value.as_global()->type;
      if (actual.mutable_ != import.global.mutable_ || actual.type != import.global.type)
        return unlinkable("incompatible import type");
      return {};
    }
    case ExternKind::Tag:
      return unlinkable("tags are not supported");
  }
  return {};
}

// Runs the instantiation steps of the spec for one module.
class Instantiator {
 public:
  Instantiator(Store& store, std::shared_ptr<const Module> module) : store_(store), module_(std::move(module)) {}

  Expected<Instance*> run(std::span<const Extern> imports) {
    const ir::Module& m = module_->ir();
    if (imports.size() != m.imports.size()) return unlinkable("wrong number of imports");
    for (size_t i = 0; i < imports.size(); ++i)
      KILN_TRY_VOID(check_import(m, m.imports[i], imports[i], store_.engine()));

    if (store_.limiter() && !store_.limiter()->instance_creating(store_.instance_count()))
      return Error(ErrorKind::Uninstantiable, "instance refused by the resource limiter");
    auto owned = std::make_unique<Instance>();
    instance_ = owned.get();
    instance_->module = module_;
    instance_->store = &store_;
    store_.instances_.push_back(std::move(owned));

    add_imports(imports);
    add_functions();
    KILN_TRY_VOID(add_globals());
    KILN_TRY_VOID(add_tables());
    KILN_TRY_VOID(add_memories());
    add_exports();
    build_context();
    KILN_TRY_VOID(prepare_segments());
    KILN_TRY_VOID(apply_active_segments());
    if (m.start) {
      Function* start = instance_->funcs[*m.start];
      KILN_TRY(store_.call(start, {}));
    }
    return instance_;
  }

 private:
  void add_imports(std::span<const Extern> imports) {
    for (const Extern& e : imports) {
      switch (e.kind) {
        case ExternKind::Func: instance_->funcs.push_back(e.as_func()); break;
        case ExternKind::Table: instance_->tables.push_back(e.as_table()); break;
        case ExternKind::Memory: instance_->memories.push_back(e.as_memory()); break;
        case ExternKind::Global: instance_->globals.push_back(e.as_global()); break;
        case ExternKind::Tag: break;
      }
    }
  }

  void add_functions() {
    const ir::Module& m = module_->ir();
    for (uint32_t i = 0; i < m.functions.size(); ++i) {
      auto f = std::make_unique<Function>();
      f->set_module_type(m.types[m.functions[i]]);
      f->type_id = module_->type_ids()[m.functions[i]];
      f->instance = instance_;
      f->func_index = m.num_imported_funcs + i;
      // Code an earlier instance compiled is used at once; else the first call compiles.
      f->code = module_->compiled_if_ready(i);
      f->entry = f->code ? f->code->entry : compile_entry;
      f->native = f->code ? f->code->native : nullptr;
      instance_->funcs.push_back(f.get());
      store_.functions_.push_back(std::move(f));
    }
  }

  Expected<void> add_globals() {
    for (const ir::Global& g : module_->ir().globals) {
      Value v = KILN_TRY(evaluate(g.init, g.type.type));
      auto global = std::make_unique<Global>();
      global->type = g.type;
      store_value(v, global->value);
      instance_->globals.push_back(global.get());
      store_.globals_.push_back(std::move(global));
    }
    return {};
  }

  Expected<void> add_tables() {
    for (const ir::Table& t : module_->ir().tables) {
      Ref init = nullptr;
      if (t.init) init = KILN_TRY(evaluate(*t.init, t.type.elem)).ref;
      if (t.type.limits.min > store_.engine().config().max_table_elements)
        return Error(ErrorKind::Uninstantiable, "table minimum exceeds the allowed maximum");
      if (store_.limiter() && !store_.limiter()->table_growing(0, t.type.limits.min, t.type.limits.max))
        return Error(ErrorKind::Uninstantiable, "table of " + std::to_string(t.type.limits.min) +
                                                    " elements refused by the resource limiter");
      instance_->tables.push_back(store_.create_table(t.type, init));
    }
    return {};
  }

  Expected<void> add_memories() {
    for (const ir::MemoryType& mt : module_->ir().memories)
      instance_->memories.push_back(KILN_TRY(store_.create_memory(mt)));
    return {};
  }

  void add_exports() {
    for (const ir::Export& exp : module_->ir().exports) {
      Extern e;
      e.kind = exp.kind;
      switch (exp.kind) {
        case ExternKind::Func: e.object = instance_->funcs[exp.index]; break;
        case ExternKind::Table: e.object = instance_->tables[exp.index]; break;
        case ExternKind::Memory: e.object = instance_->memories[exp.index]; break;
        case ExternKind::Global: e.object = instance_->globals[exp.index]; break;
        case ExternKind::Tag: break;
      }
      instance_->exports.emplace(exp.name, e);
    }
  }

  // The instance context (context.h), once every index space is complete.
  void build_context() {
    Instance& i = *instance_;
    for (Memory* m : i.memories) i.memory_definitions.push_back(m->definition());
    for (Global* g : i.globals) i.global_values.push_back(g->value);
    for (Table* t : i.tables) i.table_definitions.push_back(t->definition());
    for (Function* f : i.funcs) i.function_headers.push_back(f);
    for (uint32_t f = i.module->ir().num_imported_funcs; f < i.funcs.size(); ++f) i.funcs[f]->context = &i.context;
    i.context.memories = i.memory_definitions.data();
    i.context.globals = i.global_values.data();
    i.context.tables = i.table_definitions.data();
    i.context.functions = i.function_headers.data();
    i.context.type_ids = module_->type_ids().data();
    i.context.thread = &store_.thread();
    i.context.instance = &i;
  }

  // Evaluates element segment items; all segments start live.
  Expected<void> prepare_segments() {
    const ir::Module& m = module_->ir();
    for (const ir::ElemSegment& seg : m.elems) {
      std::vector<Ref> items;
      items.reserve(seg.size());
      if (seg.uses_exprs) {
        for (const ir::ConstExpr& e : seg.exprs) items.push_back(KILN_TRY(evaluate(e, seg.elem_type)).ref);
      } else {
        for (uint32_t f : seg.func_indices) items.push_back(instance_->funcs[f]);
      }
      instance_->elem_segments.push_back(std::move(items));
    }
    instance_->data_dropped.assign(m.datas.size(), false);
    return {};
  }

  // Active segments are copied in order; the first out-of-bounds one traps, and
  // what was copied before stays (the spec's bulk-memory semantics).
  Expected<void> apply_active_segments() {
    const ir::Module& m = module_->ir();
    for (uint32_t i = 0; i < m.elems.size(); ++i) {
      const ir::ElemSegment& seg = m.elems[i];
      if (seg.mode == ir::SegmentMode::Active) {
        Value offset = KILN_TRY(evaluate(seg.offset, ValType::i32()));
        Table* table = instance_->tables[seg.table_index];
        uint64_t start = table->type().limits.is64 ? offset.as_i64() : offset.as_i32();
        // As table.init of the whole segment, then elem.drop (below).
        TrapCode code = table_init(*table, start, *instance_, i, 0, instance_->elem_segments[i].size());
        if (code != TrapCode::None) return Error::from_trap(code);
      }
      if (seg.mode != ir::SegmentMode::Passive) instance_->elem_segments[i].clear();
    }
    for (uint32_t i = 0; i < m.datas.size(); ++i) {
      const ir::DataSegment& seg = m.datas[i];
      if (seg.mode != ir::SegmentMode::Active) continue;
      Value offset = KILN_TRY(evaluate(seg.offset, ValType::i32()));
      Memory* memory = instance_->memories[seg.memory_index];
      uint64_t start = memory->is64() ? offset.as_i64() : offset.as_i32();
      // As memory.init of the whole segment, then data.drop.
      TrapCode code = memory_init(*memory, start, *instance_, i, 0, seg.init.size);
      if (code != TrapCode::None) return Error::from_trap(code);
      data_drop(*instance_, i);
    }
    return {};
  }

  // Evaluates a validated constant expression.
  Expected<Value> evaluate(const ir::ConstExpr& expr, ValType type) {
    const ir::Module& m = module_->ir();
    ByteReader r(m.bytes.data() + expr.code.offset, expr.code.size, expr.code.offset);
    binary::Instruction in;
    binary::InstructionScratch scratch;
    std::vector<Value> stack;
    // The extended-constant operators, by their semantic functions.
    auto binary_op = [&](uint32_t (*op32)(uint32_t, uint32_t), uint64_t (*op64)(uint64_t, uint64_t)) {
      Value b = stack.back();
      stack.pop_back();
      Value& a = stack.back();
      a.bits = op64 ? op64(a.bits, b.bits) : op32(a.as_i32(), b.as_i32());
    };
    while (binary::read_instruction(r, in, scratch, store_.engine().config().features)) {
      switch (in.op) {
        case Opcode::I32Const: stack.push_back(Value::i32(static_cast<uint32_t>(in.bits))); break;
        case Opcode::I64Const: stack.push_back(Value::i64(in.bits)); break;
        case Opcode::F32Const: stack.push_back(Value::f32_bits(static_cast<uint32_t>(in.bits))); break;
        case Opcode::F64Const: stack.push_back(Value::f64_bits(in.bits)); break;
        case Opcode::V128Const: stack.push_back(Value::make_v128(in.v128)); break;
        case Opcode::RefNull: stack.push_back(Value::make_ref(in.ref_type, nullptr)); break;
        case Opcode::RefFunc:
          stack.push_back(Value::make_ref(ValType::funcref(), instance_->funcs[in.index]));
          break;
        case Opcode::GlobalGet: {
          Global* g = instance_->globals[in.index];
          stack.push_back(load_value(g->type.type, g->value));
          break;
        }
        case Opcode::I32Add: binary_op(semantics::I32Add, nullptr); break;
        case Opcode::I32Sub: binary_op(semantics::I32Sub, nullptr); break;
        case Opcode::I32Mul: binary_op(semantics::I32Mul, nullptr); break;
        case Opcode::I64Add: binary_op(nullptr, semantics::I64Add); break;
        case Opcode::I64Sub: binary_op(nullptr, semantics::I64Sub); break;
        case Opcode::I64Mul: binary_op(nullptr, semantics::I64Mul); break;
        case Opcode::End: {
          Value v = stack.back();
          v.type = type.is_ref() ? type : v.type;
          return v;
        }
        default:
          return Error(ErrorKind::Invalid, "constant expression required");
      }
    }
    return r.take_error();
  }

  Store& store_;
  std::shared_ptr<const Module> module_;
  Instance* instance_ = nullptr;
};

Store::Store(Engine& engine)
    : engine_(engine),
      thread_(std::make_unique<Thread>(engine.config().value_stack_bytes, engine.config().max_call_depth)) {
  thread_->store = this;
  thread_->limits.epoch = engine.epoch_counter();
}

Store::~Store() = default;

Expected<void> Store::set_fuel(uint64_t fuel) {
  if (!engine_.config().consume_fuel) return Error(ErrorKind::Usage, "fuel is not enabled in the engine configuration");
  thread_->limits.fuel = fuel > uint64_t{INT64_MAX} ? INT64_MAX : static_cast<int64_t>(fuel);
  return {};
}

Expected<uint64_t> Store::fuel() const {
  if (!engine_.config().consume_fuel) return Error(ErrorKind::Usage, "fuel is not enabled in the engine configuration");
  return thread_->limits.fuel < 0 ? 0 : static_cast<uint64_t>(thread_->limits.fuel);
}

void Store::set_epoch_deadline(uint64_t ticks) {
  uint64_t now = engine_.epoch();
  thread_->limits.epoch_deadline = ticks > UINT64_MAX - now ? UINT64_MAX : now + ticks;
}

Function* Store::create_host_function(ir::FuncType type, HostCallback callback, std::string debug_name) {
  auto f = std::make_unique<Function>();
  f->type_id = engine_.intern_type(type);
  f->set_own_type(std::move(type));
  f->host = std::move(callback);
  f->entry = host_entry;
  f->debug_name = std::move(debug_name);
  functions_.push_back(std::move(f));
  return functions_.back().get();
}

Expected<Memory*> Store::create_memory(const ir::MemoryType& type) {
  std::unique_ptr<Memory> memory = KILN_TRY(Memory::create(type, engine_.config().max_memory_pages, &limiter_));
  memories_.push_back(std::move(memory));
  return memories_.back().get();
}

Table* Store::create_table(const ir::TableType& type, Ref init) {
  tables_.push_back(std::make_unique<Table>(type, engine_.config().max_table_elements, init, &limiter_));
  return tables_.back().get();
}

Global* Store::create_global(const ir::GlobalType& type, const Value& value) {
  auto global = std::make_unique<Global>();
  global->type = type;
  store_value(value, global->value);
  globals_.push_back(std::move(global));
  return globals_.back().get();
}

Expected<Instance*> Store::instantiate(std::shared_ptr<const Module> module, std::span<const Extern> imports) {
  // A table of a million entries is an allocation: a host short of memory gets
  // an error, not an exception through the API.
  try {
    Instantiator instantiator(*this, std::move(module));
    return instantiator.run(imports);
  } catch (const std::bad_alloc&) {
    return Error(ErrorKind::Resource, "out of memory instantiating the module");
  }
}

Expected<std::vector<Value>> Store::call(Function* function, std::span<const Value> args) {
  const ir::FuncType& type = function->type();
  if (args.size() != type.params.size())
    return Error(ErrorKind::Usage, "expected " + std::to_string(type.params.size()) + " arguments, got " +
                                       std::to_string(args.size()));
  size_t param_slots = 0, result_slots = 0;
  for (const ValType& t : type.params) param_slots += t.byte_size() / 8;
  for (const ValType& t : type.results) result_slots += t.byte_size() / 8;
  // Slots on the stack for the usual few values (no allocation per call).
  size_t slot_count = std::max<size_t>({param_slots, result_slots, 1});
  std::array<RawValue, 16> inline_slots;
  std::vector<RawValue> heap_slots;
  std::span<RawValue> slots(inline_slots.data(), slot_count);
  if (slot_count > inline_slots.size()) {
    heap_slots.resize(slot_count);
    slots = heap_slots;
  }
  size_t at = 0;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i].type.kind != type.params[i].kind)
      return Error(ErrorKind::Usage, "argument " + std::to_string(i) + " has the wrong type");
    store_value(args[i], &slots[at]);
    at += type.params[i].byte_size() / 8;
  }
  KILN_TRY_VOID(invoke(*thread_, *function, slots.data()));
  std::vector<Value> results;
  at = 0;
  for (const ValType& t : type.results) {
    results.push_back(load_value(t, &slots[at]));
    at += t.byte_size() / 8;
  }
  return results;
}

}  // namespace kiln::runtime
