// The translator turns a wasm function body into register-machine code.
//
// Every operand-stack position has a fixed home in the frame (its byte offset),
// known at translation time because wasm code is statically typed; instructions
// name the frame offsets they read and write, so there is no runtime stack
// pointer. Three things keep the instruction count low:
//
// * Lazy operands. `local.get` and constants push a reference (to the local, or
//   to the function's constant area) instead of copying; the copy into the home
//   is made only when something needs it there: control-flow joins, calls, or a
//   write to the local while a reference to it is pending.
// * Result redirection. `op; local.set x` writes op's result straight into x.
// * Compare-and-branch fusion. `i32.lt_s; br_if L` (and `if`) become one
//   conditional branch on the two operands.
//
// Frame layout: [params][declared locals][constants][operand stack]. Locals and
// constants are initialized on entry from Code::init. Results are returned at
// offset 0. A callee's frame starts at the home of its first argument in the
// caller's frame, so arguments are never copied for a call.
#include "interp/translator.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <optional>

#include "base/reader.h"
#include "interp/code_passes.h"
#include "interp/fusion_switches.h"
#include "interp/fusion_tables.h"
#include "interp/handlers.h"
#include "interp/layouts.h"
#include "runtime/engine.h"
#include "runtime/module.h"
#include "validate/function_validator.h"

namespace kiln::interp {

using binary::Instruction;
using ir::ImmKind;
using ir::Opcode;
using ir::ValType;
using validate::FrameKind;
using validate::FunctionValidator;

namespace {

// Functions with more distinct constants than this materialize the rest with
// instructions (keeps frames small for generated code with huge constant sets).
constexpr size_t kMaxPooledConstants = 2048;

struct Entry {
  enum class Source : uint8_t { Home, Local, Const };
  ValType type;
  uint32_t home = 0;                 // byte offset of this stack position
  Source source = Source::Home;      // where the value is now
  uint32_t source_offset = 0;        // the local's or constant's offset
  uint32_t location() const { return source == Source::Home ? home : source_offset; }
  uint32_t end() const { return home + type.byte_size(); }
  bool pending() const { return source != Source::Home; }
  bool reads_local(uint32_t offset) const { return source == Source::Local && source_offset == offset; }
};

// A jump operand to fill in once the target is known: the word to write and the
// start of the instruction it belongs to (jumps are relative to it).
struct Patch {
  uint32_t word;
  uint32_t instr_start;
};

struct Label {
  FrameKind kind = FrameKind::Block;
  std::vector<ValType> params, results;
  size_t height = 0;        // stack entries below the block's params
  uint32_t base_home = 0;   // home of the first param / result
  uint32_t loop_start = 0;  // loops: where a branch goes
  std::vector<Patch> patches;       // branches to the end
  std::optional<Patch> else_patch;  // `if`: the jump taken when the condition is false
  bool dead = false;                // opened in unreachable code
  const std::vector<ValType>& branch_types() const { return kind == FrameKind::Loop ? params : results; }
};

// The instruction just emitted, while nothing else has been emitted after it: the
// next instruction may rewrite it (redirect its result, or fuse it into a branch).
struct LastInstruction {
  bool valid = false;
  uint32_t start = 0;         // word position of its handler
  uint32_t dst_word = 0;      // position of its destination operand
  uint32_t dst_location = 0;  // where its result is now (its home, or a local it was redirected to)
  // The stack entry holding its result while that is still a temporary in its
  // home; kNoEntry once the result was redirected into a local.
  size_t stack_index = 0;
  Opcode op = Opcode::Nop;
  uint32_t operands[2] = {};
  uint32_t memory_offset = 0;  // loads: the static offset
  Handler handler = Handler::Count;  // the handler used, for fused forms (else Count)
  uint32_t loaded = 0;               // fused load+op: where the loaded value was stored
  uint32_t third = 0;                // fused pair: its third operand; indexed load+op: x
  // An i32.add-addressed load (fused_address_handler): the load's opcode (else
  // Nop), with operands = the add's and `indexed_sum` where the sum was put.
  Opcode indexed_load = Opcode::Nop;
  uint32_t indexed_sum = 0;
};
constexpr size_t kNoEntry = SIZE_MAX;

// The result type of a fixed-signature instruction on the fast paths (32-bit memory 0).
ValType result_type(Opcode op) { return ir::sig_letter_type(sig_shape(op_info(op).sig).results[0], ValType::i32()); }

class Translator final : public validate::CodeSink {
 public:
  Translator(const runtime::Module& module, uint32_t func_index)
      : module_(module), ir_(module.ir()), func_index_(func_index), code_(std::make_unique<Code>()) {}

  Expected<std::unique_ptr<Code>> run() {
    const ir::FuncType& type = ir_.func_type(func_index_);
    const ir::FunctionBody& body = ir_.codes[func_index_ - ir_.num_imported_funcs];
    uint32_t offset = 0;
    for (const ValType& t : type.params) {
      local_offsets_.push_back(offset);
      offset += t.byte_size();
    }
    code_->params_size = offset;
    for (const ir::LocalGroup& group : body.locals) {
      for (uint32_t i = 0; i < group.count; ++i) {
        local_offsets_.push_back(offset);
        offset += group.type.byte_size();
      }
    }
    code_->init.assign(offset - code_->params_size, 0);
    collect_constants(body);
    // Whole 64-byte blocks: a call copies them without a loop for the usual
    // small frame (init_frame).
    code_->init.resize((code_->init.size() + 63) & ~size_t{63});
    stack_base_ = code_->params_size + static_cast<uint32_t>(code_->init.size());
    max_extent_ = stack_base_;
    for (const ValType& t : type.results) code_->results_size += t.byte_size();

    Label function_label;
    function_label.kind = FrameKind::Function;
    function_label.results = type.results;
    function_label.base_home = stack_base_;
    labels_.push_back(std::move(function_label));

    consume_fuel_ = module_.engine().config().consume_fuel;
    check_epoch_ = module_.engine().config().epoch_interruption;
    count_hotness_ = module_.engine().config().count_hotness;
    // A trap at the entry checks (fuel, epoch) is reported at the body's first
    // instruction, the one about to run.
    current_offset_ = body.code.offset;
    emit_interruption_points(runtime::Tier::kAtEntry);
    FunctionValidator walker(ir_, module_.engine().config().features, &module_.declared_funcs());
    KILN_TRY_VOID(walker.validate_function(func_index_, this));
    if (error_) return *error_;
    close_fuel_segment();
    code_->frame_size = std::max(max_extent_, code_->results_size);
    code_->frame_size = (code_->frame_size + 15) & ~15u;
    std::sort(all_jump_targets_.begin(), all_jump_targets_.end());
    run_last_passes(*code_, all_jump_targets_);
    return std::move(code_);
  }

  void on_instruction(const Instruction& in, FunctionValidator& v) override {
    if (error_) return;
    ++fuel_count_;
    if (!reachable_) {
      translate_unreachable(in);
      return;
    }
    current_offset_ = in.offset;
    retracted_access_offset_.reset();
    translate(in, v);
  }

 private:
  // ---- the constant area ----
  // Gives every distinct constant of the body a slot after the locals, filled in
  // Code::init, so constants are operands like any other and cost no instruction.
  void collect_constants(const ir::FunctionBody& body) {
    ByteReader reader(ir_.bytes.data() + body.code.offset, body.code.size, body.code.offset);
    binary::InstructionScratch scratch;
    Instruction in;
    while (!reader.at_end() &&
           binary::read_instruction(reader, in, scratch, module_.engine().config().features)) {
      switch (in.op) {
        case Opcode::I32Const: add_constant(in.bits & 0xffffffffu, 0, 8); break;
        case Opcode::I64Const: case Opcode::F32Const: case Opcode::F64Const: add_constant(in.bits, 0, 8); break;
        case Opcode::RefNull: add_constant(0, 0, 8); break;
        case Opcode::V128Const: {
          uint64_t lo, hi;
          std::memcpy(&lo, in.v128.bytes.data(), 8);
          std::memcpy(&hi, in.v128.bytes.data() + 8, 8);
          add_constant(lo, hi, 16);
          break;
        }
        default: break;
      }
    }
  }
  void add_constant(uint64_t lo, uint64_t hi, uint32_t size) {
    ConstKey key{lo, hi, size};
    if (constants_.count(key) || constants_.size() >= kMaxPooledConstants) return;
    uint32_t offset = code_->params_size + static_cast<uint32_t>(code_->init.size());
    code_->init.resize(code_->init.size() + size);
    std::memcpy(code_->init.data() + (offset - code_->params_size), &lo, 8);
    if (size == 16) std::memcpy(code_->init.data() + (offset - code_->params_size) + 8, &hi, 8);
    constants_.emplace(key, offset);
  }
  std::optional<uint32_t> constant_slot(uint64_t lo, uint64_t hi, uint32_t size) const {
    auto it = constants_.find(ConstKey{lo, hi, size});
    if (it == constants_.end()) return std::nullopt;
    return it->second;
  }
  // Pushes a constant as a pending reference to its slot; false if it has none.
  bool push_constant(const Instruction& in) {
    std::optional<uint32_t> slot;
    ValType type;
    switch (in.op) {
      case Opcode::I32Const: slot = constant_slot(in.bits & 0xffffffffu, 0, 8); type = ValType::i32(); break;
      case Opcode::I64Const: slot = constant_slot(in.bits, 0, 8); type = ValType::i64(); break;
      case Opcode::F32Const: slot = constant_slot(in.bits, 0, 8); type = ValType::f32(); break;
      case Opcode::F64Const: slot = constant_slot(in.bits, 0, 8); type = ValType::f64(); break;
      case Opcode::RefNull: slot = constant_slot(0, 0, 8); type = in.ref_type; break;
      case Opcode::V128Const: {
        uint64_t lo, hi;
        std::memcpy(&lo, in.v128.bytes.data(), 8);
        std::memcpy(&hi, in.v128.bytes.data() + 8, 8);
        slot = constant_slot(lo, hi, 16);
        type = ValType::v128();
        break;
      }
      default: return false;
    }
    if (!slot) return false;
    push_slot(type);
    stack_.back().source = Entry::Source::Const;
    stack_.back().source_offset = *slot;
    return true;
  }

  // ---- fuel and epoch interruption ----
  // With fuel, a Fuel instruction starts every segment of code (function entry,
  // loop header, after a loop) and charges the wasm instructions of the segment
  // in code order. Epoch checks sit at function entries and loop headers, so any
  // running code reaches one soon. Neither is emitted when disabled.
  // At the function's entry and each loop's head: where fuel is charged, the
  // epoch checked and hotness counted (`loop_offset`: the loop's wasm
  // offset, where the tier may take the frame over, or Tier::kAtEntry).
  void emit_interruption_points(uint32_t loop_offset) {
    if (check_epoch_) emit_handler(Handler::EpochCheck);
    if (count_hotness_) {
      emit_handler(Handler::HotnessCount);
      auto counter = reinterpret_cast<uintptr_t>(&code_->hotness);
      emit(static_cast<uint32_t>(counter));
      emit(static_cast<uint32_t>(static_cast<uint64_t>(counter) >> 32));
      emit(loop_offset);
    }
    start_fuel_segment();
  }
  void start_fuel_segment() {
    if (!consume_fuel_) return;
    close_fuel_segment();
    emit_handler(Handler::Fuel);
    fuel_word_ = pos();
    emit(0);
    fuel_count_ = 0;
  }
  void close_fuel_segment() {
    if (consume_fuel_ && fuel_word_) code_->words[*fuel_word_] = std::max<uint32_t>(fuel_count_, 1);
  }

  // ---- emission ----
  uint32_t pos() const { return static_cast<uint32_t>(code_->words.size()); }
  void emit(uint32_t word) { code_->words.push_back(word); }
  void emit64(uint64_t value) {
    emit(static_cast<uint32_t>(value));
    emit(static_cast<uint32_t>(value >> 32));
  }
  uint32_t emit_handler(Handler h) {
    remember_history();  // so retracting the new instruction can restore last_
    last_.valid = false;
    copy_run_.count = 0;
    uint32_t start = pos();
    // A fused instruction that took over a memory access reports the access's
    // offset: a fault in its guard region is the only trap it can take there.
    code_->offsets.emplace_back(start, retracted_access_offset_.value_or(current_offset_));
    retracted_access_offset_.reset();
    const void* address = handler_address(h);
    uint64_t bits;
    std::memcpy(&bits, &address, sizeof bits);
    emit64(bits);
    return start;
  }
  // Removes the last instruction (to replace it with a fused one).
  // Emits a handler followed by its operand words; returns where it starts.
  uint32_t emit_instruction(Handler h, std::initializer_list<uint32_t> words) {
    uint32_t start = emit_handler(h);
    for (uint32_t w : words) emit(w);
    return start;
  }
  // Removes the last instruction (to replace it with a fused one); the one before
  // it becomes the last again, so fusions can chain (e.g. add, compare, branch).
  void retract_last() {
    code_->words.resize(last_.start);
    if (accesses_memory(code_->offsets.back().second)) retracted_access_offset_ = code_->offsets.back().second;
    code_->offsets.pop_back();
    if (history_.empty()) {
      last_.valid = false;
    } else {
      last_ = history_.back();
      history_.pop_back();
    }
  }
  // Whether the wasm instruction at module offset `at` is a load or a store.
  bool accesses_memory(uint32_t at) const {
    if (at >= ir_.bytes.size()) return false;
    Opcode op;
    uint8_t byte = ir_.bytes[at];
    if (byte == 0xfd || byte == 0xfe) {
      ByteReader r(ir_.bytes.data() + at + 1, ir_.bytes.size() - at - 1);
      if (!ir::opcode_from_prefixed(byte, r.u32(), &op)) return false;
    } else if (!ir::opcode_from_byte(byte, &op)) {
      return false;
    }
    ImmKind imm = ir::op_info(op).imm;
    return imm == ImmKind::MemArg || imm == ImmKind::MemArgLane;
  }
  void remember_history() {
    if (history_.size() == kHistory) history_.erase(history_.begin());
    history_.push_back(last_);
  }
  const LastInstruction& previous() const {
    static const LastInstruction kNone;
    return history_.empty() ? kNone : history_.back();
  }
  // Adjacent 8-byte copies (typical at loop ends, where clang rotates locals)
  // merge into one instruction that performs them in order.
  void emit_copy(uint32_t dst, uint32_t src, ValType type) {
    if (type.byte_size() == 8 && copy_run_.count > 0 && copy_run_.count < 4 && copy_run_.end == pos() &&
        fusion_on(Fusion::CopyMerge)) {
      static constexpr Handler kMerged[] = {Handler::Copy64, Handler::Copy64x2, Handler::Copy64x3, Handler::Copy64x4};
      write_handler(copy_run_.start, kMerged[copy_run_.count]);
      emit(dst);
      emit(src);
      ++copy_run_.count;
      copy_run_.end = pos();
      return;
    }
    uint32_t start = emit_handler(type.byte_size() == 16 ? Handler::Copy128 : Handler::Copy64);
    emit(dst);
    emit(src);
    if (type.byte_size() == 8) copy_run_ = {start, pos(), 1};
  }
  void write_handler(uint32_t at, Handler h) { set_handler(&code_->words[at], h); }
  // A jump target, reached by `jumps` more jumps (kManyJumps for a loop start):
  // code before it may not be merged with code after it. The recent targets are
  // kept, for fusions that remove instructions (fuse_guarded_truncation).
  void mark_jump_target(uint32_t jumps) {
    all_jump_targets_.push_back(pos());
    if (!jump_targets_.empty() && jump_targets_.back().position == pos()) {
      jump_targets_.back().jumps += jumps;
    } else {
      if (jump_targets_.size() == kRecentJumpTargets) jump_targets_.erase(jump_targets_.begin());
      jump_targets_.push_back({pos(), jumps});
    }
    forget_history();
  }
  // Nothing emitted so far may be rewritten by what follows.
  void forget_history() {
    last_.valid = false;
    history_.clear();
    copy_run_.count = 0;
  }
  void patch_to_here(const Patch& p) {
    mark_jump_target(1);
    code_->words[p.word] = static_cast<uint32_t>(static_cast<int32_t>(pos() - p.instr_start));
  }
  // Emits the target word of a jump instruction starting at `instr_start`.
  void emit_jump_target(Label& label, uint32_t instr_start) {
    if (label.kind == FrameKind::Loop) {
      emit(static_cast<uint32_t>(static_cast<int32_t>(label.loop_start) - static_cast<int32_t>(instr_start)));
    } else {
      label.patches.push_back({pos(), instr_start});
      emit(0);
    }
  }
  void unsupported(const Instruction& in) {
    if (!error_)
      error_ = Error(ErrorKind::Invalid,
                     "instruction not supported by the interpreter yet: " + std::string(op_name(in.op)), in.offset);
  }

  // ---- the virtual operand stack ----
  // A stack slot (not a parameter, local or constant): its value is read once,
  // by the instruction that pops it.
  bool is_temporary(uint32_t slot) const { return slot >= stack_base_; }
  uint32_t next_home() const { return stack_.empty() ? stack_base_ : stack_.back().end(); }
  uint32_t push_slot(ValType type) {
    Entry e;
    e.type = type;
    e.home = next_home();
    stack_.push_back(e);
    max_extent_ = std::max(max_extent_, e.end());
    return e.home;
  }
  void push_local(uint32_t local_index, ValType type) {
    push_slot(type);
    stack_.back().source = Entry::Source::Local;
    stack_.back().source_offset = local_offsets_[local_index];
  }
  Entry pop() {
    Entry e = stack_.back();
    stack_.pop_back();
    return e;
  }
  void materialize(size_t i) {
    Entry& e = stack_[i];
    if (!e.pending()) return;
    emit_copy(e.home, e.source_offset, e.type);
    e.source = Entry::Source::Home;
  }
  void materialize_from(size_t first) {
    for (size_t i = first; i < stack_.size(); ++i) materialize(i);
  }
  bool has_pending_reads_of(uint32_t local_offset) const {
    for (const Entry& e : stack_)
      if (e.reads_local(local_offset)) return true;
    return false;
  }
  // Before a write to a local: pending reads of it must take the old value now.
  void materialize_reads_of(uint32_t local_offset) {
    for (size_t i = 0; i < stack_.size(); ++i)
      if (stack_[i].reads_local(local_offset)) materialize(i);
  }
  void reset_stack(size_t height, const std::vector<ValType>& types) {
    stack_.resize(height);
    for (const ValType& t : types) push_slot(t);
  }

  // ---- control flow ----
  Label& label_at(uint32_t depth) { return labels_[labels_.size() - 1 - depth]; }
  bool branch_needs_copies(const Label& label) const {
    const auto& types = label.branch_types();
    size_t first = stack_.size() - types.size();
    uint32_t dst = label.base_home;
    for (size_t i = 0; i < types.size(); ++i) {
      if (stack_[first + i].location() != dst) return true;
      dst += types[i].byte_size();
    }
    return false;
  }
  // Moves the branch values (top of stack) to the label's homes.
  void emit_branch_copies(const Label& label) {
    const auto& types = label.branch_types();
    size_t first = stack_.size() - types.size();
    uint32_t dst = label.base_home;
    for (size_t i = 0; i < types.size(); ++i) {
      const Entry& e = stack_[first + i];
      if (e.location() != dst) emit_copy(dst, e.location(), e.type);
      dst += types[i].byte_size();
    }
  }
  void emit_br(Label& label) {
    if (label.kind == FrameKind::Loop && fusion_on(Fusion::LoopHeadCopy) && emit_loop_head_copy(label)) return;
    uint32_t start = emit_handler(Handler::Br);
    emit_jump_target(label, start);
  }
  // A back edge `br` to a loop: copy the loop's first instructions here and jump
  // past them, saving the dispatch of the `br`. When the copy reaches a `br` or
  // a `br_table` (the `switch` at the top of an interpreter loop, typically), it
  // ends there and needs no jump at all: the loop's dispatch is replicated at
  // each back edge. Instructions are copied while is_copyable() allows, up to
  // kMaxHeadInstructions / kMaxHeadWords.
  static constexpr size_t kMaxHeadInstructions = 4;
  static constexpr uint32_t kMaxHeadWords = 64;
  bool emit_loop_head_copy(Label& label) {
    auto first = std::lower_bound(code_->offsets.begin(), code_->offsets.end(), std::make_pair(label.loop_start, 0u));
    if (first == code_->offsets.end() || first->first != label.loop_start) return false;
    const size_t first_index = static_cast<size_t>(first - code_->offsets.begin());
    const size_t original_count = code_->offsets.size();  // the copies append to offsets
    const uint32_t original_end = pos();
    uint32_t resume = label.loop_start;  // the first instruction not copied
    uint32_t words = 0;
    for (size_t i = first_index; i < original_count && i - first_index < kMaxHeadInstructions; ++i) {
      uint32_t from = code_->offsets[i].first;
      uint32_t to = i + 1 < original_count ? code_->offsets[i + 1].first : original_end;
      std::optional<Handler> h = handler_at_word(from);
      if (!h || to <= from || (words += to - from) > kMaxHeadWords) break;
      bool ends_copy = *h == Handler::Br || *h == Handler::BrTable || *h == Handler::BrTableLoadScaled;
      if (!ends_copy && !is_copyable(*h)) break;
      uint32_t copy = emit_handler(*h);
      code_->offsets.back().second = code_->offsets[i].second;
      for (uint32_t w = from + layout::kHandlerWords; w < to; ++w) emit(code_->words[w]);
      if (ends_copy) {
        // The relative targets: a Br's one, a table's after its fixed operands.
        uint32_t first_rel = *h == Handler::Br        ? layout::Br::at(layout::Br::rel)
                             : *h == Handler::BrTable ? layout::BrTable::kWords
                                                      : layout::BrTableLoadScaled::kWords;
        for (uint32_t w = first_rel; from + w < to; ++w) retarget_copied_jump(from, copy, w);
        return true;
      }
      resume = to;
    }
    if (resume == label.loop_start) return false;
    all_jump_targets_.push_back(resume);
    uint32_t br = emit_handler(Handler::Br);
    emit(static_cast<uint32_t>(static_cast<int32_t>(resume) - static_cast<int32_t>(br)));
    return true;
  }
  std::optional<Handler> handler_at_word(uint32_t at) const { return handler_of(&code_->words[at]); }
  // Word `w` of a jump instruction copied from `from` to `copy`: a target not yet
  // known is patched along with the original's; a known one is made relative to
  // the copy.
  void retarget_copied_jump(uint32_t from, uint32_t copy, uint32_t w) {
    for (Label& l : labels_) {
      for (size_t p = 0, n = l.patches.size(); p < n; ++p) {
        if (l.patches[p].word == from + w) {
          l.patches.push_back({copy + w, copy});
          return;
        }
      }
    }
    int32_t target = static_cast<int32_t>(from) + static_cast<int32_t>(code_->words[from + w]);
    code_->words[copy + w] = static_cast<uint32_t>(target - static_cast<int32_t>(copy));
  }
  void emit_return() {
    const auto& results = labels_.front().results;
    if (results.size() == 1 && results[0].byte_size() == 8) {
      emit_handler(Handler::Return64);
      emit(stack_.back().location());
      return;
    }
    size_t first = stack_.size() - results.size();
    materialize_from(first);
    uint32_t dst = 0;
    for (size_t i = 0; i < results.size(); ++i) {
      const Entry& e = stack_[first + i];
      if (e.home != dst) emit_copy(dst, e.home, e.type);
      dst += e.type.byte_size();
    }
    emit_handler(Handler::Return);
  }
  void open_block(FrameKind kind, const std::vector<ValType>& params, const std::vector<ValType>& results) {
    Label label;
    label.kind = kind;
    label.params = params;
    label.results = results;
    label.height = stack_.size() - params.size();
    label.base_home = params.empty() ? next_home() : stack_[label.height].home;
    labels_.push_back(std::move(label));
  }

  // A condition for a conditional jump: either a fused comparison (the compare
  // instruction that produced the condition is taken back) or the i32 value.
  struct Condition {
    std::optional<FusedBranch> fused;
    uint32_t operands[2] = {};
  };
  Condition take_condition() {
    Condition c;
    // `compare; i32.eqz` as a condition: the compare's negation (float
    // comparisons included, which is why this is not done by rewriting eqz).
    if (last_.valid && last_.op == Opcode::I32Eqz && last_.stack_index == stack_.size() - 1 &&
        !stack_.back().pending() && previous().valid && previous().stack_index == last_.stack_index &&
        previous().dst_location == last_.operands[0]) {
      std::optional<FusedBranch> negated = fused_branch(previous().op);
      if (negated && negated->operands == 2) {
        std::swap(negated->when_true, negated->when_false);
        c.fused = negated;
        c.operands[0] = previous().operands[0];
        c.operands[1] = previous().operands[1];
        retract_last();  // the eqz
        retract_last();  // the compare
        pop();
        return c;
      }
    }
    if (last_.valid && last_.stack_index == stack_.size() - 1 && !stack_.back().pending()) {
      c.fused = fused_branch(last_.op);
      if (c.fused) {
        c.operands[0] = last_.operands[0];
        c.operands[1] = last_.operands[1];
        retract_last();
      }
    }
    Entry cond = pop();
    if (!c.fused) c.operands[0] = cond.location();
    return c;
  }
  // Emits "jump if the condition is `when`" and returns the patch for its target.
  Patch emit_conditional_jump(const Condition& c, bool when) {
    Handler h = !c.fused ? (when ? Handler::BrIfNz : Handler::BrIfZ)
                         : (when ? c.fused->when_true : c.fused->when_false);
    if (c.fused && c.fused->operands == 2) {
      if (std::optional<Patch> p = emit_add_branch(h, c.operands[0], c.operands[1])) return *p;
    }
    uint32_t start = emit_handler(h);
    emit(c.operands[0]);
    if (c.fused && c.fused->operands == 2) emit(c.operands[1]);
    Patch p{pos(), start};
    emit(0);
    return p;
  }

  // "i32.add; compare; branch" where the sum is one side of the comparison: one
  // instruction that also stores the sum where the add put it (a loop counter,
  // typically).
  std::optional<Patch> emit_add_branch(Handler branch, uint32_t lhs, uint32_t rhs) {
    if (!last_.valid || last_.op != Opcode::I32Add) return std::nullopt;
    if (rhs == last_.dst_location && lhs != last_.dst_location) {
      branch = mirrored_branch(branch);
      std::swap(lhs, rhs);
    }
    std::optional<Handler> fused = add_branch(branch);
    if (!fused || lhs != last_.dst_location) return std::nullopt;
    uint32_t a = last_.operands[0], b = last_.operands[1], sum = last_.dst_location;
    retract_last();
    uint32_t start = emit_instruction(*fused, {a, b, sum, rhs});
    Patch p{pos(), start};
    emit(0);
    return p;
  }

  void translate_block(const Instruction& in, FunctionValidator& v) {
    std::vector<ValType> params, results;
    v.block_signature(in.block, params, results);
    std::optional<Condition> cond;
    if (in.op == Opcode::If) cond = take_condition();
    materialize_from(0);
    open_block(in.op == Opcode::Block ? FrameKind::Block : in.op == Opcode::Loop ? FrameKind::Loop : FrameKind::If,
               params, results);
    Label& label = labels_.back();
    if (in.op == Opcode::Loop) {
      mark_jump_target(kManyJumps);
      label.loop_start = pos();
      emit_interruption_points(in.offset);
    }
    if (in.op == Opcode::If) label.else_patch = emit_conditional_jump(*cond, false);
  }
  void begin_else(Label& label) {
    last_.valid = false;
    if (label.else_patch) patch_to_here(*label.else_patch);
    label.else_patch.reset();
    label.kind = FrameKind::Else;
    reset_stack(label.height, label.params);
    reachable_ = true;
  }
  void translate_else() {
    Label& label = labels_.back();
    // End of the `then` arm: results to their homes, jump over the `else` arm.
    materialize_from(label.height);
    emit_br(label);
    begin_else(label);
  }
  void translate_end() {
    Label label = std::move(labels_.back());
    labels_.pop_back();
    if (reachable_) materialize_from(label.height);
    if (reachable_ && (label.kind == FrameKind::Block || label.kind == FrameKind::Else) &&
        fusion_on(Fusion::GuardedTruncation))
      fuse_guarded_truncation(label);
    last_.valid = false;  // a jump target: the previous instruction may not be rewritten
    if (label.else_patch) patch_to_here(*label.else_patch);
    for (const Patch& p : label.patches) patch_to_here(p);
    if (label.kind == FrameKind::Function) {
      // Fallthrough and branches to the function's label meet here with the
      // results in their homes; the return sequence moves them to offset 0.
      if (reachable_ || !label.patches.empty()) {
        labels_.push_back(std::move(label));
        reset_stack(0, labels_.back().results);
        emit_return();
      }
      return;
    }
    reset_stack(label.height, label.results);
    reachable_ = !label.dead;
    if (label.kind == FrameKind::Loop && reachable_) start_fuel_segment();
  }
  // `(int)f` in C, compiled without non-trapping conversions, becomes
  //   if (f32.abs x) < 2^31 then (i32.trunc_f32_s x) else INT_MIN
  // as an if/else with a result, or as two blocks with a br_if and local.sets.
  // Either translates to five instructions (abs, branch, trunc, br, copy), four
  // of which run; at the `end` both arms meet, they become one.
  struct GuardedTruncation {
    Handler abs, branch, trunc, fused;
    uint64_t limit_bits, min_bits;
  };
  static constexpr GuardedTruncation kGuardedTruncations[] = {
      {Handler::F32Abs, Handler::BrF32NotLt, Handler::I32TruncF32S, Handler::I32TruncF32SGuarded, 0x4f000000,
       0x80000000},
      {Handler::F64Abs, Handler::BrF64NotLt, Handler::I32TruncF64S, Handler::I32TruncF64SGuarded,
       0x41e0000000000000, 0x80000000},
      {Handler::F32Abs, Handler::BrF32NotLt, Handler::I64TruncF32S, Handler::I64TruncF32SGuarded, 0x5f000000,
       0x8000000000000000},
      {Handler::F64Abs, Handler::BrF64NotLt, Handler::I64TruncF64S, Handler::I64TruncF64SGuarded,
       0x43e0000000000000, 0x8000000000000000},
  };
  void fuse_guarded_truncation(Label& label) {
    // The only branch to this end is the `then` arm's Br; nothing else may jump
    // into the five instructions but the guard's own branch to the copy.
    if (label.patches.size() != 1 || label.else_patch) return;
    auto& offsets = code_->offsets;
    if (offsets.size() < 5) return;
    const size_t first = offsets.size() - 5;
    uint32_t at[5];
    std::optional<Handler> h[5];
    for (size_t i = 0; i < 5; ++i) {
      at[i] = offsets[first + i].first;
      h[i] = handler_at_word(at[i]);
    }
    using layout::BrCompare, layout::Copy, layout::Unary;
    if (h[3] != Handler::Br || h[4] != Handler::Copy64 || pos() != at[4] + Copy::kWords) return;
    if (label.patches[0].instr_start != at[3]) return;
    for (const JumpTarget& t : jump_targets_)
      if (t.position > at[0] && t.position <= at[4] && (t.position != at[4] || t.jumps != 1)) return;
    // s = abs(x); branch if !(s < limit) to the copy; dst = trunc(x); br; copy: dst = min
    const uint32_t* w = code_->words.data();
    const uint32_t *abs = w + at[0], *branch = w + at[1], *trunc = w + at[2], *copy = w + at[4];
    uint32_t s = abs[Unary::at(Unary::dst)], x = abs[Unary::at(Unary::a)], dst = trunc[Unary::at(Unary::dst)];
    if (branch[BrCompare::at(BrCompare::a)] != s || trunc[Unary::at(Unary::a)] != x ||
        copy[Copy::at(Copy::dst)] != dst || !is_temporary(s))
      return;
    // Not less: the copy.
    if (static_cast<int32_t>(branch[BrCompare::at(BrCompare::rel)]) != static_cast<int32_t>(at[4] - at[1])) return;
    for (const GuardedTruncation& g : kGuardedTruncations) {
      if (h[0] != g.abs || h[1] != g.branch || h[2] != g.trunc) continue;
      if (constant_slot(g.limit_bits, 0, 8) != branch[BrCompare::at(BrCompare::b)] ||
          constant_slot(g.min_bits, 0, 8) != copy[Copy::at(Copy::src)])
        return;
      uint32_t wasm_offset = offsets[first + 2].second;  // the trunc's, for traces
      code_->words.resize(at[0]);
      offsets.resize(first);
      label.patches.clear();
      std::erase_if(jump_targets_, [&](const JumpTarget& t) { return t.position > at[0]; });
      forget_history();  // it refers to the removed instructions
      emit_instruction(g.fused, {dst, x});
      offsets.back().second = wasm_offset;
      return;
    }
  }
  void translate_unreachable(const Instruction& in) {
    switch (in.op) {
      case Opcode::Block:
      case Opcode::Loop:
      case Opcode::If: {
        Label label;
        label.kind = in.op == Opcode::Loop ? FrameKind::Loop : FrameKind::Block;
        label.height = stack_.size();
        label.base_home = next_home();
        label.dead = true;
        labels_.push_back(std::move(label));
        break;
      }
      case Opcode::Else:
        if (!labels_.back().dead) begin_else(labels_.back());
        break;
      case Opcode::End:
        translate_end();
        break;
      default:
        break;
    }
  }
  void translate_br_if(uint32_t depth) {
    Condition cond = take_condition();
    Label& label = label_at(depth);
    if (!branch_needs_copies(label)) {
      Patch target = emit_conditional_jump(cond, true);
      code_->words.pop_back();
      emit_jump_target(label, target.instr_start);
      return;
    }
    Patch skip = emit_conditional_jump(cond, false);
    emit_branch_copies(label);
    emit_br(label);
    patch_to_here(skip);
  }
  void translate_br_table(const Instruction& in) {
    Entry index = pop();
    uint32_t count = static_cast<uint32_t>(in.targets.size());
    uint32_t start;
    if (last_.valid && last_.handler == Handler::I32LoadScaled && last_.dst_location == index.location() &&
        fusion_on(Fusion::BrTableLoad)) {
      // `switch (code[pc])`, the dispatch of an interpreter written in C: the
      // scaled load's operands carry over.
      using layout::LoadScaled;
      uint32_t load[LoadScaled::kWords];
      std::copy_n(&code_->words[last_.start], LoadScaled::kWords, load);
      retract_last();
      auto operand = [&](LoadScaled::Operand o) { return load[LoadScaled::at(o)]; };
      start = emit_instruction(Handler::BrTableLoadScaled,
                               {operand(LoadScaled::i), operand(LoadScaled::k), operand(LoadScaled::base),
                                operand(LoadScaled::s), operand(LoadScaled::dst), operand(LoadScaled::offset)});
    } else {
      start = emit_handler(Handler::BrTable);
      emit(index.location());
    }
    emit(count);
    uint32_t table = pos();
    for (uint32_t i = 0; i < count; ++i) emit(0);
    // Targets that need their values moved go through a small stub after the table.
    std::vector<uint32_t> stub_targets;
    for (uint32_t i = 0; i < count; ++i) {
      Label& label = label_at(in.targets[i]);
      if (!branch_needs_copies(label)) {
        if (label.kind == FrameKind::Loop) {
          code_->words[table + i] = static_cast<uint32_t>(static_cast<int32_t>(label.loop_start - start));
        } else {
          label.patches.push_back({table + i, start});
        }
      } else {
        stub_targets.push_back(i);
      }
    }
    for (uint32_t i : stub_targets) {
      code_->words[table + i] = pos() - start;
      Label& label = label_at(in.targets[i]);
      emit_branch_copies(label);
      emit_br(label);
    }
    reachable_ = false;
  }

  // ---- calls ----
  // Materializes the arguments and returns the home of the first one.
  uint32_t prepare_args(size_t count) {
    size_t first = stack_.size() - count;
    materialize_from(first);
    uint32_t home = count ? stack_[first].home : next_home();
    stack_.resize(first);
    return home;
  }
  static uint32_t args_size(const ir::FuncType& type) {
    uint32_t size = 0;
    for (const ValType& t : type.params) size += t.byte_size();
    return size;
  }
  void translate_call(const Instruction& in) {
    const ir::FuncType& type = ir_.func_type(in.index);
    uint32_t args = prepare_args(type.params.size());
    if (in.op == Opcode::ReturnCall) {
      emit_handler(Handler::ReturnCall);
      emit(in.index);
      emit(args);
      emit(args_size(type));
      reachable_ = false;
      return;
    }
    emit_handler(Handler::Call);
    emit(in.index);
    emit(args);
    for (const ValType& t : type.results) push_slot(t);
  }
  void translate_call_indirect(const Instruction& in) {
    const ir::FuncType& type = ir_.types[in.index];
    Entry index = pop();
    uint32_t args = prepare_args(type.params.size());
    bool tail = in.op == Opcode::ReturnCallIndirect;
    emit_handler(tail ? Handler::ReturnCallIndirect : Handler::CallIndirect);
    emit(module_.type_ids()[in.index]);
    emit(table_flags(in.index2));
    emit(index.location());
    emit(args);
    if (tail) {
      emit(args_size(type));
      reachable_ = false;
      return;
    }
    for (const ValType& t : type.results) push_slot(t);
  }

  // ---- locals ----
  void translate_local_set(const Instruction& in) {
    uint32_t target = local_offsets_[in.index];
    bool tee = in.op == Opcode::LocalTee;
    const Entry& top = stack_.back();
    // `op; local.set x`: let op write x directly, unless x has pending reads
    // (they would have to see the old value, but op runs before we could copy).
    if (last_.valid && last_.stack_index == stack_.size() - 1 && !top.pending() && !has_pending_reads_of(target)) {
      code_->words[last_.dst_word] = target;
      last_.dst_location = target;
      last_.stack_index = kNoEntry;  // the result lives in the local now
      Entry value = pop();
      if (tee) {
        value.source = Entry::Source::Local;
        value.source_offset = target;
        stack_.push_back(value);
      }
      return;
    }
    Entry value = pop();
    if (!value.reads_local(target)) {
      materialize_reads_of(target);
      emit_copy(target, value.location(), value.type);
    }
    if (tee) stack_.push_back(value);
  }

  // ---- memories other than a 32-bit memory 0: explicitly checked accesses ----
  // The fast handlers address memory 0 through its guard region; any other
  // memory, a 64-bit one, or an offset beyond 4 GiB goes through handlers that
  // take the memory index and address width ("flags") and check bounds.
  bool is_fast_memory(uint32_t memory, uint64_t offset) const {
    return memory == 0 && !ir_.memory_type(0).limits.is64 && offset <= UINT32_MAX;
  }
  uint32_t memory_flags(uint32_t memory) const {
    return memory | (ir_.memory_type(memory).limits.is64 ? layout::kWideFlag : 0u);
  }
  ValType table_address_type(uint32_t table) const {
    return ir_.table_type(table).limits.is64 ? ValType::i64() : ValType::i32();
  }
  uint32_t table_flags(uint32_t table) const {
    return table | (ir_.table_type(table).limits.is64 ? layout::kWideFlag : 0u);
  }
  void translate_checked_access(const Instruction& in) {
    std::optional<Handler> handler = checked_access_handler(in.op);
    if (!handler) return unsupported(in);
    ir::SigShape shape = sig_shape(op_info(in.op).sig);
    size_t n = shape.params.size();
    uint32_t operands[2] = {};
    for (size_t i = 0; i < n; ++i) operands[i] = stack_[stack_.size() - n + i].location();
    stack_.resize(stack_.size() - n);
    std::optional<uint32_t> dst;
    if (!shape.results.empty()) dst = push_slot(ir::sig_letter_type(shape.results[0], ValType::i32()));
    emit_handler(*handler);
    if (dst) emit(*dst);
    for (size_t i = 0; i < n; ++i) emit(operands[i]);
    emit(memory_flags(in.memarg.memory));
    emit64(in.memarg.offset);
  }

  // memory.size and memory.grow of any memory (results of the memory's address type).
  void translate_checked_memory_op(const Instruction& in) {
    ValType address = ir_.memory_type(in.index).limits.is64 ? ValType::i64() : ValType::i32();
    if (in.op == Opcode::MemorySize) return emit_with_operands(Handler::MemorySizeChecked, {memory_flags(in.index)}, 0, address);
    if (in.op == Opcode::MemoryGrow) return emit_with_operands(Handler::MemoryGrowChecked, {memory_flags(in.index)}, 1, address);
    unsupported(in);
  }

  // ---- instructions with a fixed signature, in the generic layout ----
  void translate_simple(const Instruction& in) {
    std::optional<Handler> handler = simple_handler(in.op);
    if (!handler) return unsupported(in);
    const ir::OpInfo& info = op_info(in.op);
    if ((info.imm == ImmKind::MemArg || info.imm == ImmKind::MemArgLane) && !is_fast_memory(in.memarg.memory, in.memarg.offset))
      return translate_checked_access(in);
    if (info.imm == ImmKind::Memory && !is_fast_memory(in.index, 0)) return translate_checked_memory_op(in);
    if (translate_fused_address(in) || (fusion_on(Fusion::OpStore) && translate_op_store(in)) ||
        (fusion_on(Fusion::ReadModifyWrite) && translate_read_modify_write(in)))
      return;
    ir::SigShape shape = sig_shape(info.sig);
    size_t n = shape.params.size();
    uint32_t operands[3] = {};
    for (size_t i = 0; i < n; ++i) operands[i] = stack_[stack_.size() - n + i].location();
    if (n == 2 && info.imm == ImmKind::None &&
        ((fusion_on(Fusion::Pairs) && translate_fused_pair(in, operands)) ||
         (fusion_on(Fusion::LoadOp) && translate_load_op(in, operands))))
      return;
    if (n == 1 && fusion_on(Fusion::LoadConvert) && translate_load_convert(in, operands[0])) return;
    stack_.resize(stack_.size() - n);
    std::optional<uint32_t> dst;
    if (!shape.results.empty()) dst = push_slot(ir::sig_letter_type(shape.results[0], ValType::i32()));
    uint32_t start = emit_handler(*handler);
    if (dst) emit(*dst);
    for (size_t i = 0; i < n; ++i) emit(operands[i]);
    switch (info.imm) {
      case ImmKind::I32: case ImmKind::F32: emit(static_cast<uint32_t>(in.bits)); break;
      case ImmKind::I64: case ImmKind::F64: emit64(in.bits); break;
      case ImmKind::V128: case ImmKind::Shuffle:
        for (int i = 0; i < 4; ++i) {
          uint32_t w;
          std::memcpy(&w, in.v128.bytes.data() + 4 * i, 4);
          emit(w);
        }
        break;
      case ImmKind::Lane: emit(in.lane); break;
      case ImmKind::MemArg: emit(static_cast<uint32_t>(in.memarg.offset)); break;
      case ImmKind::MemArgLane:
        emit(static_cast<uint32_t>(in.memarg.offset));
        emit(in.lane);
        break;
      default: break;
    }
    if (dst) {
      remember_result(start, in.op, operands);
      if (info.imm == ImmKind::MemArg) last_.memory_offset = static_cast<uint32_t>(in.memarg.offset);
    }
  }

  // `i32.add; load` and `i32.add; <value>; store` where the sum is the address:
  // one access that computes a + b, stores the sum where the add put it (a
  // temporary, or a local the add was redirected to), and uses it.
  bool translate_fused_address(const Instruction& in) {
    if (translate_scaled_address(in)) return true;
    std::optional<Handler> fused = fused_address_handler(in.op);
    if (!fused || !last_.valid || last_.op != Opcode::I32Add) return false;
    bool is_store = sig_shape(op_info(in.op).sig).results.empty();
    const Entry& address = stack_[stack_.size() - (is_store ? 2 : 1)];
    if (address.location() != last_.dst_location) return false;
    // For a store, the value must not have needed an instruction after the add.
    if (is_store && !stack_.back().pending()) return false;
    uint32_t a = last_.operands[0], b = last_.operands[1], sum = last_.dst_location;
    retract_last();
    if (is_store) {
      Entry value = pop();
      pop();  // the address
      emit_instruction(*fused, {a, b, sum, value.location(), static_cast<uint32_t>(in.memarg.offset)});
      return true;
    }
    pop();  // the address
    uint32_t dst = push_slot(result_type(in.op));
    uint32_t start = emit_instruction(*fused, {dst, a, b, sum, static_cast<uint32_t>(in.memarg.offset)});
    uint32_t operands[2] = {a, b};
    remember_result(start, Opcode::Nop, operands);
    last_.indexed_load = in.op;
    last_.indexed_sum = sum;
    last_.memory_offset = static_cast<uint32_t>(in.memarg.offset);
    return true;
  }

  // `t = a OP1 b; d = t OP2 c`: one instruction, when t is a temporary (the
  // handler keeps it in a register; a local.tee of it keeps the two
  // instructions). Pairs come from fused_pair().
  bool translate_fused_pair(const Instruction& in, const uint32_t* operands) {
    if (!last_.valid) return false;
    std::optional<Handler> fused = fused_pair(last_.op, in.op);
    if (!fused || !is_temporary(last_.dst_location)) return false;
    uint32_t other;
    if (operands[0] == last_.dst_location && operands[1] != last_.dst_location) other = operands[1];
    else if (operands[1] == last_.dst_location && operands[0] != last_.dst_location && is_commutative(in.op)) other = operands[0];
    else return false;
    uint32_t a = last_.operands[0], b = last_.operands[1];
    retract_last();
    stack_.resize(stack_.size() - 2);
    uint32_t dst = push_slot(result_type(in.op));
    uint32_t start = emit_instruction(*fused, {dst, a, b, other});
    uint32_t pair_operands[2] = {a, b};
    remember_result(start, Opcode::Nop, pair_operands);
    last_.handler = *fused;
    last_.third = other;
    return true;
  }

  // A fused `(i << k) + base` feeding a load or store: array indexing, one
  // instruction (the sum is still stored; the shifted index is a temporary).
  bool translate_scaled_address(const Instruction& in) {
    if (!last_.valid || last_.handler != Handler::I32ShlAdd) return false;
    std::optional<Handler> fused = scaled_address_handler(in.op);
    if (!fused) return false;
    bool is_store = sig_shape(op_info(in.op).sig).results.empty();
    const Entry& address = stack_[stack_.size() - (is_store ? 2 : 1)];
    if (address.location() != last_.dst_location) return false;
    if (is_store && !stack_.back().pending()) return false;
    uint32_t index = last_.operands[0], shift = last_.operands[1], base = last_.third,
             sum = last_.dst_location;
    retract_last();
    std::optional<uint32_t> value;
    if (is_store) value = pop().location();
    pop();  // the address
    std::optional<uint32_t> dst;
    if (!is_store) dst = push_slot(result_type(in.op));
    uint32_t start = emit_handler(*fused);
    if (dst) emit(*dst);
    for (uint32_t w : {index, shift, base, sum}) emit(w);
    if (value) emit(*value);
    emit(static_cast<uint32_t>(in.memarg.offset));
    if (dst) {
      uint32_t operands[2] = {index, base};
      remember_result(start, Opcode::Nop, operands);
      last_.handler = *fused;  // a br_table on the loaded value takes it in
    }
    return true;
  }

  // `t = load(p + off); d = t OP x`: one instruction, when t is a temporary
  // (the handler keeps it in a register).
  bool translate_load_op(const Instruction& in, const uint32_t* operands) {
    if (!last_.valid || !is_temporary(last_.dst_location)) return false;
    bool left = operands[0] == last_.dst_location && operands[1] != last_.dst_location;
    bool right = operands[1] == last_.dst_location && operands[0] != last_.dst_location;
    if (!left && !right) return false;
    if (last_.indexed_load != Opcode::Nop) return translate_indexed_load_op(in, left, left ? operands[1] : operands[0]);
    std::optional<Handler> fused = fused_load_op(last_.op, in.op, left);
    if (!fused) return false;
    uint32_t address = last_.operands[0], offset = last_.memory_offset, t = last_.dst_location;
    uint32_t other = left ? operands[1] : operands[0];
    retract_last();
    stack_.resize(stack_.size() - 2);
    uint32_t dst = push_slot(result_type(in.op));
    uint32_t start = emit_instruction(*fused, {dst, address, other, offset});
    uint32_t none[2] = {address, other};
    remember_result(start, Opcode::Nop, none);
    last_.handler = *fused;
    last_.memory_offset = offset;
    last_.loaded = t;
    return true;
  }

  // `t = load8_u(p + off); f = (float)t` (a pixel, a sample), also with an
  // added address: one instruction, when t is a temporary. A byte is the same
  // signed or unsigned, so both conversions use it.
  bool translate_load_convert(const Instruction& in, uint32_t operand) {
    if (!last_.valid || operand != last_.dst_location || !is_temporary(operand)) return false;
    bool f32 = in.op == Opcode::F32ConvertI32U || in.op == Opcode::F32ConvertI32S;
    bool f64 = in.op == Opcode::F64ConvertI32U || in.op == Opcode::F64ConvertI32S;
    if (!f32 && !f64) return false;
    if (last_.op == Opcode::I32Load8U && last_.handler == Handler::Count) {
      uint32_t address = last_.operands[0], offset = last_.memory_offset;
      retract_last();
      pop();
      uint32_t dst = push_slot(result_type(in.op));
      Handler fused = f32 ? Handler::F32ConvertLoad8U : Handler::F64ConvertLoad8U;
      uint32_t operands[2] = {address, 0};
      remember_result(emit_instruction(fused, {dst, address, offset}), Opcode::Nop, operands);
      last_.handler = fused;  // (the result may still go straight to a local)
      return true;
    }
    if (last_.indexed_load == Opcode::I32Load8U) {
      uint32_t a = last_.operands[0], b = last_.operands[1], sum = last_.indexed_sum, offset = last_.memory_offset;
      retract_last();
      pop();
      uint32_t dst = push_slot(result_type(in.op));
      Handler fused = f32 ? Handler::F32ConvertLoad8UAdd : Handler::F64ConvertLoad8UAdd;
      uint32_t operands[2] = {a, b};
      remember_result(emit_instruction(fused, {dst, a, b, sum, offset}), Opcode::Nop, operands);
      last_.handler = fused;
      return true;
    }
    return false;
  }

  // `s = a + b; t = load(s + off); d = t OP x`: one instruction (s is still
  // stored where it was put; t is a temporary, translate_load_op checked).
  bool translate_indexed_load_op(const Instruction& in, bool left, uint32_t other) {
    std::optional<Handler> fused = fused_load_op(last_.indexed_load, in.op, left, /*indexed=*/true);
    if (!fused) return false;
    uint32_t a = last_.operands[0], b = last_.operands[1], sum = last_.indexed_sum, t = last_.dst_location,
             offset = last_.memory_offset;
    retract_last();
    stack_.resize(stack_.size() - 2);
    uint32_t dst = push_slot(result_type(in.op));
    uint32_t start = emit_instruction(*fused, {dst, a, b, sum, other, offset});
    uint32_t operands[2] = {a, b};
    remember_result(start, Opcode::Nop, operands);
    last_.handler = *fused;
    last_.indexed_sum = sum;
    last_.loaded = t;
    last_.third = other;
    last_.memory_offset = offset;
    return true;
  }

  // `t = load(p + off); s = t + x; store(p + off, s)`: a read-modify-write
  // (c[i] += x) as one instruction. Only when t and s are temporaries, which
  // nothing reads afterwards: the handler keeps them in registers.
  bool translate_read_modify_write(const Instruction& in) {
    if (!last_.valid || op_info(in.op).imm != ImmKind::MemArg) return false;
    std::optional<Handler> rmw = read_modify_write(last_.handler, in.op);
    if (!rmw || stack_.size() < 2 || stack_.back().location() != last_.dst_location) return false;
    const Entry& address = stack_[stack_.size() - 2];
    if (address.location() != last_.operands[0] || in.memarg.offset != last_.memory_offset) return false;
    if (address.location() == last_.loaded || address.location() == last_.dst_location) return false;
    if (!is_temporary(last_.loaded) || !is_temporary(last_.dst_location)) return false;
    uint32_t p = last_.operands[0], x = last_.operands[1];
    retract_last();
    stack_.resize(stack_.size() - 2);
    // `c[j] += a * b` (axpy): the multiply right before folds in too.
    Opcode multiply = *rmw == Handler::F64AddRmw ? Opcode::F64Mul : *rmw == Handler::F32AddRmw ? Opcode::F32Mul : Opcode::Nop;
    if (multiply != Opcode::Nop && last_.valid && last_.op == multiply && last_.dst_location == x &&
        last_.dst_location != p && is_temporary(x)) {
      uint32_t a = last_.operands[0], b = last_.operands[1];
      retract_last();
      emit_instruction(multiply == Opcode::F64Mul ? Handler::F64MulAddRmw : Handler::F32MulAddRmw,
                       {p, a, b, static_cast<uint32_t>(in.memarg.offset)});
      return true;
    }
    // `c[i] += k * x[j]` with x[j] an indexed load: that folds in as well.
    Handler indexed_multiply = *rmw == Handler::F64AddRmw   ? Handler::F64MulLoadIndexed
                               : *rmw == Handler::F32AddRmw ? Handler::F32MulLoadIndexed
                                                            : Handler::Count;
    // (Not when x's address sum goes to p's own slot: the handler keeps p in a register.)
    if (indexed_multiply != Handler::Count && last_.valid && last_.handler == indexed_multiply &&
        last_.dst_location == x && last_.dst_location != p && is_temporary(x) && is_temporary(last_.loaded) &&
        last_.indexed_sum != p) {
      uint32_t xa = last_.operands[0], xb = last_.operands[1], xs = last_.indexed_sum, k = last_.third,
               x_offset = last_.memory_offset;
      retract_last();
      bool f64 = *rmw == Handler::F64AddRmw;
      // c = a + b just before (the address of c[i], kept in a local): in too.
      if (last_.valid && last_.op == Opcode::I32Add && last_.dst_location == p) {
        uint32_t pa = last_.operands[0], pb = last_.operands[1];
        retract_last();
        emit_instruction(f64 ? Handler::F64AxpyIndexedRmw : Handler::F32AxpyIndexedRmw,
                         {pa, pb, p, xa, xb, xs, k, x_offset, static_cast<uint32_t>(in.memarg.offset)});
        return true;
      }
      emit_instruction(f64 ? Handler::F64AxpyRmw : Handler::F32AxpyRmw,
                       {p, xa, xb, xs, k, x_offset, static_cast<uint32_t>(in.memarg.offset)});
      return true;
    }
    emit_instruction(*rmw, {p, x, static_cast<uint32_t>(in.memarg.offset)});
    return true;
  }

  // `t = a OP b; store(p + off, t)` with the address needing no instruction in
  // between and t a temporary: one instruction.
  bool translate_op_store(const Instruction& in) {
    if (!last_.valid || op_info(in.op).imm != ImmKind::MemArg) return false;
    if (stack_.size() < 2 || stack_.back().location() != last_.dst_location) return false;
    std::optional<Handler> fused = fused_op_store(last_.op, in.op);
    if (!fused) return false;
    const Entry& address = stack_[stack_.size() - 2];
    // The address must have been on the stack before the op: pending, or a
    // temporary below the op's result.
    if (!address.pending() && address.home >= stack_.back().home) return false;
    if (!is_temporary(last_.dst_location)) return false;
    uint32_t a = last_.operands[0], b = last_.operands[1];
    uint32_t address_location = address.location();
    retract_last();
    stack_.resize(stack_.size() - 2);
    emit_instruction(*fused, {address_location, a, b, static_cast<uint32_t>(in.memarg.offset)});
    return true;
  }

  void remember_result(uint32_t start, Opcode op, const uint32_t* operands) {
    last_.valid = true;
    last_.handler = Handler::Count;
    last_.indexed_load = Opcode::Nop;
    last_.start = start;
    last_.dst_word = start + 2;
    last_.dst_location = code_->words[start + 2];
    last_.stack_index = stack_.size() - 1;
    last_.op = op;
    last_.operands[0] = operands[0];
    last_.operands[1] = operands[1];
  }

  // Emits `handler` with the given leading immediates and then the locations of the
  // top `operand_count` stack entries, which are popped.
  void emit_with_operands(Handler handler, std::initializer_list<uint32_t> immediates, size_t operand_count,
                          std::optional<ValType> result = std::nullopt) {
    uint32_t operands[4] = {};
    for (size_t i = 0; i < operand_count; ++i) operands[i] = stack_[stack_.size() - operand_count + i].location();
    stack_.resize(stack_.size() - operand_count);
    std::optional<uint32_t> dst;
    if (result) dst = push_slot(*result);
    uint32_t start = emit_handler(handler);
    if (dst) emit(*dst);
    for (uint32_t imm : immediates) emit(imm);
    for (size_t i = 0; i < operand_count; ++i) emit(operands[i]);
    if (dst) remember_result(start, Opcode::Nop, operands);
  }

  void translate(const Instruction& in, FunctionValidator& v) {
    switch (in.op) {
      case Opcode::Nop:
        return;
      case Opcode::Unreachable:
        emit_handler(Handler::Unreachable);
        reachable_ = false;
        return;
      case Opcode::Block:
      case Opcode::Loop:
      case Opcode::If:
        return translate_block(in, v);
      case Opcode::Else:
        return translate_else();
      case Opcode::End:
        return translate_end();
      case Opcode::Br: {
        Label& label = label_at(in.index);
        emit_branch_copies(label);
        emit_br(label);
        reachable_ = false;
        return;
      }
      case Opcode::BrIf:
        return translate_br_if(in.index);
      case Opcode::BrTable:
        return translate_br_table(in);
      case Opcode::Return:
        emit_return();
        reachable_ = false;
        return;
      case Opcode::Call:
      case Opcode::ReturnCall:
        return translate_call(in);
      case Opcode::CallIndirect:
      case Opcode::ReturnCallIndirect:
        return translate_call_indirect(in);

      case Opcode::Drop:
        pop();
        last_.valid = false;
        return;
      case Opcode::Select:
      case Opcode::SelectT: {
        ValType type = stack_[stack_.size() - 2].type;
        emit_with_operands(type.byte_size() == 16 ? Handler::Select128 : Handler::Select64, {}, 3, type);
        return;
      }

      case Opcode::LocalGet:
        push_local(in.index, v.locals()[in.index]);
        return;
      case Opcode::LocalSet:
      case Opcode::LocalTee:
        return translate_local_set(in);
      case Opcode::GlobalGet: {
        ValType type = ir_.global_type(in.index).type;
        emit_with_operands(type.byte_size() == 16 ? Handler::GlobalGet128 : Handler::GlobalGet64, {in.index}, 0, type);
        return;
      }
      case Opcode::GlobalSet: {
        ValType type = ir_.global_type(in.index).type;
        Entry value = pop();
        emit_handler(type.byte_size() == 16 ? Handler::GlobalSet128 : Handler::GlobalSet64);
        emit(value.location());
        emit(in.index);
        return;
      }

      // Tables (any index width: the flags say which).
      case Opcode::TableGet:
        return emit_with_operands(Handler::TableGet, {table_flags(in.index)}, 1, ir_.table_type(in.index).elem);
      case Opcode::TableSet:
        return emit_with_operands(Handler::TableSet, {table_flags(in.index)}, 2);
      case Opcode::TableSize:
        return emit_with_operands(Handler::TableSize, {table_flags(in.index)}, 0, table_address_type(in.index));
      case Opcode::TableGrow:
        return emit_with_operands(Handler::TableGrow, {table_flags(in.index)}, 2, table_address_type(in.index));
      case Opcode::TableFill:
        return emit_with_operands(Handler::TableFill, {table_flags(in.index)}, 3);
      case Opcode::TableCopy:
        return emit_with_operands(Handler::TableCopy, {table_flags(in.index), table_flags(in.index2)}, 3);
      case Opcode::TableInit:
        return emit_with_operands(Handler::TableInit, {table_flags(in.index2), in.index}, 3);
      case Opcode::ElemDrop:
        return emit_with_operands(Handler::ElemDrop, {in.index}, 0);

      // Bulk memory: the fast forms for a 32-bit memory 0, checked ones otherwise.
      case Opcode::MemoryFill:
        if (!is_fast_memory(in.index, 0)) return emit_with_operands(Handler::MemoryFillChecked, {memory_flags(in.index)}, 3);
        return emit_with_operands(Handler::MemoryFill, {}, 3);
      case Opcode::MemoryCopy:
        if (!is_fast_memory(in.index, 0) || !is_fast_memory(in.index2, 0))
          return emit_with_operands(Handler::MemoryCopyChecked, {memory_flags(in.index), memory_flags(in.index2)}, 3);
        return emit_with_operands(Handler::MemoryCopy, {}, 3);
      case Opcode::MemoryInit:
        if (!is_fast_memory(in.index2, 0))
          return emit_with_operands(Handler::MemoryInitChecked, {in.index, memory_flags(in.index2)}, 3);
        return emit_with_operands(Handler::MemoryInit, {in.index}, 3);
      case Opcode::DataDrop:
        return emit_with_operands(Handler::DataDrop, {in.index}, 0);

      case Opcode::I32Const: case Opcode::I64Const: case Opcode::F32Const: case Opcode::F64Const:
      case Opcode::V128Const:
        if (push_constant(in)) return;
        return translate_simple(in);  // beyond the constant area: an instruction
      case Opcode::RefNull:
        if (push_constant(in)) return;
        return emit_with_operands(Handler::RefNull, {}, 0, in.ref_type);
      case Opcode::RefIsNull:
        return emit_with_operands(Handler::RefIsNull, {}, 1, ValType::i32());
      case Opcode::RefFunc:
        return emit_with_operands(Handler::RefFunc, {in.index}, 0,
                                  ValType::ref(ir::HeapKind::Index, false, ir_.func_type_index(in.index)));

      default:
        return translate_simple(in);
    }
  }

  struct ConstKey {
    uint64_t lo, hi;
    uint32_t size;
    bool operator<(const ConstKey& o) const {
      return std::tie(lo, hi, size) < std::tie(o.lo, o.hi, o.size);
    }
  };

  const runtime::Module& module_;
  const ir::Module& ir_;
  uint32_t func_index_;
  std::unique_ptr<Code> code_;
  std::vector<uint32_t> local_offsets_;
  std::map<ConstKey, uint32_t> constants_;
  std::vector<Entry> stack_;
  std::vector<Label> labels_;
  LastInstruction last_;
  // The instructions before last_, each ending where the next starts (the
  // newest at the back), up to kHistory: retract_last() restores them one by
  // one, so a fusion can take in several instructions. Cleared at jump targets.
  static constexpr size_t kHistory = 4;
  std::vector<LastInstruction> history_;
  struct JumpTarget {
    uint32_t position;
    uint32_t jumps;
  };
  static constexpr size_t kRecentJumpTargets = 8;
  static constexpr uint32_t kManyJumps = UINT32_MAX / 2;
  std::vector<JumpTarget> jump_targets_;  // the latest positions jumps land at, oldest first
  // Every position a jump lands at (some may be stale after a fusion removed
  // code: that only keeps use_accumulator from a rewrite).
  std::vector<uint32_t> all_jump_targets_;
  struct CopyRun {
    uint32_t start = 0;  // the copy instruction being extended
    uint32_t end = 0;    // where it ends (merging only if nothing follows it)
    uint32_t count = 0;  // copies in it; 0: none to extend
  } copy_run_;
  bool consume_fuel_ = false;
  bool check_epoch_ = false;
  bool count_hotness_ = false;
  std::optional<uint32_t> fuel_word_;  // the count operand of the current Fuel instruction
  uint32_t fuel_count_ = 0;            // wasm instructions since it
  uint32_t stack_base_ = 0;
  uint32_t max_extent_ = 0;
  uint32_t current_offset_ = 0;
  // The offset of a load or store that the current instruction retracted to
  // fuse with (emit_handler gives it to the fused instruction).
  std::optional<uint32_t> retracted_access_offset_;
  bool reachable_ = true;
  std::optional<Error> error_;
};

}  // namespace

Expected<std::unique_ptr<Code>> translate_function(const runtime::Module& module, uint32_t func_index) {
  Translator translator(module, func_index);
  return translator.run();
}

}  // namespace kiln::interp
