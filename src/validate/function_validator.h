// Validation of one function body (or constant expression): the spec's algorithm
// with an operand stack and a control stack.
//
// This is the one body walker: the validator reads each instruction with
// binary::read_instruction and types it; an optional CodeSink (the interpreter's
// translator, later the LLVM builder) sees every instruction together with the
// validator's state just before the instruction takes effect, so compilers never
// re-derive types or control structure.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

#include "base/error.h"
#include "binary/instruction.h"
#include "ir/features.h"
#include "ir/module.h"

namespace kiln::validate {

// A stack entry's type; `unknown` is the spec's bottom type produced in
// unreachable code. A ValType's fields with the flag in what would be its
// padding: 8 bytes, so the stack is cheap to index and copy.
struct StackType {
  ir::ValKind kind = ir::ValKind::I32;
  bool nullable = true;
  ir::HeapKind heap = ir::HeapKind::Func;
  bool unknown = false;
  uint32_t index = 0;

  StackType() = default;
  // The same layout as ValType's, whose fourth byte is padding: one 8-byte copy.
  StackType(ir::ValType t, bool is_unknown = false) {
    std::memcpy(static_cast<void*>(this), &t, sizeof *this);
    unknown = is_unknown;
  }
  ir::ValType type() const { return {kind, nullable, heap, index}; }
  void set_type(ir::ValType t) { *this = StackType(t, unknown); }
};
static_assert(sizeof(StackType) == sizeof(ir::ValType) && offsetof(ir::ValType, index) == offsetof(StackType, index) &&
              offsetof(ir::ValType, heap) == offsetof(StackType, heap));

enum class FrameKind : uint8_t { Function, Block, Loop, If, Else };

// The types a block takes and gives: spans into the module's function types,
// or for a value block type its one result, kept in the frame itself (the
// frame's accessors make the span, so frames may move). No allocation.
class ControlFrame {
 public:
  FrameKind kind = FrameKind::Block;
  uint32_t height = 0;        // operand stack height at entry (params excluded)
  bool unreachable = false;   // the rest of this frame is unreachable
  // Per-frame state a sink may keep (e.g. the translator's label patch list index).
  uint32_t sink_data = 0;

  std::span<const ir::ValType> params() const { return {params_, num_params_}; }
  std::span<const ir::ValType> results() const {
    return {results_ ? results_ : &single_result_, num_results_};
  }
  std::span<const ir::ValType> label_types() const { return kind == FrameKind::Loop ? params() : results(); }

  void set_types(std::span<const ir::ValType> params, std::span<const ir::ValType> results) {
    params_ = params.data();
    num_params_ = static_cast<uint32_t>(params.size());
    results_ = results.data();
    num_results_ = static_cast<uint32_t>(results.size());
  }
  void set_single_result(ir::ValType single_result) {
    set_types({}, std::span<const ir::ValType>());
    results_ = nullptr;
    single_result_ = single_result;
    num_results_ = 1;
  }
  // The same types as `other` (an `else` continues its `if`).
  void copy_types(const ControlFrame& other) {
    params_ = other.params_;
    num_params_ = other.num_params_;
    results_ = other.results_;
    num_results_ = other.num_results_;
    single_result_ = other.single_result_;
  }

 private:
  const ir::ValType* params_ = nullptr;
  const ir::ValType* results_ = nullptr;  // null: the one result is single_result_
  uint32_t num_params_ = 0;
  uint32_t num_results_ = 0;
  ir::ValType single_result_;
};

class FunctionValidator;

// Observer of a validated instruction stream (see the file comment).
class CodeSink {
 public:
  virtual ~CodeSink() = default;
  // Called before `instr` is applied to the validator's state.
  virtual void on_instruction(const binary::Instruction& instr, FunctionValidator& state) = 0;
};

class FunctionValidator {
 public:
  FunctionValidator(const ir::Module& module, const ir::Features& features,
                    const std::vector<uint32_t>* declared_funcs);

  // Validates a function body: `func_index` in the function index space.
  Expected<void> validate_function(uint32_t func_index, CodeSink* sink = nullptr);

  // Validates a constant expression producing `expected`. `num_globals_visible` limits
  // global.get to the globals that precede the one being initialized.
  Expected<void> validate_const_expr(const ir::ConstExpr& expr, ir::ValType expected,
                                     uint32_t num_globals_visible);

  // ---- state, for sinks ----
  const std::vector<StackType>& operand_stack() const { return stack_; }
  const std::vector<ControlFrame>& control_stack() const { return control_; }
  ControlFrame& control_frame(uint32_t depth) { return control_[control_.size() - 1 - depth]; }
  bool unreachable() const { return control_.back().unreachable; }
  // Whether code here is live by the rules of the binary format: no frame,
  // from the outermost to the innermost (less `skip_innermost` of them), is in
  // its unreachable part. Where fuel segments begin is defined by it, the same
  // for every tier, whatever each knows about which code can really run.
  bool live(size_t skip_innermost = 0) const {
    for (size_t i = 0; i + skip_innermost < control_.size(); ++i)
      if (control_[i].unreachable) return false;
    return true;
  }
  const std::vector<ir::ValType>& locals() const { return locals_; }
  const ir::Module& module() const { return module_; }
  // The parameter and result types of a block type.
  void block_signature(const binary::BlockType& bt, std::vector<ir::ValType>& params,
                       std::vector<ir::ValType>& results) const;

  // Subtyping (3.0 rules; identity for 2.0 types).
  bool is_subtype(const ir::ValType& sub, const ir::ValType& super) const;

 private:
  Expected<void> walk(ByteReader& reader, CodeSink* sink);
  void reset();
  bool step(const binary::Instruction& instr);
  bool step_general(const binary::Instruction& instr);

  // Operand stack, spec-style. Each returns false after recording an error.
  void push(ir::ValType t) { stack_.emplace_back(t); }
  void push_all(std::span<const ir::ValType> types);
  bool pop(StackType& out);
  // The usual case inline: a known operand of the expected number type.
  bool pop_expect(ir::ValType expected) {
    if (!expected.is_ref() && stack_.size() > height_) {
      const StackType& top = stack_.back();
      if (top.kind == expected.kind && !top.unknown) {
        stack_.pop_back();
        return true;
      }
    }
    StackType ignored;
    return pop_expect(expected, ignored);
  }
  bool pop_expect(ir::ValType expected, StackType& out);
  bool pop_all(std::span<const ir::ValType> types);
  bool pop_ref(StackType& out);
  void set_unreachable();
  // Pushes a frame whose types `set_types` is to fill, before its params are pushed.
  ControlFrame& push_ctrl(FrameKind kind);
  void push_params(const ControlFrame& frame) { push_all(frame.params()); }
  bool pop_ctrl(ControlFrame& out);
  // Sets `frame`'s types from a block type.
  void set_block_types(ControlFrame& frame, const binary::BlockType& bt) const;

  bool check_simple(const binary::Instruction& instr);
  bool check_numeric(ir::Sig sig);
  bool check_memory_op(const binary::Instruction& instr, ir::Sig sig);
  bool check_signature(ir::Sig sig, ir::ValType address);
  bool check_local_get(uint32_t index);
  bool check_local_set(uint32_t index);
  bool check_local_tee(uint32_t index);
  bool check_memory_access(const binary::Instruction& instr);
  bool check_block_type(const binary::BlockType& bt);
  bool check_label(uint32_t depth);
  bool check_call(const ir::FuncType& type, bool tail);
  bool check_const_op(const binary::Instruction& instr);
  ir::ValType memory_address_type(uint32_t memory) const {
    return memory_is64_[memory] ? ir::ValType::i64() : ir::ValType::i32();
  }
  ir::ValType table_address_type(uint32_t table) const {
    return table_is64_[table] ? ir::ValType::i64() : ir::ValType::i32();
  }
  bool have_memory(uint32_t index) { return index < memory_is64_.size() || fail_unknown("memory", index); }
  bool have_table(uint32_t index) { return index < table_is64_.size() || fail_unknown("table", index); }
  bool fail_unknown(const char* what, uint32_t index);  // records "unknown memory 3" and the like
  bool fail(std::string message);  // records an Invalid error at the current instruction
  bool fail_malformed(std::string message);

  const ir::Module& module_;
  const ir::Features& features_;
  const std::vector<uint32_t>* declared_funcs_;  // sorted; functions ref.func may name

  // Index types of each memory and table, looked up by every access.
  std::vector<uint8_t> memory_is64_, table_is64_;

  std::vector<StackType> stack_;
  uint32_t height_ = 0;           // the innermost frame's height, for pop_expect
  std::vector<StackType> saved_;  // br_table's operands, checked against each target
  std::vector<ControlFrame> control_;
  std::vector<ir::ValType> locals_;
  std::span<const ir::ValType> return_types_;
  ir::ValType const_expected_;  // a constant expression's one result
  binary::InstructionScratch scratch_;
  std::optional<Error> error_;
  uint32_t instr_offset_ = 0;
  bool const_mode_ = false;
  uint32_t const_globals_visible_ = 0;
  bool malformed_ = false;
  bool done_ = false;  // the outermost `end` has been reached
};

// Number of lanes addressed by a lane immediate of `op` (16, 8, 4 or 2).
uint32_t lane_count(ir::Opcode op);

}  // namespace kiln::validate
