// Validation of one function body (or constant expression): the spec's algorithm
// with an operand stack and a control stack.
//
// This is the one body walker: the validator reads each instruction with
// binary::read_instruction and types it; an optional CodeSink (the interpreter's
// translator, later the LLVM builder) sees every instruction together with the
// validator's state just before the instruction takes effect, so compilers never
// re-derive types or control structure.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "base/error.h"
#include "binary/instruction.h"
#include "ir/features.h"
#include "ir/module.h"

namespace kiln::validate {

// A stack entry's type; `unknown` is the spec's bottom type produced in
// unreachable code.
struct StackType {
  ir::ValType type;
  bool unknown = false;
};

enum class FrameKind : uint8_t { Function, Block, Loop, If, Else };

struct ControlFrame {
  FrameKind kind = FrameKind::Block;
  std::vector<ir::ValType> params;
  std::vector<ir::ValType> results;
  uint32_t height = 0;        // operand stack height at entry (params excluded)
  bool unreachable = false;   // the rest of this frame is unreachable
  // Per-frame state a sink may keep (e.g. the translator's label patch list index).
  uint32_t sink_data = 0;
  const std::vector<ir::ValType>& label_types() const { return kind == FrameKind::Loop ? params : results; }
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

  // Operand stack, spec-style. Each returns false after recording an error.
  void push(ir::ValType t) { stack_.push_back({t, false}); }
  void push_all(std::span<const ir::ValType> types);
  bool pop(StackType& out);
  bool pop_expect(ir::ValType expected);
  bool pop_expect(ir::ValType expected, StackType& out);
  bool pop_all(std::span<const ir::ValType> types);
  bool pop_ref(StackType& out);
  void set_unreachable();
  void push_ctrl(FrameKind kind, std::vector<ir::ValType> params, std::vector<ir::ValType> results);
  bool pop_ctrl(ControlFrame& out);

  bool check_simple(const binary::Instruction& instr);
  bool check_memory_access(const binary::Instruction& instr);
  bool check_block_type(const binary::BlockType& bt);
  bool check_label(uint32_t depth);
  bool check_call(const ir::FuncType& type, bool tail);
  bool check_const_op(const binary::Instruction& instr);
  ir::ValType memory_address_type(uint32_t memory) const;
  ir::ValType table_address_type(uint32_t table) const;
  bool have_memory(uint32_t index);
  bool have_table(uint32_t index);
  bool fail(std::string message);  // records an Invalid error at the current instruction
  bool fail_malformed(std::string message);

  const ir::Module& module_;
  const ir::Features& features_;
  const std::vector<uint32_t>* declared_funcs_;  // sorted; functions ref.func may name

  std::vector<StackType> stack_;
  std::vector<ControlFrame> control_;
  std::vector<ir::ValType> locals_;
  std::vector<ir::ValType> return_types_;
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
