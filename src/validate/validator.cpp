#include "validate/validator.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <optional>
#include <set>

#include "base/parallel.h"
#include "validate/function_validator.h"

namespace kiln::validate {

using ir::ExternKind;
using ir::HeapKind;
using ir::ValType;

namespace {

class ModuleValidator {
 public:
  ModuleValidator(const ir::Module& module, const ir::Features& features)
      : m_(module), features_(features), body_(module, features, &declared_) {}

  Expected<std::vector<uint32_t>> run() {
    KILN_TRY_VOID(check_types());
    KILN_TRY_VOID(check_imports());
    KILN_TRY_VOID(check_functions());
    KILN_TRY_VOID(check_tables());
    KILN_TRY_VOID(check_memories());
    collect_declared_functions();
    KILN_TRY_VOID(check_globals());
    KILN_TRY_VOID(check_exports());
    KILN_TRY_VOID(check_start());
    KILN_TRY_VOID(check_elems());
    KILN_TRY_VOID(check_datas());
    KILN_TRY_VOID(check_bodies());
    return std::move(declared_);
  }

 private:
  static Error invalid(std::string message) { return Error(ErrorKind::Invalid, std::move(message)); }

  Expected<void> check_value_type(const ValType& t) {
    if (t.is_ref() && t.heap == HeapKind::Index && t.index >= m_.types.size()) return invalid("unknown type");
    return {};
  }

  Expected<void> check_types() {
    for (const ir::FuncType& type : m_.types) {
      for (const ValType& t : type.params) KILN_TRY_VOID(check_value_type(t));
      for (const ValType& t : type.results) KILN_TRY_VOID(check_value_type(t));
    }
    return {};
  }

  Expected<void> check_limits(const ir::Limits& limits, uint64_t bound, const char* too_large) {
    if (limits.min > bound) return invalid(too_large);
    if (limits.max) {
      if (*limits.max > bound) return invalid(too_large);
      if (limits.min > *limits.max) return invalid("size minimum must not be greater than maximum");
    }
    return {};
  }

  Expected<void> check_memory_type(const ir::MemoryType& type) {
    if (type.limits.is64)
      return check_limits(type.limits, uint64_t{1} << 48, "memory size must be at most 2^48 pages");
    KILN_TRY_VOID(check_limits(type.limits, ir::kMaxPages32, "memory size must be at most 65536 pages (4GiB)"));
    if (type.limits.shared && !type.limits.max) return invalid("shared memory must have maximum");
    return {};
  }

  Expected<void> check_table_type(const ir::TableType& type) {
    KILN_TRY_VOID(check_value_type(type.elem));
    uint64_t bound = type.limits.is64 ? UINT64_MAX : UINT32_MAX;
    return check_limits(type.limits, bound, "table size must be at most 2^32-1");
  }

  Expected<void> check_imports() {
    for (const ir::Import& imp : m_.imports) {
      switch (imp.kind) {
        case ExternKind::Func:
          if (imp.type_index >= m_.types.size()) return invalid("unknown type");
          break;
        case ExternKind::Table: KILN_TRY_VOID(check_table_type(imp.table)); break;
        case ExternKind::Memory: KILN_TRY_VOID(check_memory_type(imp.memory)); break;
        case ExternKind::Global: KILN_TRY_VOID(check_value_type(imp.global.type)); break;
        case ExternKind::Tag:
          return Error(ErrorKind::Unsupported, "exception handling (an imported tag) is not supported yet");
      }
    }
    return {};
  }

  Expected<void> check_functions() {
    for (uint32_t type_index : m_.functions)
      if (type_index >= m_.types.size()) return invalid("unknown type");
    return {};
  }

  Expected<void> check_tables() {
    for (uint32_t i = 0; i < m_.tables.size(); ++i) {
      const ir::Table& table = m_.tables[i];
      KILN_TRY_VOID(check_table_type(table.type));
      if (table.init) {
        KILN_TRY_VOID(body_.validate_const_expr(*table.init, table.type.elem, m_.num_imported_globals));
      } else if (!table.type.elem.nullable) {
        return invalid("type mismatch");  // a non-nullable table needs an initializer
      }
    }
    return {};
  }

  Expected<void> check_memories() {
    if (!features_.multi_memory && m_.num_memories() > 1) return invalid("multiple memories");
    for (const ir::MemoryType& mem : m_.memories) KILN_TRY_VOID(check_memory_type(mem));
    return {};
  }

  // C.refs: functions named outside function bodies (globals, elements, exports).
  void collect_declared_functions() {
    std::set<uint32_t> refs;
    auto scan_expr = [&](const ir::ConstExpr& expr) {
      ByteReader r(m_.bytes.data() + expr.code.offset, expr.code.size, expr.code.offset);
      binary::Instruction instr;
      binary::InstructionScratch scratch;
      while (!r.at_end() && binary::read_instruction(r, instr, scratch, features_))
        if (instr.op == ir::Opcode::RefFunc) refs.insert(instr.index);
    };
    for (const ir::Global& g : m_.globals) scan_expr(g.init);
    for (const ir::Table& t : m_.tables)
      if (t.init) scan_expr(*t.init);
    for (const ir::ElemSegment& seg : m_.elems) {
      for (uint32_t f : seg.func_indices) refs.insert(f);
      for (const ir::ConstExpr& e : seg.exprs) scan_expr(e);
    }
    for (const ir::Export& exp : m_.exports)
      if (exp.kind == ExternKind::Func) refs.insert(exp.index);
    declared_.assign(refs.begin(), refs.end());
  }

  Expected<void> check_globals() {
    for (uint32_t i = 0; i < m_.globals.size(); ++i) {
      const ir::Global& g = m_.globals[i];
      KILN_TRY_VOID(check_value_type(g.type.type));
      KILN_TRY_VOID(body_.validate_const_expr(g.init, g.type.type, m_.num_imported_globals + i));
    }
    return {};
  }

  Expected<void> check_exports() {
    std::set<std::string_view> names;
    for (const ir::Export& exp : m_.exports) {
      if (!names.insert(exp.name).second) return invalid("duplicate export name");
      switch (exp.kind) {
        case ExternKind::Func:
          if (exp.index >= m_.num_funcs()) return invalid("unknown function " + std::to_string(exp.index));
          break;
        case ExternKind::Table:
          if (exp.index >= m_.num_tables()) return invalid("unknown table " + std::to_string(exp.index));
          break;
        case ExternKind::Memory:
          if (exp.index >= m_.num_memories()) return invalid("unknown memory " + std::to_string(exp.index));
          break;
        case ExternKind::Global:
          if (exp.index >= m_.num_globals()) return invalid("unknown global " + std::to_string(exp.index));
          break;
        case ExternKind::Tag:
          return Error(ErrorKind::Unsupported, "exception handling (an exported tag) is not supported yet");
      }
    }
    return {};
  }

  Expected<void> check_start() {
    if (!m_.start) return {};
    if (*m_.start >= m_.num_funcs()) return invalid("unknown function " + std::to_string(*m_.start));
    const ir::FuncType& type = m_.func_type(*m_.start);
    if (!type.params.empty() || !type.results.empty()) return invalid("start function");
    return {};
  }

  Expected<void> check_elems() {
    for (const ir::ElemSegment& seg : m_.elems) {
      KILN_TRY_VOID(check_value_type(seg.elem_type));
      if (seg.mode == ir::SegmentMode::Active) {
        if (seg.table_index >= m_.num_tables()) return invalid("unknown table " + std::to_string(seg.table_index));
        ir::TableType table = m_.table_type(seg.table_index);
        ValType offset_type = table.limits.is64 ? ValType::i64() : ValType::i32();
        KILN_TRY_VOID(body_.validate_const_expr(seg.offset, offset_type, m_.num_globals()));
        if (!body_.is_subtype(seg.elem_type, table.elem)) return invalid("type mismatch");
      }
      for (uint32_t f : seg.func_indices)
        if (f >= m_.num_funcs()) return invalid("unknown function " + std::to_string(f));
      for (const ir::ConstExpr& e : seg.exprs)
        KILN_TRY_VOID(body_.validate_const_expr(e, seg.elem_type, m_.num_globals()));
    }
    return {};
  }

  Expected<void> check_datas() {
    for (const ir::DataSegment& seg : m_.datas) {
      if (seg.mode != ir::SegmentMode::Active) continue;
      if (seg.memory_index >= m_.num_memories()) return invalid("unknown memory " + std::to_string(seg.memory_index));
      ValType offset_type = m_.memory_type(seg.memory_index).limits.is64 ? ValType::i64() : ValType::i32();
      KILN_TRY_VOID(body_.validate_const_expr(seg.offset, offset_type, m_.num_globals()));
    }
    return {};
  }

  // Function bodies, most of a module's bytes: in parallel when there are
  // enough of them, in contiguous chunks handed out in order. The error
  // reported is the first in function order, as a sequential walk finds it:
  // once a function fails, chunks after it are skipped, those before it
  // still run.
  Expected<void> check_bodies() {
    size_t code_bytes = 0;
    for (const ir::FunctionBody& body : m_.codes) code_bytes += body.whole.size;
    size_t workers = code_bytes < kParallelCodeBytes ? 1 : worker_count();
    if (workers == 1) {
      for (uint32_t i = 0; i < m_.codes.size(); ++i) KILN_TRY_VOID(body_.validate_function(m_.num_imported_funcs + i));
      return {};
    }
    std::vector<uint32_t> chunk_starts = chunk_functions(code_bytes / (workers * kChunksPerWorker));
    // Each worker's validator on cache lines of its own: two sharing a line
    // (as a vector of them placed them, depending on the heap) made every
    // write of one stall the other, doubling yosys' validation time.
    struct alignas(64) WorkerValidator {
      FunctionValidator validator;
    };
    std::vector<WorkerValidator> validators(workers, WorkerValidator{FunctionValidator(m_, features_, &declared_)});
    std::atomic<uint32_t> first_failure{UINT32_MAX};
    std::mutex mutex;
    std::optional<Error> error;
    parallel_for(chunk_starts.size(), workers, [&](size_t worker, size_t chunk) {
      uint32_t end = chunk + 1 < chunk_starts.size() ? chunk_starts[chunk + 1] : uint32_t(m_.codes.size());
      for (uint32_t i = chunk_starts[chunk]; i < end; ++i) {
        if (i > first_failure.load(std::memory_order_relaxed)) return;
        Expected<void> ok = validators[worker].validator.validate_function(m_.num_imported_funcs + i);
        if (ok) continue;
        std::lock_guard<std::mutex> lock(mutex);
        if (i < first_failure.load(std::memory_order_relaxed)) {
          first_failure.store(i, std::memory_order_relaxed);
          error = std::move(ok).error();
        }
        return;
      }
    });
    if (error) return std::move(*error);
    return {};
  }

  // The first function of each chunk of about `chunk_bytes` of code.
  std::vector<uint32_t> chunk_functions(size_t chunk_bytes) const {
    std::vector<uint32_t> starts;
    size_t in_chunk = chunk_bytes;  // so that function 0 starts the first chunk
    for (uint32_t i = 0; i < m_.codes.size(); ++i) {
      if (in_chunk >= chunk_bytes) {
        starts.push_back(i);
        in_chunk = 0;
      }
      in_chunk += m_.codes[i].whole.size;
    }
    return starts;
  }

  // Below this much code, threads cost more than they save.
  static constexpr size_t kParallelCodeBytes = 256 * 1024;
  // Chunks per worker: enough that uneven chunks balance out.
  static constexpr size_t kChunksPerWorker = 16;

  const ir::Module& m_;
  const ir::Features& features_;
  std::vector<uint32_t> declared_;
  FunctionValidator body_;
};

}  // namespace

Expected<std::vector<uint32_t>> validate_module(const ir::Module& module, const ir::Features& features) {
  ModuleValidator validator(module, features);
  return validator.run();
}

}  // namespace kiln::validate
