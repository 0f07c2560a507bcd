// Builds the LLVM IR of one wasm function: its native function kiln_f<i> and
// its array trampoline kiln_a<i> (native/protocol.h). A sink of the body
// walker (validate::CodeSink): the validator reads each instruction once and
// this turns it into IR, with the same types and control structure.
#pragma once

#include <llvm/IR/DIBuilder.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Module.h>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <tuple>
#include <unordered_set>
#include <string>
#include <vector>

#include "base/error.h"
#include "ir/features.h"
#include "ir/module.h"
#include "native/protocol.h"
#include "validate/function_validator.h"

namespace kiln::llvmtier {

// The object section in which LLVM records the address and wasm offset of each
// guarded memory access (FunctionBuilder::mark_guarded_access).
inline constexpr const char* kFaultSection = "kiln_faults";

// The LLVM declarations every function of one LLVM module shares.
struct ModuleDeclarations {
  explicit ModuleDeclarations(llvm::Module& module);
  llvm::Module& module;
  llvm::LLVMContext& context;
  // The runtime's helpers (KILN_NATIVE_HELPERS), by name.
  llvm::Function* helper(const char* name) const;
  // Defined function `defined_index`'s native function (declared on first use).
  llvm::Function* function(uint32_t defined_index, llvm::FunctionType* type);
  // Whether this LLVM module compiles defined function `defined_index` (a
  // call of it is then a direct call).
  bool in_chunk(uint32_t defined_index) const { return chunk.count(defined_index) != 0; }
  std::unordered_set<uint32_t> chunk;
  llvm::DIBuilder debug;
  llvm::DICompileUnit* unit = nullptr;
  llvm::DIFile* file = nullptr;
  llvm::DISubroutineType* subroutine_type = nullptr;

 private:
  std::vector<std::pair<std::string, llvm::Function*>> helpers_;
};

class FunctionBuilder final : public validate::CodeSink {
 public:
  FunctionBuilder(ModuleDeclarations& decls, const ir::Module& wasm, const ir::Features& features,
                  const native::CompileOptions& options, const std::vector<uint32_t>& declared_funcs,
                  uint32_t func_index);

  // A function with a tail call is then not compiled (compiler.cpp says when).
  void refuse_tail_calls() { refuse_tail_calls_ = true; }
  bool made_tail_calls() const { return made_tail_calls_; }
  // Builds both functions. An Unsupported error names what the tier cannot
  // compile yet; the function then stays with another tier.
  Expected<void> build();
  // Instead: a native function that calls the function's other code (build()
  // failed, and functions of the chunk call it directly).
  void build_forwarder();
  // Instead: the function's loop entry (native::loop_entry_symbol), for
  // on-stack replacement of an interpreted frame. Its entries are the heads
  // of the loops where the operand stack is empty (all the state is in
  // locals), by the wasm offset of the loop.
  Expected<void> build_loop_entry();

  void on_instruction(const binary::Instruction& in, validate::FunctionValidator& v) override;

 private:
  // A block, loop, if or the function, as the control stack holds it.
  struct Frame {
    validate::FrameKind kind = validate::FrameKind::Block;
    std::vector<llvm::Type*> params, results;
    size_t height = 0;                       // stack height below the params
    llvm::BasicBlock* merge = nullptr;       // where the end continues; results arrive there
    llvm::BasicBlock* header = nullptr;      // a loop's branch target; params arrive there
    llvm::BasicBlock* else_block = nullptr;  // an if's false branch, until `else`
    std::vector<llvm::Value*> if_params;     // an if's params, for its else branch
    std::vector<llvm::PHINode*> loop_phis;   // a loop's params at its header
    // Values arriving at `merge`, by predecessor (blocks, ifs).
    std::vector<std::pair<llvm::BasicBlock*, std::vector<llvm::Value*>>> incoming;
    const std::vector<llvm::Type*>& label_types() const { return kind == validate::FrameKind::Loop ? params : results; }
  };

  // ---- set-up ----
  llvm::FunctionType* native_type(const ir::FuncType& type);
  llvm::Type* llvm_type(const ir::ValType& type);
  void begin_function();
  void build_trampoline();
  Expected<void> build_body();

  // ---- instructions ----
  void translate(const binary::Instruction& in, validate::FunctionValidator& v);
  void translate_unreachable_code(const binary::Instruction& in, const validate::FunctionValidator& v);
  void begin_unreached_fuel_segment();
  static void keep_call_site(llvm::CallInst* call);
  void mark_guarded_access(llvm::Instruction* access);
  bool translate_numeric(const binary::Instruction& in);
  void translate_memory(const binary::Instruction& in);
  void translate_call(const binary::Instruction& in);

  // ---- SIMD (simd.cpp) ----
  bool translate_simd(const binary::Instruction& in);
  bool translate_simd_memory(const binary::Instruction& in);
  bool translate_simd_lanes(const binary::Instruction& in);
  bool translate_simd_integer(const binary::Instruction& in);
  bool translate_simd_float(const binary::Instruction& in);
  llvm::Type* v128_type();
  static llvm::FixedVectorType* lanes(llvm::Type* lane, unsigned count);
  llvm::Value* as_lanes(llvm::Value* v, llvm::Type* lane, unsigned count);
  llvm::Value* as_v128(llvm::Value* v);
  llvm::Value* quiet_lanes(llvm::Value* v);
  llvm::Value* lane_range(llvm::Value* v, unsigned first, unsigned count);
  llvm::Value* concat(llvm::Value* a, llvm::Value* c);
  llvm::Value* alternate_lanes(llvm::Value* v, unsigned first);
  llvm::Value* float_min_max(llvm::Value* a, llvm::Value* c, bool is_min);
  llvm::Value* swizzle(llvm::Value* a, llvm::Value* s);
  llvm::Value* narrow(llvm::Value* a, llvm::Value* c, llvm::Type* narrow_lane, bool is_signed);
  llvm::Value* simd_address(const binary::Instruction& in, uint32_t size);
  llvm::Value* simd_load(const binary::Instruction& in, llvm::Type* type, llvm::Value* address);
  void simd_store(const binary::Instruction& in, llvm::Value* value, llvm::Value* address);

  // ---- values in RawValue slots (arrays of 8-byte slots, two for a v128) ----
  static std::vector<size_t> slot_indices(const std::vector<ir::ValType>& types, size_t* total = nullptr);
  static llvm::Value* load_slot(llvm::IRBuilder<>& b, llvm::Type* type, llvm::Value* slots, size_t index);
  static void store_slot(llvm::IRBuilder<>& b, llvm::Value* value, llvm::Value* slots, size_t index);

  // ---- control ----
  void open_block(const binary::Instruction& in, validate::FunctionValidator& v);
  void translate_else();
  void translate_end();
  void branch_to(uint32_t depth);
  void branch_table(const binary::Instruction& in);
  void return_values();
  void set_unreachable();
  Frame& frame(uint32_t depth) { return frames_[frames_.size() - 1 - depth]; }
  // Adds `values` as the incoming values of `target`'s results (or a loop's params) from here.
  void add_incoming(Frame& target, const std::vector<llvm::Value*>& values);
  std::vector<llvm::Value*> top_values(size_t n) const;

  // ---- operand stack ----
  void push(llvm::Value* v) { stack_.push_back(v); }
  llvm::Value* pop() {
    llvm::Value* v = stack_.back();
    stack_.pop_back();
    return v;
  }

  // ---- memory, context and traps ----
  enum class InvariantKind : uint8_t { ContextField, ArrayEntry, MemoryBase };
  using InvariantKey = std::tuple<InvariantKind, size_t, uint32_t>;
  llvm::Value* invariant(InvariantKey key, const std::function<llvm::Value*()>& make);
  llvm::Value* invariant_pointer(llvm::Value* address, const char* name = "");
  llvm::Value* context_field(size_t offset, const char* name);
  llvm::Value* context_array_entry(size_t offset, const char* array, uint32_t index);
  llvm::Value* memory_definition(uint32_t memory);
  llvm::Value* memory_base(uint32_t memory);
  llvm::Value* effective_address(uint32_t memory, llvm::Value* address, uint64_t offset, uint32_t size);
  bool guarded_access(uint32_t memory) const;
  llvm::Value* global_pointer(uint32_t global);
  llvm::Value* function_header(uint32_t func);
  void trap(TrapCode code);
  void trap_if(llvm::Value* condition, TrapCode code);
  void trap_unless_none(llvm::Value* trap_code);  // an i32 TrapCode from a helper
  llvm::Value* checked_truncation(llvm::Value* x, llvm::Type* to, bool is_signed);
  void interruption_point();  // fuel and epoch, at function entry and loop headers
  void start_fuel_segment();
  void close_fuel_segment();
  void check_native_stack();
  // A call of `header` (a FunctionHeader*) with the function type `type`:
  // directly to its native code when it has some, else through kiln_call.
  // `tail`: return_call's form, which returns the callee's results.
  void call_function(llvm::Value* header, const ir::FuncType& type, bool tail = false);
  void call_direct(uint32_t defined_index, const ir::FuncType& type, bool tail = false);
  bool return_with(llvm::CallInst* call);
  void return_call_results();
  void push_results(llvm::Value* result, const ir::FuncType& type);

  void unsupported(std::string what);

  ModuleDeclarations& decls_;
  llvm::LLVMContext& ctx_;
  llvm::IRBuilder<> b_;
  const ir::Module& wasm_;
  const ir::Features& features_;
  const native::CompileOptions& options_;
  const std::vector<uint32_t>& declared_funcs_;
  const uint32_t func_index_;
  const ir::FuncType& type_;

  llvm::Function* function_ = nullptr;
  llvm::DISubprogram* subprogram_ = nullptr;
  llvm::Value* context_ = nullptr;
  llvm::BasicBlock* entry_ = nullptr;
  std::map<InvariantKey, llvm::Value*> invariants_;
  std::vector<llvm::AllocaInst*> locals_;
  std::vector<ir::ValType> local_types_;
  std::vector<llvm::Value*> stack_;
  std::vector<Frame> frames_;
  bool reachable_ = true;
  uint32_t dead_depth_ = 0;  // blocks opened in unreachable code
  bool refuse_tail_calls_ = false;
  bool made_tail_calls_ = false;
  uint32_t offset_ = 0;      // of the instruction being translated
  std::optional<std::string> unsupported_;
  // A loop entry's dispatch to its loops (by wasm offset), and its frame.
  llvm::SwitchInst* loop_entries_ = nullptr;
  llvm::Value* entry_frame_ = nullptr;
  // Fuel: the subtraction of the current segment, whose count is set when it closes.
  llvm::BinaryOperator* fuel_charge_ = nullptr;
  uint32_t fuel_count_ = 0;
};

}  // namespace kiln::llvmtier
