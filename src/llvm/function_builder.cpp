#include "llvm/function_builder.h"

#include <llvm/IR/Intrinsics.h>
#include <llvm/IR/MDBuilder.h>

#include <cmath>
#include <limits>
#include <sstream>

#include "ir/opcodes.h"
#include "runtime/context.h"

namespace kiln::llvmtier {

using binary::Instruction;
using ir::Opcode;
using ir::ValKind;
using ir::ValType;
using validate::FrameKind;
namespace offsets = runtime::offsets;

// ---- declarations ------------------------------------------------------------

namespace {

llvm::Type* parse_type(llvm::LLVMContext& ctx, const std::string& word) {
  if (word == "void") return llvm::Type::getVoidTy(ctx);
  if (word == "i32") return llvm::Type::getInt32Ty(ctx);
  if (word == "i64") return llvm::Type::getInt64Ty(ctx);
  return llvm::PointerType::getUnqual(ctx);  // "ptr"
}

// "i32; ptr i32 i64" -> i32 (ptr, i32, i64)
llvm::FunctionType* parse_signature(llvm::LLVMContext& ctx, const char* text) {
  std::string s(text);
  size_t semicolon = s.find(';');
  llvm::Type* result = parse_type(ctx, s.substr(0, semicolon));
  std::istringstream rest(s.substr(semicolon + 1));
  std::vector<llvm::Type*> params;
  for (std::string word; rest >> word;) params.push_back(parse_type(ctx, word));
  return llvm::FunctionType::get(result, params, false);
}

// Every wasm function keeps a frame of its own, with a frame pointer: a
// trap's backtrace walks them, and must find every wasm frame. So no inlining
// and no tail calls but wasm's own (return_call, musttail); LLVM's own also
// because turning a recursion into a loop would make runaway recursion loop
// forever instead of exhausting the stack.
void keep_frames(llvm::Function& f) {
  f.addFnAttr(llvm::Attribute::NoUnwind);
  f.addFnAttr("frame-pointer", "all");
  f.addFnAttr(llvm::Attribute::NoInline);
  f.addFnAttr("disable-tail-calls", "true");
}

}  // namespace

ModuleDeclarations::ModuleDeclarations(llvm::Module& m) : module(m), context(m.getContext()), debug(m) {
#define KILN_DECLARE_HELPER(name, signature, comment)                                                         \
  helpers_.emplace_back(#name, llvm::Function::Create(parse_signature(context, signature),                    \
                                                      llvm::Function::ExternalLinkage, #name, &module));
  KILN_NATIVE_HELPERS(KILN_DECLARE_HELPER)
#undef KILN_DECLARE_HELPER
  helper("kiln_trap")->setDoesNotReturn();
  helper("kiln_call")->setDoesNotThrow();
  // Line numbers of the debug info are wasm offsets: how a faulting
  // instruction finds its wasm instruction (emit.cpp reads them back).
  file = debug.createFile("module.wasm", ".");
  unit = debug.createCompileUnit(llvm::dwarf::DW_LANG_C, file, "kiln", true, "", 0, "",
                                 llvm::DICompileUnit::LineTablesOnly);
  subroutine_type = debug.createSubroutineType(debug.getOrCreateTypeArray({}));
  module.addModuleFlag(llvm::Module::Warning, "Debug Info Version", llvm::DEBUG_METADATA_VERSION);
  module.addModuleFlag(llvm::Module::Warning, "Dwarf Version", 4);
}

llvm::Function* ModuleDeclarations::function(uint32_t defined_index, llvm::FunctionType* type) {
  std::string name = native::function_symbol(defined_index);
  if (llvm::Function* f = module.getFunction(name)) return f;
  return llvm::Function::Create(type, llvm::Function::ExternalLinkage, name, module);
}

llvm::Function* ModuleDeclarations::helper(const char* name) const {
  for (const auto& [n, f] : helpers_)
    if (n == name) return f;
  return nullptr;
}


FunctionBuilder::FunctionBuilder(ModuleDeclarations& decls, const ir::Module& wasm, const ir::Features& features,
                                 const native::CompileOptions& options, const std::vector<uint32_t>& declared_funcs,
                                 uint32_t func_index)
    : decls_(decls),
      ctx_(decls.context),
      b_(decls.context),
      wasm_(wasm),
      features_(features),
      options_(options),
      declared_funcs_(declared_funcs),
      func_index_(func_index),
      type_(wasm.func_type(func_index)) {}

void FunctionBuilder::unsupported(std::string what) {
  if (!unsupported_) unsupported_ = std::move(what);
}

llvm::Type* FunctionBuilder::llvm_type(const ValType& type) {
  switch (type.kind) {
    case ValKind::I32: return b_.getInt32Ty();
    case ValKind::I64: return b_.getInt64Ty();
    case ValKind::F32: return b_.getFloatTy();
    case ValKind::F64: return b_.getDoubleTy();
    case ValKind::V128: return v128_type();
    case ValKind::Ref: return b_.getPtrTy();
  }
  return b_.getInt32Ty();
}

llvm::FunctionType* FunctionBuilder::native_type(const ir::FuncType& type) {
  std::vector<llvm::Type*> params{b_.getPtrTy()};
  for (const ValType& t : type.params) params.push_back(llvm_type(t));
  llvm::Type* result = b_.getVoidTy();
  if (type.results.size() == 1) {
    result = llvm_type(type.results[0]);
  } else if (type.results.size() > 1) {
    std::vector<llvm::Type*> fields;
    for (const ValType& t : type.results) fields.push_back(llvm_type(t));
    result = llvm::StructType::get(ctx_, fields);
  }
  return llvm::FunctionType::get(result, params, false);
}

// ---- the function ----------------------------------------------------------------

Expected<void> FunctionBuilder::build_loop_entry() {
  uint32_t defined = func_index_ - wasm_.num_imported_funcs;
  llvm::FunctionType* type = llvm::FunctionType::get(b_.getInt32Ty(), {b_.getPtrTy(), b_.getPtrTy(), b_.getInt32Ty()}, false);
  function_ = llvm::Function::Create(type, llvm::Function::ExternalLinkage, native::loop_entry_symbol(defined),
                                     decls_.module);
  entry_frame_ = function_->getArg(1);
  return build_body();
}

Expected<void> FunctionBuilder::build() {
  uint32_t defined = func_index_ - wasm_.num_imported_funcs;
  function_ = decls_.function(defined, native_type(type_));
  KILN_TRY_VOID(build_body());
  build_trampoline();
  return {};
}

// The body of function_ (the function, or its loop entry).
Expected<void> FunctionBuilder::build_body() {
  uint32_t defined = func_index_ - wasm_.num_imported_funcs;
  keep_frames(*function_);
  subprogram_ = decls_.debug.createFunction(decls_.file, function_->getName(), function_->getName(), decls_.file,
                                            wasm_.codes[defined].code.offset, decls_.subroutine_type,
                                            wasm_.codes[defined].code.offset, llvm::DINode::FlagZero,
                                            llvm::DISubprogram::SPFlagDefinition);
  function_->setSubprogram(subprogram_);
  if (unsupported_) return Error(ErrorKind::Unsupported, *unsupported_);
  begin_function();
  validate::FunctionValidator walker(wasm_, features_, &declared_funcs_);
  KILN_TRY_VOID(walker.validate_function(func_index_, this));
  if (unsupported_) return Error(ErrorKind::Unsupported, *unsupported_);
  close_fuel_segment();
  decls_.debug.finalizeSubprogram(subprogram_);
  return {};
}

void FunctionBuilder::begin_function() {
  entry_ = llvm::BasicBlock::Create(ctx_, "entry", function_);
  b_.SetInsertPoint(entry_);
  const ir::FunctionBody& body = wasm_.codes[func_index_ - wasm_.num_imported_funcs];
  offset_ = body.code.offset;
  b_.SetCurrentDebugLocation(llvm::DILocation::get(ctx_, offset_, 0, subprogram_));
  context_ = function_->getArg(0);
  // Locals live in allocas, which mem2reg makes SSA values.
  local_types_ = type_.params;
  for (const ir::LocalGroup& g : body.locals) local_types_.insert(local_types_.end(), g.count, g.type);
  uint32_t frame_slot = 0;  // a loop entry's: the interpreter frame's layout
  for (size_t i = 0; i < local_types_.size(); ++i) {
    llvm::Type* t = llvm_type(local_types_[i]);
    llvm::AllocaInst* slot = b_.CreateAlloca(t);
    locals_.push_back(slot);
    if (entry_frame_) {
      b_.CreateStore(load_slot(b_, t, entry_frame_, frame_slot), slot);
      frame_slot += local_types_[i].byte_size() / 8;
    } else if (i < type_.params.size()) {
      b_.CreateStore(function_->getArg(static_cast<unsigned>(i + 1)), slot);
    } else {
      b_.CreateStore(llvm::Constant::getNullValue(t), slot);
    }
  }
  // The entry block ends here; what the whole call shares (invariant()) is
  // added before this branch, the body starts in the next block. A loop
  // entry's starts at one of its loops instead (open_block adds them).
  llvm::BasicBlock* start = llvm::BasicBlock::Create(ctx_, "start", function_);
  if (entry_frame_) {
    llvm::BasicBlock* no_entry = llvm::BasicBlock::Create(ctx_, "not_an_entry", function_);
    loop_entries_ = b_.CreateSwitch(function_->getArg(2), no_entry);
    b_.SetInsertPoint(no_entry);
    b_.CreateRet(b_.getInt32(0));
  } else {
    b_.CreateBr(start);
  }
  b_.SetInsertPoint(start);
  Frame f;
  f.kind = FrameKind::Function;
  for (const ValType& t : type_.results) f.results.push_back(llvm_type(t));
  frames_.push_back(std::move(f));
  check_native_stack();
  interruption_point();
}

// For a function of this chunk that the tier does not compile but others in
// it call directly: a body that calls whatever code it has (the
// interpreter's) through its function header.
void FunctionBuilder::build_forwarder() {
  function_ = decls_.function(func_index_ - wasm_.num_imported_funcs, native_type(type_));
  keep_frames(*function_);
  entry_ = llvm::BasicBlock::Create(ctx_, "entry", function_);
  llvm::BasicBlock* start = llvm::BasicBlock::Create(ctx_, "start", function_);
  b_.SetInsertPoint(entry_);
  b_.CreateBr(start);
  b_.SetInsertPoint(start);
  context_ = function_->getArg(0);
  for (size_t i = 0; i < type_.params.size(); ++i) push(function_->getArg(static_cast<unsigned>(i + 1)));
  call_function(function_header(func_index_), type_);
  return_values();
}

// kiln_a<i>(ctx, slots): the array call, as runtime::Entry passes arguments.
void FunctionBuilder::build_trampoline() {
  uint32_t defined = func_index_ - wasm_.num_imported_funcs;
  llvm::FunctionType* type = llvm::FunctionType::get(b_.getVoidTy(), {b_.getPtrTy(), b_.getPtrTy()}, false);
  llvm::Function* trampoline = llvm::Function::Create(type, llvm::Function::ExternalLinkage,
                                                      native::trampoline_symbol(defined), decls_.module);
  trampoline->addFnAttr(llvm::Attribute::NoUnwind);
  trampoline->addFnAttr("frame-pointer", "all");
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx_, "entry", trampoline));
  llvm::Value* slots = trampoline->getArg(1);
  std::vector<llvm::Value*> args{trampoline->getArg(0)};
  std::vector<size_t> param_slots = slot_indices(type_.params);
  for (size_t i = 0; i < type_.params.size(); ++i)
    args.push_back(load_slot(b, function_->getArg(static_cast<unsigned>(i + 1))->getType(), slots, param_slots[i]));
  // Not inlined: faults and traps must lie in the function itself, whose code
  // range and offsets say where they were.
  llvm::CallInst* result = b.CreateCall(function_, args);
  result->setIsNoInline();
  std::vector<size_t> result_slots = slot_indices(type_.results);
  for (size_t i = 0; i < type_.results.size(); ++i) {
    llvm::Value* v = type_.results.size() == 1 ? result : b.CreateExtractValue(result, {static_cast<unsigned>(i)});
    store_slot(b, v, slots, result_slots[i]);
  }
  b.CreateRetVoid();
}

void FunctionBuilder::on_instruction(const Instruction& in, validate::FunctionValidator& v) {
  if (unsupported_) return;
  ++fuel_count_;
  if (!reachable_) {
    translate_unreachable_code(in, v);
    return;
  }
  offset_ = in.offset;
  b_.SetCurrentDebugLocation(llvm::DILocation::get(ctx_, offset_, 0, subprogram_));
  translate(in, v);
}

// ---- the context -----------------------------------------------------------------

// A pointer that stays the same while the instance lives: the context's
// fields, the entries of its arrays, memory bases. Marked invariant, so LLVM
// loads it once and hoists it out of loops.
llvm::Value* FunctionBuilder::invariant_pointer(llvm::Value* address, const char* name) {
  llvm::LoadInst* load = b_.CreateLoad(b_.getPtrTy(), address, name);
  load->setMetadata(llvm::LLVMContext::MD_invariant_load, llvm::MDNode::get(ctx_, {}));
  return load;
}

// A value that `make` computes from the context alone, the same for the whole
// call: computed once, in the entry block (which dominates every use), instead
// of at each use. Keeps the IR small; LLVM would merge the copies, but only
// after every pass before GVN had worked through them.
llvm::Value* FunctionBuilder::invariant(InvariantKey key, const std::function<llvm::Value*()>& make) {
  auto it = invariants_.find(key);
  if (it != invariants_.end()) return it->second;
  llvm::IRBuilder<>::InsertPointGuard guard(b_);
  b_.SetInsertPoint(entry_->getTerminator());
  if (subprogram_)
    b_.SetCurrentDebugLocation(llvm::DILocation::get(
        ctx_, wasm_.codes[func_index_ - wasm_.num_imported_funcs].code.offset, 0, subprogram_));
  llvm::Value* v = make();
  invariants_.emplace(key, v);
  return v;
}

llvm::Value* FunctionBuilder::context_field(size_t offset, const char* name) {
  return invariant({InvariantKind::ContextField, offset, 0}, [&] {
    return invariant_pointer(b_.CreateConstGEP1_64(b_.getInt8Ty(), context_, offset), name);
  });
}

// Entry `index` of the context's array at `offset` (memories, globals, functions).
llvm::Value* FunctionBuilder::context_array_entry(size_t offset, const char* array, uint32_t index) {
  return invariant({InvariantKind::ArrayEntry, offset, index}, [&] {
    return invariant_pointer(b_.CreateConstGEP1_64(b_.getPtrTy(), context_field(offset, array), index));
  });
}

llvm::Value* FunctionBuilder::memory_definition(uint32_t memory) {
  return context_array_entry(offsets::kContextMemories, "memories", memory);
}

// A memory's base never moves (its whole reach is reserved up front).
llvm::Value* FunctionBuilder::memory_base(uint32_t memory) {
  return invariant({InvariantKind::MemoryBase, memory, 0},
                   [&] { return invariant_pointer(memory_definition(memory), "base"); });
}

// The address of an access of `size` bytes at `address` + `offset`. A 32-bit
// memory's guard region catches any access past its end; a 64-bit one is
// checked against its current size.
llvm::Value* FunctionBuilder::effective_address(uint32_t memory, llvm::Value* address, uint64_t offset, uint32_t size) {
  bool is64 = wasm_.memory_type(memory).limits.is64;
  llvm::Value* base = memory_base(memory);
  if (!is64) {
    llvm::Value* index = b_.CreateAdd(b_.CreateZExt(address, b_.getInt64Ty()), b_.getInt64(offset));
    return b_.CreateGEP(b_.getInt8Ty(), base, index);
  }
  // ea = address + offset (no overflow), ea + size <= memory size.
  llvm::Value* sum = b_.CreateIntrinsic(llvm::Intrinsic::uadd_with_overflow, {b_.getInt64Ty()},
                                        {address, b_.getInt64(offset)});
  llvm::Value* ea = b_.CreateExtractValue(sum, {0});
  llvm::Value* overflow = b_.CreateExtractValue(sum, {1});
  llvm::Value* bytes = b_.CreateLoad(b_.getInt64Ty(), b_.CreateConstGEP1_64(b_.getInt8Ty(), memory_definition(memory),
                                                                            offsets::kMemorySize));
  llvm::Value* out = b_.CreateOr(overflow, b_.CreateICmpUGT(ea, b_.CreateSub(bytes, b_.getInt64(size))));
  out = b_.CreateOr(out, b_.CreateICmpULT(bytes, b_.getInt64(size)));
  trap_if(out, TrapCode::MemoryOutOfBounds);
  return b_.CreateGEP(b_.getInt8Ty(), base, ea);
}

// An access that only the guard region bounds-checks is volatile: LLVM must
// neither drop it when its value is unused (`(drop (i32.load ...))` must still
// trap) nor move it across another access, so that memory holds exactly what
// the interpreter leaves when the fault comes. Checked accesses need no such
// care: their check is a branch to a trap, which LLVM keeps in order.
bool FunctionBuilder::guarded_access(uint32_t memory) const { return !wasm_.memory_type(memory).limits.is64; }

// Where a guarded access faults is recorded exactly: LLVM's !pcsections puts
// the address of each machine instruction made from it into the object's
// kFaultSection with its wasm offset, also when instruction selection folds
// the load into the instruction that uses it, whose line (the line table's
// wasm offset) is that user's. compiler.cpp reads them back.
void FunctionBuilder::mark_guarded_access(llvm::Instruction* access) {
  llvm::Metadata* offset = llvm::ConstantAsMetadata::get(b_.getInt32(offset_));
  access->setMetadata(llvm::LLVMContext::MD_pcsections,
                      llvm::MDNode::get(ctx_, {llvm::MDString::get(ctx_, kFaultSection), llvm::MDNode::get(ctx_, {offset})}));
}

llvm::Value* FunctionBuilder::global_pointer(uint32_t global) {
  return context_array_entry(offsets::kContextGlobals, "globals", global);
}

llvm::Value* FunctionBuilder::function_header(uint32_t func) {
  return context_array_entry(offsets::kContextFunctions, "functions", func);
}

// ---- traps -----------------------------------------------------------------------

void FunctionBuilder::trap(TrapCode code) {
  b_.CreateCall(decls_.helper("kiln_trap"), {context_, b_.getInt32(static_cast<uint32_t>(code)),
                                             b_.getInt32(func_index_), b_.getInt32(offset_)});
  b_.CreateUnreachable();
}

void FunctionBuilder::trap_if(llvm::Value* condition, TrapCode code) {
  llvm::BasicBlock* trap_block = llvm::BasicBlock::Create(ctx_, "trap", function_);
  llvm::BasicBlock* next = llvm::BasicBlock::Create(ctx_, "ok", function_);
  llvm::MDBuilder md(ctx_);
  b_.CreateCondBr(condition, trap_block, next, md.createBranchWeights(1, 1 << 20));
  b_.SetInsertPoint(trap_block);
  trap(code);
  b_.SetInsertPoint(next);
}

void FunctionBuilder::trap_unless_none(llvm::Value* trap_code) {
  llvm::BasicBlock* trap_block = llvm::BasicBlock::Create(ctx_, "trap", function_);
  llvm::BasicBlock* next = llvm::BasicBlock::Create(ctx_, "ok", function_);
  llvm::MDBuilder md(ctx_);
  b_.CreateCondBr(b_.CreateICmpNE(trap_code, b_.getInt32(0)), trap_block, next, md.createBranchWeights(1, 1 << 20));
  b_.SetInsertPoint(trap_block);
  b_.CreateCall(decls_.helper("kiln_trap"), {context_, trap_code, b_.getInt32(func_index_), b_.getInt32(offset_)});
  b_.CreateUnreachable();
  b_.SetInsertPoint(next);
}

// ---- fuel, epochs, stack ---------------------------------------------------------

// As the interpreter: an epoch check at function entries and loop headers; fuel
// charged per segment (entry, loop header, after a loop) for the wasm
// instructions in it, at its start.
void FunctionBuilder::interruption_point() {
  if (options_.epoch_interruption) {
    llvm::Value* thread = context_field(offsets::kContextThread, "thread");
    llvm::Value* counter = b_.CreateLoad(b_.getPtrTy(), b_.CreateConstGEP1_64(b_.getInt8Ty(), thread, offsets::kThreadEpoch));
    llvm::LoadInst* epoch = b_.CreateAlignedLoad(b_.getInt64Ty(), counter, llvm::Align(8));
    epoch->setAtomic(llvm::AtomicOrdering::Monotonic);
    llvm::Value* deadline =
        b_.CreateLoad(b_.getInt64Ty(), b_.CreateConstGEP1_64(b_.getInt8Ty(), thread, offsets::kThreadEpochDeadline));
    trap_if(b_.CreateICmpUGE(epoch, deadline), TrapCode::Interrupted);
  }
  start_fuel_segment();
}

void FunctionBuilder::start_fuel_segment() {
  if (!options_.consume_fuel) return;
  close_fuel_segment();
  llvm::Value* thread = context_field(offsets::kContextThread, "thread");
  llvm::Value* fuel_ptr = b_.CreateConstGEP1_64(b_.getInt8Ty(), thread, offsets::kThreadFuel);
  llvm::Value* fuel = b_.CreateLoad(b_.getInt64Ty(), fuel_ptr);
  fuel_charge_ = llvm::cast<llvm::BinaryOperator>(b_.CreateSub(fuel, b_.getInt64(1), "", false, false));
  b_.CreateStore(fuel_charge_, fuel_ptr);
  fuel_count_ = 0;
  trap_if(b_.CreateICmpSLT(fuel_charge_, b_.getInt64(0)), TrapCode::OutOfFuel);
}

void FunctionBuilder::close_fuel_segment() {
  if (fuel_charge_) fuel_charge_->setOperand(1, b_.getInt64(std::max<uint32_t>(fuel_count_, 1)));
  fuel_charge_ = nullptr;
}

// Native frames grow the thread's own stack: below its limit, the call traps
// as the interpreter's does at its call depth limit.
void FunctionBuilder::check_native_stack() {
  llvm::Value* frame = b_.CreateIntrinsic(llvm::Intrinsic::frameaddress, {b_.getPtrTy()}, {b_.getInt32(0)});
  llvm::Value* thread = context_field(offsets::kContextThread, "thread");
  llvm::Value* limit = b_.CreateLoad(b_.getInt64Ty(), b_.CreateConstGEP1_64(b_.getInt8Ty(), thread, offsets::kThreadStackLimit));
  trap_if(b_.CreateICmpULT(b_.CreatePtrToInt(frame, b_.getInt64Ty()), limit), TrapCode::StackExhausted);
}

// ---- values in RawValue slots -----------------------------------------------------

std::vector<size_t> FunctionBuilder::slot_indices(const std::vector<ValType>& types, size_t* total) {
  std::vector<size_t> indices;
  size_t next = 0;
  for (const ValType& t : types) {
    indices.push_back(next);
    next += t.kind == ValKind::V128 ? 2 : 1;
  }
  if (total) *total = next;
  return indices;
}

// Slots are 8-byte aligned: a v128 in two of them is not 16-byte aligned.
llvm::Value* FunctionBuilder::load_slot(llvm::IRBuilder<>& b, llvm::Type* type, llvm::Value* slots, size_t index) {
  return b.CreateAlignedLoad(type, b.CreateConstGEP1_64(b.getInt64Ty(), slots, index), llvm::Align(8));
}

void FunctionBuilder::store_slot(llvm::IRBuilder<>& b, llvm::Value* value, llvm::Value* slots, size_t index) {
  b.CreateAlignedStore(value, b.CreateConstGEP1_64(b.getInt64Ty(), slots, index), llvm::Align(8));
}

// ---- calls -----------------------------------------------------------------------

// Pushes a call's results (a struct for several) onto the stack.
void FunctionBuilder::push_results(llvm::Value* result, const ir::FuncType& type) {
  if (type.results.size() == 1) push(result);
  else
    for (size_t i = 0; i < type.results.size(); ++i) push(b_.CreateExtractValue(result, {static_cast<unsigned>(i)}));
}

// A call of a function this chunk compiles: a plain call with this context
// (the callee is of this instance). No record of it is kept: a trap's
// backtrace follows the frame pointers (native/entry.cpp).
void FunctionBuilder::call_direct(uint32_t defined_index, const ir::FuncType& type, bool tail) {
  size_t n = type.params.size();
  std::vector<llvm::Value*> args{context_};
  args.insert(args.end(), stack_.end() - n, stack_.end());
  stack_.resize(stack_.size() - n);
  llvm::FunctionType* callee_type = native_type(type);
  if (unsupported_) return;
  llvm::CallInst* result = b_.CreateCall(decls_.function(defined_index, callee_type), args);
  keep_call_site(result);
  if (tail && return_with(result)) {
    set_unreachable();
    return;
  }
  push_results(result, type);
  if (tail) return_call_results();
}

// return_call's end where the call is a real tail call (musttail): the
// callee's frame replaces this one, as in the interpreter, so tail recursion
// runs in constant stack. LLVM guarantees one for the C calling convention
// only when the callee's signature is this function's (tailcc would allow any,
// but costs every call: fib 1.27x native instead of 1.05x). A function with
// a tail call of another signature stays interpreted. A loop entry (kiln_o<i>)
// makes an ordinary call: its callee returns to it and it returns the results.
bool FunctionBuilder::return_with(llvm::CallInst* call) {
  if (entry_frame_) return false;
  if (call->getFunctionType() != function_->getFunctionType()) {
    unsupported("a tail call of a function of another signature is not compiled yet");
    return false;
  }
  // Nor where LLVM returns the results in memory (more than three integers, or
  // four floats, on x86-64).
  if (auto* results = llvm::dyn_cast<llvm::StructType>(call->getType())) {
    unsigned integers = 0, floats = 0;
    for (llvm::Type* t : results->elements()) (t->isFloatingPointTy() || t->isVectorTy() ? floats : integers)++;
    if (integers > 3 || floats > 4) {
      unsupported("a tail call of a function with " + std::to_string(results->getNumElements()) +
                  " results (returned in memory) is not compiled yet");
      return false;
    }
  }
  call->setTailCallKind(llvm::CallInst::TCK_MustTail);
  if (call->getType()->isVoidTy()) b_.CreateRetVoid();
  else b_.CreateRet(call);
  return true;
}

// return_call's end where the callee returned here (through an entry): its
// results, on the stack, are this function's.
void FunctionBuilder::return_call_results() {
  return_values();
  set_unreachable();
}

// A call's return address names its wasm call instruction in backtraces, so
// LLVM must not merge equal calls of two branches into one (whose location
// would be neither's).
void FunctionBuilder::keep_call_site(llvm::CallInst* call) { call->addFnAttr(llvm::Attribute::NoMerge); }

void FunctionBuilder::call_function(llvm::Value* header, const ir::FuncType& type, bool tail) {
  size_t n = type.params.size();
  std::vector<llvm::Value*> args(stack_.end() - n, stack_.end());
  stack_.resize(stack_.size() - n);
  llvm::FunctionType* callee_type = native_type(type);
  if (unsupported_) return;
  llvm::Value* native = b_.CreateLoad(b_.getPtrTy(), b_.CreateConstGEP1_64(b_.getInt8Ty(), header, offsets::kFunctionNative));
  llvm::BasicBlock* direct = llvm::BasicBlock::Create(ctx_, "direct_call", function_);
  llvm::BasicBlock* through_entry = llvm::BasicBlock::Create(ctx_, "entry_call", function_);
  llvm::BasicBlock* done = llvm::BasicBlock::Create(ctx_, "called", function_);
  b_.CreateCondBr(b_.CreateIsNotNull(native), direct, through_entry);

  b_.SetInsertPoint(direct);
  llvm::Value* callee_context =
      b_.CreateLoad(b_.getPtrTy(), b_.CreateConstGEP1_64(b_.getInt8Ty(), header, offsets::kFunctionContext));
  std::vector<llvm::Value*> native_args{callee_context};
  native_args.insert(native_args.end(), args.begin(), args.end());
  llvm::CallInst* direct_result = b_.CreateCall(callee_type, native, native_args);
  keep_call_site(direct_result);
  // A tail call of native code is one; one through an entry returns here.
  bool direct_tail = tail && return_with(direct_result);
  llvm::BasicBlock* direct_end = b_.GetInsertBlock();
  if (!direct_tail) b_.CreateBr(done);

  b_.SetInsertPoint(through_entry);
  size_t param_slot_count = 0, result_slot_count = 0;
  std::vector<size_t> param_slots = slot_indices(type.params, &param_slot_count);
  std::vector<size_t> result_slots = slot_indices(type.results, &result_slot_count);
  size_t slot_count = std::max<size_t>({param_slot_count, result_slot_count, 1});
  llvm::AllocaInst* slots;
  {
    llvm::IRBuilder<>::InsertPointGuard guard(b_);
    b_.SetInsertPoint(entry_, entry_->begin());
    slots = b_.CreateAlloca(b_.getInt64Ty(), b_.getInt32(static_cast<uint32_t>(slot_count)));
  }
  for (size_t i = 0; i < n; ++i) store_slot(b_, args[i], slots, param_slots[i]);
  keep_call_site(b_.CreateCall(decls_.helper("kiln_call"), {context_, header, slots}));
  std::vector<llvm::Value*> entry_results;
  for (size_t i = 0; i < type.results.size(); ++i)
    entry_results.push_back(load_slot(b_, llvm_type(type.results[i]), slots, result_slots[i]));
  llvm::BasicBlock* entry_end = b_.GetInsertBlock();
  b_.CreateBr(done);

  b_.SetInsertPoint(done);
  for (size_t i = 0; i < type.results.size(); ++i) {
    if (direct_tail) {
      push(entry_results[i]);
      continue;
    }
    llvm::Type* t = llvm_type(type.results[i]);
    llvm::PHINode* phi = b_.CreatePHI(t, 2);
    llvm::Value* from_direct =
        type.results.size() == 1 ? direct_result : nullptr;
    if (!from_direct) {
      llvm::IRBuilder<>::InsertPointGuard guard(b_);
      b_.SetInsertPoint(direct_end->getTerminator());
      from_direct = b_.CreateExtractValue(direct_result, {static_cast<unsigned>(i)});
    }
    phi->addIncoming(from_direct, direct_end);
    phi->addIncoming(entry_results[i], entry_end);
    push(phi);
  }
  if (tail) return_call_results();
}

void FunctionBuilder::translate_call(const Instruction& in) {
  bool tail = in.op == Opcode::ReturnCall || in.op == Opcode::ReturnCallIndirect;
  if (tail && refuse_tail_calls_) {
    unsupported("tail calls are compiled only where every function of the module is");
    return;
  }
  made_tail_calls_ = made_tail_calls_ || tail;
  switch (in.op) {
    case Opcode::Call:
    case Opcode::ReturnCall:
      if (in.index >= wasm_.num_imported_funcs && decls_.in_chunk(in.index - wasm_.num_imported_funcs))
        call_direct(in.index - wasm_.num_imported_funcs, wasm_.func_type(in.index), tail);
      else
        call_function(function_header(in.index), wasm_.func_type(in.index), tail);
      break;
    case Opcode::CallIndirect:
    case Opcode::ReturnCallIndirect: {
      llvm::Value* index = pop();
      const ir::TableType table = wasm_.table_type(in.index2);
      if (!table.limits.is64) index = b_.CreateZExt(index, b_.getInt64Ty());
      llvm::Value* tables = context_field(offsets::kContextTables, "tables");
      llvm::Value* def = b_.CreateLoad(b_.getPtrTy(), b_.CreateConstGEP1_64(b_.getPtrTy(), tables, in.index2));
      llvm::Value* size = b_.CreateLoad(b_.getInt64Ty(), b_.CreateConstGEP1_64(b_.getInt8Ty(), def, offsets::kTableSize));
      trap_if(b_.CreateICmpUGE(index, size), TrapCode::UndefinedElement);
      llvm::Value* elements = b_.CreateLoad(b_.getPtrTy(), def);
      llvm::Value* callee = b_.CreateLoad(b_.getPtrTy(), b_.CreateGEP(b_.getPtrTy(), elements, index));
      trap_if(b_.CreateIsNull(callee), TrapCode::UninitializedElement);
      llvm::Value* type_ids = context_field(offsets::kContextTypeIds, "type_ids");
      llvm::LoadInst* expected = b_.CreateLoad(b_.getInt32Ty(), b_.CreateConstGEP1_64(b_.getInt32Ty(), type_ids, in.index));
      expected->setMetadata(llvm::LLVMContext::MD_invariant_load, llvm::MDNode::get(ctx_, {}));
      llvm::Value* actual = b_.CreateLoad(b_.getInt32Ty(), b_.CreateConstGEP1_64(b_.getInt8Ty(), callee, offsets::kFunctionTypeId));
      trap_if(b_.CreateICmpNE(actual, expected), TrapCode::IndirectCallTypeMismatch);
      call_function(callee, wasm_.types[in.index], tail);
      break;
    }
    default:
      unsupported(std::string(ir::op_name(in.op)) + " is not compiled yet");
      break;
  }
}

// ---- control -----------------------------------------------------------------------

std::vector<llvm::Value*> FunctionBuilder::top_values(size_t n) const {
  return std::vector<llvm::Value*>(stack_.end() - n, stack_.end());
}

void FunctionBuilder::add_incoming(Frame& target, const std::vector<llvm::Value*>& values) {
  llvm::BasicBlock* from = b_.GetInsertBlock();
  if (target.kind == FrameKind::Loop) {
    for (size_t i = 0; i < values.size(); ++i) target.loop_phis[i]->addIncoming(values[i], from);
  } else {
    target.incoming.emplace_back(from, values);
  }
}

void FunctionBuilder::set_unreachable() {
  reachable_ = false;
  stack_.resize(frames_.back().height);
}

void FunctionBuilder::return_values() {
  std::vector<llvm::Value*> results = top_values(type_.results.size());
  if (entry_frame_) {  // a loop entry: the results over the frame, as a trampoline writes them
    std::vector<size_t> result_slots = slot_indices(type_.results);
    for (size_t i = 0; i < results.size(); ++i) store_slot(b_, results[i], entry_frame_, result_slots[i]);
    b_.CreateRet(b_.getInt32(1));
  } else if (results.empty()) {
    b_.CreateRetVoid();
  } else if (results.size() == 1) {
    b_.CreateRet(results[0]);
  } else {
    llvm::Value* aggregate = llvm::UndefValue::get(function_->getReturnType());
    for (size_t i = 0; i < results.size(); ++i)
      aggregate = b_.CreateInsertValue(aggregate, results[i], {static_cast<unsigned>(i)});
    b_.CreateRet(aggregate);
  }
}

void FunctionBuilder::branch_to(uint32_t depth) {
  Frame& target = frame(depth);
  if (target.kind == FrameKind::Function) {
    return_values();
    return;
  }
  add_incoming(target, top_values(target.label_types().size()));
  b_.CreateBr(target.kind == FrameKind::Loop ? target.header : target.merge);
}

void FunctionBuilder::branch_table(const Instruction& in) {
  llvm::Value* index = pop();
  llvm::BasicBlock* from = b_.GetInsertBlock();
  // One block per entry, so each target's incoming values come from its own edge.
  auto edge = [&](uint32_t depth) {
    llvm::BasicBlock* block = llvm::BasicBlock::Create(ctx_, "br_table", function_);
    b_.SetInsertPoint(block);
    branch_to(depth);
    return block;
  };
  llvm::BasicBlock* default_block = edge(in.targets.back());
  std::vector<llvm::BasicBlock*> cases;
  for (size_t i = 0; i + 1 < in.targets.size(); ++i) cases.push_back(edge(in.targets[i]));
  b_.SetInsertPoint(from);
  llvm::SwitchInst* sw = b_.CreateSwitch(index, default_block, static_cast<unsigned>(cases.size()));
  for (size_t i = 0; i < cases.size(); ++i) sw->addCase(b_.getInt32(static_cast<uint32_t>(i)), cases[i]);
}

void FunctionBuilder::open_block(const Instruction& in, validate::FunctionValidator& v) {
  std::vector<ValType> params, results;
  v.block_signature(in.block, params, results);
  Frame f;
  f.kind = in.op == Opcode::Block ? FrameKind::Block : in.op == Opcode::Loop ? FrameKind::Loop : FrameKind::If;
  for (const ValType& t : params) f.params.push_back(llvm_type(t));
  for (const ValType& t : results) f.results.push_back(llvm_type(t));
  llvm::Value* condition = in.op == Opcode::If ? pop() : nullptr;
  f.height = stack_.size() - params.size();
  f.merge = llvm::BasicBlock::Create(ctx_, "end", function_);
  if (in.op == Opcode::Loop) {
    f.header = llvm::BasicBlock::Create(ctx_, "loop", function_);
    llvm::BasicBlock* from = b_.GetInsertBlock();
    b_.CreateBr(f.header);
    b_.SetInsertPoint(f.header);
    for (size_t i = 0; i < params.size(); ++i) {
      llvm::PHINode* phi = b_.CreatePHI(f.params[i], 2);
      phi->addIncoming(stack_[f.height + i], from);
      stack_[f.height + i] = phi;
      f.loop_phis.push_back(phi);
    }
    // A loop entry enters at loops whose state is all in locals.
    if (loop_entries_ && stack_.empty()) loop_entries_->addCase(b_.getInt32(in.offset), f.header);
    frames_.push_back(std::move(f));
    interruption_point();
    return;
  }
  if (in.op == Opcode::If) {
    llvm::BasicBlock* then_block = llvm::BasicBlock::Create(ctx_, "then", function_);
    f.else_block = llvm::BasicBlock::Create(ctx_, "else", function_);
    f.if_params = top_values(params.size());
    b_.CreateCondBr(b_.CreateICmpNE(condition, b_.getInt32(0)), then_block, f.else_block);
    b_.SetInsertPoint(then_block);
  }
  frames_.push_back(std::move(f));
}

void FunctionBuilder::translate_else() {
  Frame& f = frames_.back();
  if (reachable_) {
    add_incoming(f, top_values(f.results.size()));
    b_.CreateBr(f.merge);
  }
  b_.SetInsertPoint(f.else_block);
  f.else_block = nullptr;
  stack_.resize(f.height);
  stack_.insert(stack_.end(), f.if_params.begin(), f.if_params.end());
  reachable_ = true;
}

void FunctionBuilder::translate_end() {
  Frame& f = frames_.back();
  if (f.kind == FrameKind::Function) {
    if (reachable_) return_values();
    frames_.pop_back();
    return;
  }
  // Falling through the end (and an if's missing else) arrives at the merge
  // block with the results, for loops too (whose branches go to the header).
  if (reachable_) {
    f.incoming.emplace_back(b_.GetInsertBlock(), top_values(f.results.size()));
    b_.CreateBr(f.merge);
  }
  if (f.else_block) {  // an if without else: its false branch passes its params through
    b_.SetInsertPoint(f.else_block);
    f.incoming.emplace_back(f.else_block, f.if_params);
    b_.CreateBr(f.merge);
  }
  Frame done = std::move(frames_.back());
  frames_.pop_back();
  stack_.resize(done.height);
  if (done.incoming.empty()) {  // nothing arrives: what follows is unreachable
    done.merge->eraseFromParent();
    reachable_ = false;
    if (done.kind == FrameKind::Loop) begin_unreached_fuel_segment();
    return;
  }
  b_.SetInsertPoint(done.merge);
  reachable_ = true;
  for (size_t i = 0; i < done.results.size(); ++i) {
    llvm::PHINode* phi = b_.CreatePHI(done.results[i], static_cast<unsigned>(done.incoming.size()));
    for (const auto& [block, values] : done.incoming) phi->addIncoming(values[i], block);
    push(phi);
  }
  if (done.kind == FrameKind::Loop) start_fuel_segment();
}

// In unreachable code only the nesting matters, until the live frame's `else`
// or `end`.
// Fuel segments begin at every loop header and after every loop end that are
// live by the binary format's rules (FunctionValidator::live), also where
// nothing can arrive: what follows is charged to a segment that never runs,
// as in the interpreter.
void FunctionBuilder::begin_unreached_fuel_segment() {
  close_fuel_segment();
  fuel_count_ = 0;
}

void FunctionBuilder::translate_unreachable_code(const Instruction& in, const validate::FunctionValidator& v) {
  switch (in.op) {
    case Opcode::Loop:
      if (v.live()) begin_unreached_fuel_segment();
      ++dead_depth_;
      break;
    case Opcode::Block: case Opcode::If:
      ++dead_depth_;
      break;
    case Opcode::Else:
      if (dead_depth_ == 0) {
        offset_ = in.offset;
        translate_else();
      }
      break;
    case Opcode::End:
      if (dead_depth_ > 0) {
        --dead_depth_;
        if (v.control_stack().back().kind == validate::FrameKind::Loop && v.live(1)) begin_unreached_fuel_segment();
      } else {
        offset_ = in.offset;
        translate_end();
      }
      break;
    default:
      break;
  }
}

// ---- instructions ------------------------------------------------------------------

void FunctionBuilder::translate(const Instruction& in, validate::FunctionValidator& v) {
  switch (in.op) {
    case Opcode::Unreachable:
      trap(TrapCode::Unreachable);
      set_unreachable();
      return;
    case Opcode::Nop:
      return;
    case Opcode::Block: case Opcode::Loop: case Opcode::If:
      open_block(in, v);
      return;
    case Opcode::Else:
      translate_else();
      return;
    case Opcode::End:
      translate_end();
      return;
    case Opcode::Br:
      branch_to(in.index);
      set_unreachable();
      return;
    case Opcode::BrIf: {
      llvm::Value* condition = pop();
      llvm::BasicBlock* taken = llvm::BasicBlock::Create(ctx_, "br_if", function_);
      llvm::BasicBlock* next = llvm::BasicBlock::Create(ctx_, "br_if_not", function_);
      b_.CreateCondBr(b_.CreateICmpNE(condition, b_.getInt32(0)), taken, next);
      b_.SetInsertPoint(taken);
      branch_to(in.index);
      b_.SetInsertPoint(next);
      return;
    }
    case Opcode::BrTable:
      branch_table(in);
      set_unreachable();
      return;
    case Opcode::Return:
      return_values();
      set_unreachable();
      return;
    case Opcode::Call: case Opcode::CallIndirect: case Opcode::ReturnCall: case Opcode::ReturnCallIndirect:
      translate_call(in);
      return;
    case Opcode::Drop:
      pop();
      return;
    case Opcode::Select: case Opcode::SelectT: {
      llvm::Value* condition = pop();
      llvm::Value* second = pop();
      llvm::Value* first = pop();
      push(b_.CreateSelect(b_.CreateICmpNE(condition, b_.getInt32(0)), first, second));
      return;
    }
    case Opcode::LocalGet:
      push(b_.CreateLoad(locals_[in.index]->getAllocatedType(), locals_[in.index]));
      return;
    case Opcode::LocalSet:
      b_.CreateStore(pop(), locals_[in.index]);
      return;
    case Opcode::LocalTee:
      b_.CreateStore(stack_.back(), locals_[in.index]);
      return;
    case Opcode::GlobalGet: {
      ir::GlobalType g = wasm_.global_type(in.index);
      llvm::LoadInst* value = b_.CreateAlignedLoad(llvm_type(g.type), global_pointer(in.index), llvm::Align(8));
      if (!g.mutable_) value->setMetadata(llvm::LLVMContext::MD_invariant_load, llvm::MDNode::get(ctx_, {}));
      push(value);
      return;
    }
    case Opcode::GlobalSet:
      // Volatile, as guarded memory accesses are: a fault in one that follows
      // finds the global set, as in the interpreter.
      b_.CreateAlignedStore(pop(), global_pointer(in.index), llvm::Align(8), /*isVolatile=*/true);
      return;
    case Opcode::I32Const: push(b_.getInt32(static_cast<uint32_t>(in.bits))); return;
    case Opcode::I64Const: push(b_.getInt64(in.bits)); return;
    case Opcode::F32Const:
      push(b_.CreateBitCast(b_.getInt32(static_cast<uint32_t>(in.bits)), b_.getFloatTy()));
      return;
    case Opcode::F64Const: push(b_.CreateBitCast(b_.getInt64(in.bits), b_.getDoubleTy())); return;
    case Opcode::RefNull: push(llvm::ConstantPointerNull::get(b_.getPtrTy())); return;
    case Opcode::RefIsNull: push(b_.CreateZExt(b_.CreateIsNull(pop()), b_.getInt32Ty())); return;
    case Opcode::RefFunc: push(function_header(in.index)); return;
    default:
      break;
  }
  if (translate_numeric(in) || translate_simd(in)) return;
  translate_memory(in);
}

void FunctionBuilder::translate_memory(const Instruction& in) {
  // Loads and stores: (LLVM type of the access, wasm result type, signed)
  auto load = [&](llvm::Type* access, llvm::Type* result, bool is_signed) {
    uint32_t size = static_cast<uint32_t>(access->getPrimitiveSizeInBits() / 8);
    llvm::Value* ea = effective_address(in.memarg.memory, pop(), in.memarg.offset, size);
    llvm::LoadInst* loaded = b_.CreateAlignedLoad(access, ea, llvm::Align(1), guarded_access(in.memarg.memory));
    if (guarded_access(in.memarg.memory)) mark_guarded_access(loaded);
    llvm::Value* v = loaded;
    if (access != result) v = is_signed ? b_.CreateSExt(v, result) : b_.CreateZExt(v, result);
    push(v);
  };
  auto store = [&](llvm::Type* access) {
    llvm::Value* value = pop();
    uint32_t size = static_cast<uint32_t>(access->getPrimitiveSizeInBits() / 8);
    llvm::Value* ea = effective_address(in.memarg.memory, pop(), in.memarg.offset, size);
    if (value->getType() != access) value = b_.CreateTrunc(value, access);
    llvm::StoreInst* stored = b_.CreateAlignedStore(value, ea, llvm::Align(1), guarded_access(in.memarg.memory));
    if (guarded_access(in.memarg.memory)) mark_guarded_access(stored);
  };
  llvm::Type *i8 = b_.getInt8Ty(), *i16 = b_.getInt16Ty(), *i32 = b_.getInt32Ty(), *i64 = b_.getInt64Ty();
  auto memory_index = [&](uint32_t m) { return b_.getInt32(m); };
  auto address_operand = [&](llvm::Value* v) { return v->getType() == i64 ? v : b_.CreateZExt(v, i64); };
  auto table_operand = [&](llvm::Value* v) { return v->getType() == i64 ? v : b_.CreateZExt(v, i64); };
  switch (in.op) {
    case Opcode::I32Load: load(i32, i32, false); return;
    case Opcode::I64Load: load(i64, i64, false); return;
    case Opcode::F32Load: load(b_.getFloatTy(), b_.getFloatTy(), false); return;
    case Opcode::F64Load: load(b_.getDoubleTy(), b_.getDoubleTy(), false); return;
    case Opcode::I32Load8S: load(i8, i32, true); return;
    case Opcode::I32Load8U: load(i8, i32, false); return;
    case Opcode::I32Load16S: load(i16, i32, true); return;
    case Opcode::I32Load16U: load(i16, i32, false); return;
    case Opcode::I64Load8S: load(i8, i64, true); return;
    case Opcode::I64Load8U: load(i8, i64, false); return;
    case Opcode::I64Load16S: load(i16, i64, true); return;
    case Opcode::I64Load16U: load(i16, i64, false); return;
    case Opcode::I64Load32S: load(i32, i64, true); return;
    case Opcode::I64Load32U: load(i32, i64, false); return;
    case Opcode::I32Store: store(i32); return;
    case Opcode::I64Store: store(i64); return;
    case Opcode::F32Store: store(b_.getFloatTy()); return;
    case Opcode::F64Store: store(b_.getDoubleTy()); return;
    case Opcode::I32Store8: case Opcode::I64Store8: store(i8); return;
    case Opcode::I32Store16: case Opcode::I64Store16: store(i16); return;
    case Opcode::I64Store32: store(i32); return;
    case Opcode::MemorySize: {
      llvm::Value* bytes = b_.CreateLoad(i64, b_.CreateConstGEP1_64(b_.getInt8Ty(), memory_definition(in.index),
                                                                    offsets::kMemorySize));
      llvm::Value* pages = b_.CreateLShr(bytes, 16);
      push(wasm_.memory_type(in.index).limits.is64 ? pages : b_.CreateTrunc(pages, i32));
      return;
    }
    case Opcode::MemoryGrow: {
      bool is64 = wasm_.memory_type(in.index).limits.is64;
      llvm::Value* old = b_.CreateCall(decls_.helper("kiln_memory_grow"),
                                       {context_, memory_index(in.index), address_operand(pop())});
      push(is64 ? old : b_.CreateTrunc(old, i32));
      return;
    }
    case Opcode::MemoryFill: {
      llvm::Value* length = address_operand(pop());
      llvm::Value* value = pop();
      llvm::Value* dst = address_operand(pop());
      trap_unless_none(b_.CreateCall(decls_.helper("kiln_memory_fill"), {context_, memory_index(in.index), dst, value, length}));
      return;
    }
    case Opcode::MemoryCopy: {
      llvm::Value* length = address_operand(pop());
      llvm::Value* src = address_operand(pop());
      llvm::Value* dst = address_operand(pop());
      trap_unless_none(b_.CreateCall(decls_.helper("kiln_memory_copy"), {context_, memory_index(in.index),
                                                                         memory_index(in.index2), dst, src, length}));
      return;
    }
    case Opcode::MemoryInit: {
      llvm::Value* length = b_.CreateZExt(pop(), i64);
      llvm::Value* src = b_.CreateZExt(pop(), i64);
      llvm::Value* dst = address_operand(pop());
      trap_unless_none(b_.CreateCall(decls_.helper("kiln_memory_init"),
                                     {context_, memory_index(in.index2), b_.getInt32(in.index), dst, src, length}));
      return;
    }
    case Opcode::DataDrop:
      b_.CreateCall(decls_.helper("kiln_data_drop"), {context_, b_.getInt32(in.index)});
      return;
    case Opcode::TableGet: {
      llvm::Value* index = table_operand(pop());
      llvm::AllocaInst* out;
      {
        llvm::IRBuilder<>::InsertPointGuard guard(b_);
        b_.SetInsertPoint(entry_, entry_->begin());
        out = b_.CreateAlloca(b_.getPtrTy());
      }
      trap_unless_none(b_.CreateCall(decls_.helper("kiln_table_get"), {context_, b_.getInt32(in.index), index, out}));
      push(b_.CreateLoad(b_.getPtrTy(), out));
      return;
    }
    case Opcode::TableSet: {
      llvm::Value* value = pop();
      llvm::Value* index = table_operand(pop());
      trap_unless_none(b_.CreateCall(decls_.helper("kiln_table_set"), {context_, b_.getInt32(in.index), index, value}));
      return;
    }
    case Opcode::TableSize: {
      llvm::Value* tables = context_field(offsets::kContextTables, "tables");
      llvm::Value* def = b_.CreateLoad(b_.getPtrTy(), b_.CreateConstGEP1_64(b_.getPtrTy(), tables, in.index));
      llvm::Value* size = b_.CreateLoad(i64, b_.CreateConstGEP1_64(b_.getInt8Ty(), def, offsets::kTableSize));
      push(wasm_.table_type(in.index).limits.is64 ? size : b_.CreateTrunc(size, i32));
      return;
    }
    case Opcode::TableGrow: {
      bool is64 = wasm_.table_type(in.index).limits.is64;
      llvm::Value* delta = table_operand(pop());
      llvm::Value* init = pop();
      llvm::Value* old = b_.CreateCall(decls_.helper("kiln_table_grow"), {context_, b_.getInt32(in.index), init, delta});
      push(is64 ? old : b_.CreateTrunc(old, i32));
      return;
    }
    case Opcode::TableFill: {
      llvm::Value* length = table_operand(pop());
      llvm::Value* value = pop();
      llvm::Value* dst = table_operand(pop());
      trap_unless_none(b_.CreateCall(decls_.helper("kiln_table_fill"), {context_, b_.getInt32(in.index), dst, value, length}));
      return;
    }
    case Opcode::TableCopy: {
      llvm::Value* length = table_operand(pop());
      llvm::Value* src = table_operand(pop());
      llvm::Value* dst = table_operand(pop());
      trap_unless_none(b_.CreateCall(decls_.helper("kiln_table_copy"),
                                     {context_, b_.getInt32(in.index), b_.getInt32(in.index2), dst, src, length}));
      return;
    }
    case Opcode::TableInit: {
      llvm::Value* length = b_.CreateZExt(pop(), i64);
      llvm::Value* src = b_.CreateZExt(pop(), i64);
      llvm::Value* dst = table_operand(pop());
      trap_unless_none(b_.CreateCall(decls_.helper("kiln_table_init"),
                                     {context_, b_.getInt32(in.index2), b_.getInt32(in.index), dst, src, length}));
      return;
    }
    case Opcode::ElemDrop:
      b_.CreateCall(decls_.helper("kiln_elem_drop"), {context_, b_.getInt32(in.index)});
      return;
    default:
      break;
  }
  unsupported(std::string(ir::op_name(in.op)) + " is not compiled yet");
}

// A checked float-to-int truncation: NaN and out-of-range values trap, with the
// bounds of semantics::wasm_trunc.
llvm::Value* FunctionBuilder::checked_truncation(llvm::Value* x, llvm::Type* to, bool is_signed) {
  bool is_double = x->getType()->isDoubleTy();
  unsigned bits = to->getIntegerBitWidth();
  double upper = std::ldexp(1.0, is_signed ? static_cast<int>(bits) - 1 : static_cast<int>(bits));
  auto constant = [&](double v) { return llvm::ConstantFP::get(x->getType(), v); };
  trap_if(b_.CreateFCmpUNO(x, x), TrapCode::InvalidConversionToInteger);
  llvm::Value* in_range;
  if (is_signed) {
    // trunc(x) >= -upper: exclusive at -upper-1 where the float type has it.
    double below = -upper - 1;
    bool below_exact = is_double ? (below != -upper) : (static_cast<float>(below) != static_cast<float>(-upper));
    llvm::Value* low_ok = below_exact ? b_.CreateFCmpOGT(x, constant(below)) : b_.CreateFCmpOGE(x, constant(-upper));
    in_range = b_.CreateAnd(low_ok, b_.CreateFCmpOLT(x, constant(upper)));
  } else {
    in_range = b_.CreateAnd(b_.CreateFCmpOGT(x, constant(-1.0)), b_.CreateFCmpOLT(x, constant(upper)));
  }
  trap_if(b_.CreateNot(in_range), TrapCode::IntegerOverflow);
  return is_signed ? b_.CreateFPToSI(x, to) : b_.CreateFPToUI(x, to);
}

bool FunctionBuilder::translate_numeric(const Instruction& in) {
  using llvm::Intrinsic::ID;
  llvm::Type *i32 = b_.getInt32Ty(), *i64 = b_.getInt64Ty(), *f32 = b_.getFloatTy(), *f64 = b_.getDoubleTy();
  auto binary = [&](auto make) {
    llvm::Value* rhs = pop();
    llvm::Value* lhs = pop();
    push(make(lhs, rhs));
  };
  auto unary = [&](auto make) { push(make(pop())); };
  auto compare = [&](llvm::CmpInst::Predicate p) {
    binary([&](llvm::Value* a, llvm::Value* c) { return b_.CreateZExt(b_.CreateCmp(p, a, c), i32); });
  };
  auto intrinsic1 = [&](ID id) { unary([&](llvm::Value* a) { return b_.CreateUnaryIntrinsic(id, a); }); };
  auto intrinsic2 = [&](ID id) { binary([&](llvm::Value* a, llvm::Value* c) { return b_.CreateBinaryIntrinsic(id, a, c); }); };
  // A NaN that arithmetic produces must be quiet (an "arithmetic NaN"), but
  // LLVM folds x - 0.0, x * 1.0, x / -1.0 and the like to x (or -x), a
  // signalling NaN included, and its minimum and maximum pass a NaN operand on
  // as it is. Where an operand is such a constant, and after min and max, a
  // NaN result gets its quiet bit set. (llvm.canonicalize would say this, but
  // LLVM 19's x86 backend cannot select it.)
  auto quiet = [&](llvm::Value* v) {
    llvm::Type* bits = v->getType()->isFloatTy() ? b_.getInt32Ty() : b_.getInt64Ty();
    uint64_t quiet_bit = v->getType()->isFloatTy() ? 0x00400000u : 0x0008000000000000ull;
    llvm::Value* quieted = b_.CreateBitCast(b_.CreateOr(b_.CreateBitCast(v, bits), llvm::ConstantInt::get(bits, quiet_bit)),
                                            v->getType());
    return b_.CreateSelect(b_.CreateFCmpUNO(v, v), quieted, v);
  };
  auto foldable = [](llvm::Value* operand) {
    auto* c = llvm::dyn_cast<llvm::ConstantFP>(operand);
    if (!c) return false;
    const llvm::APFloat& f = c->getValueAPF();
    return f.isZero() || f.isExactlyValue(1.0) || f.isExactlyValue(-1.0);
  };
  auto arithmetic = [&](auto make, bool always_quiet = false) {
    binary([&](llvm::Value* a, llvm::Value* c) {
      llvm::Value* r = make(a, c);
      return always_quiet || foldable(a) || foldable(c) ? quiet(r) : r;
    });
  };
  auto count_zeros = [&](ID id) {
    unary([&](llvm::Value* a) { return b_.CreateIntrinsic(id, {a->getType()}, {a, b_.getFalse()}); });
  };
  // Shift and rotate counts are taken modulo the width, as wasm defines them.
  auto shift = [&](llvm::Instruction::BinaryOps op) {
    binary([&](llvm::Value* a, llvm::Value* c) {
      unsigned width = a->getType()->getIntegerBitWidth();
      return b_.CreateBinOp(op, a, b_.CreateAnd(c, llvm::ConstantInt::get(a->getType(), width - 1)));
    });
  };
  auto rotate = [&](ID id) {
    binary([&](llvm::Value* a, llvm::Value* c) { return b_.CreateIntrinsic(id, {a->getType()}, {a, a, c}); });
  };
  auto division = [&](bool is_signed, bool remainder) {
    llvm::Value* c = pop();
    llvm::Value* a = pop();
    llvm::Type* t = a->getType();
    trap_if(b_.CreateICmpEQ(c, llvm::ConstantInt::get(t, 0)), TrapCode::IntegerDivideByZero);
    if (!is_signed) {
      push(remainder ? b_.CreateURem(a, c) : b_.CreateUDiv(a, c));
      return;
    }
    llvm::Value* minus_one = b_.CreateICmpEQ(c, llvm::ConstantInt::getSigned(t, -1));
    if (!remainder) {
      llvm::Value* min = llvm::ConstantInt::get(t, llvm::APInt::getSignedMinValue(t->getIntegerBitWidth()));
      trap_if(b_.CreateAnd(minus_one, b_.CreateICmpEQ(a, min)), TrapCode::IntegerOverflow);
      push(b_.CreateSDiv(a, c));
      return;
    }
    // x % -1 is 0 (and INT_MIN % -1 must not reach srem).
    llvm::Value* safe_divisor = b_.CreateSelect(minus_one, llvm::ConstantInt::get(t, 1), c);
    push(b_.CreateSelect(minus_one, llvm::ConstantInt::get(t, 0), b_.CreateSRem(a, safe_divisor)));
  };
  auto saturating = [&](llvm::Type* to, bool is_signed) {
    unary([&](llvm::Value* a) {
      return b_.CreateIntrinsic(is_signed ? llvm::Intrinsic::fptosi_sat : llvm::Intrinsic::fptoui_sat,
                                {to, a->getType()}, {a});
    });
  };
  auto extend_low = [&](llvm::Type* narrow) {
    unary([&](llvm::Value* a) { return b_.CreateSExt(b_.CreateTrunc(a, narrow), a->getType()); });
  };
  using P = llvm::CmpInst::Predicate;
  using llvm::Instruction;
  switch (in.op) {
    case Opcode::I32Eqz: unary([&](llvm::Value* a) { return b_.CreateZExt(b_.CreateIsNull(a), i32); }); return true;
    case Opcode::I64Eqz: unary([&](llvm::Value* a) { return b_.CreateZExt(b_.CreateIsNull(a), i32); }); return true;
    case Opcode::I32Eq: case Opcode::I64Eq: compare(P::ICMP_EQ); return true;
    case Opcode::I32Ne: case Opcode::I64Ne: compare(P::ICMP_NE); return true;
    case Opcode::I32LtS: case Opcode::I64LtS: compare(P::ICMP_SLT); return true;
    case Opcode::I32LtU: case Opcode::I64LtU: compare(P::ICMP_ULT); return true;
    case Opcode::I32GtS: case Opcode::I64GtS: compare(P::ICMP_SGT); return true;
    case Opcode::I32GtU: case Opcode::I64GtU: compare(P::ICMP_UGT); return true;
    case Opcode::I32LeS: case Opcode::I64LeS: compare(P::ICMP_SLE); return true;
    case Opcode::I32LeU: case Opcode::I64LeU: compare(P::ICMP_ULE); return true;
    case Opcode::I32GeS: case Opcode::I64GeS: compare(P::ICMP_SGE); return true;
    case Opcode::I32GeU: case Opcode::I64GeU: compare(P::ICMP_UGE); return true;
    // Ordered comparisons are false on NaN, as wasm's; ne is unordered (true on NaN).
    case Opcode::F32Eq: case Opcode::F64Eq: compare(P::FCMP_OEQ); return true;
    case Opcode::F32Ne: case Opcode::F64Ne: compare(P::FCMP_UNE); return true;
    case Opcode::F32Lt: case Opcode::F64Lt: compare(P::FCMP_OLT); return true;
    case Opcode::F32Gt: case Opcode::F64Gt: compare(P::FCMP_OGT); return true;
    case Opcode::F32Le: case Opcode::F64Le: compare(P::FCMP_OLE); return true;
    case Opcode::F32Ge: case Opcode::F64Ge: compare(P::FCMP_OGE); return true;

    case Opcode::I32Clz: case Opcode::I64Clz: count_zeros(llvm::Intrinsic::ctlz); return true;
    case Opcode::I32Ctz: case Opcode::I64Ctz: count_zeros(llvm::Intrinsic::cttz); return true;
    case Opcode::I32Popcnt: case Opcode::I64Popcnt: intrinsic1(llvm::Intrinsic::ctpop); return true;
    case Opcode::I32Add: case Opcode::I64Add:
      binary([&](llvm::Value* a, llvm::Value* c) { return b_.CreateAdd(a, c); }); return true;
    case Opcode::I32Sub: case Opcode::I64Sub:
      binary([&](llvm::Value* a, llvm::Value* c) { return b_.CreateSub(a, c); }); return true;
    case Opcode::I32Mul: case Opcode::I64Mul:
      binary([&](llvm::Value* a, llvm::Value* c) { return b_.CreateMul(a, c); }); return true;
    case Opcode::I32DivS: case Opcode::I64DivS: division(true, false); return true;
    case Opcode::I32DivU: case Opcode::I64DivU: division(false, false); return true;
    case Opcode::I32RemS: case Opcode::I64RemS: division(true, true); return true;
    case Opcode::I32RemU: case Opcode::I64RemU: division(false, true); return true;
    case Opcode::I32And: case Opcode::I64And:
      binary([&](llvm::Value* a, llvm::Value* c) { return b_.CreateAnd(a, c); }); return true;
    case Opcode::I32Or: case Opcode::I64Or:
      binary([&](llvm::Value* a, llvm::Value* c) { return b_.CreateOr(a, c); }); return true;
    case Opcode::I32Xor: case Opcode::I64Xor:
      binary([&](llvm::Value* a, llvm::Value* c) { return b_.CreateXor(a, c); }); return true;
    case Opcode::I32Shl: case Opcode::I64Shl: shift(Instruction::Shl); return true;
    case Opcode::I32ShrS: case Opcode::I64ShrS: shift(Instruction::AShr); return true;
    case Opcode::I32ShrU: case Opcode::I64ShrU: shift(Instruction::LShr); return true;
    case Opcode::I32Rotl: case Opcode::I64Rotl: rotate(llvm::Intrinsic::fshl); return true;
    case Opcode::I32Rotr: case Opcode::I64Rotr: rotate(llvm::Intrinsic::fshr); return true;

    case Opcode::F32Abs: case Opcode::F64Abs: intrinsic1(llvm::Intrinsic::fabs); return true;
    case Opcode::F32Neg: case Opcode::F64Neg: unary([&](llvm::Value* a) { return b_.CreateFNeg(a); }); return true;
    case Opcode::F32Ceil: case Opcode::F64Ceil: intrinsic1(llvm::Intrinsic::ceil); return true;
    case Opcode::F32Floor: case Opcode::F64Floor: intrinsic1(llvm::Intrinsic::floor); return true;
    case Opcode::F32Trunc: case Opcode::F64Trunc: intrinsic1(llvm::Intrinsic::trunc); return true;
    case Opcode::F32Nearest: case Opcode::F64Nearest: intrinsic1(llvm::Intrinsic::roundeven); return true;
    case Opcode::F32Sqrt: case Opcode::F64Sqrt: intrinsic1(llvm::Intrinsic::sqrt); return true;
    case Opcode::F32Add: case Opcode::F64Add:
      arithmetic([&](llvm::Value* a, llvm::Value* c) { return b_.CreateFAdd(a, c); }); return true;
    case Opcode::F32Sub: case Opcode::F64Sub:
      arithmetic([&](llvm::Value* a, llvm::Value* c) { return b_.CreateFSub(a, c); }); return true;
    case Opcode::F32Mul: case Opcode::F64Mul:
      arithmetic([&](llvm::Value* a, llvm::Value* c) { return b_.CreateFMul(a, c); }); return true;
    case Opcode::F32Div: case Opcode::F64Div:
      arithmetic([&](llvm::Value* a, llvm::Value* c) { return b_.CreateFDiv(a, c); }); return true;
    // llvm.minimum/maximum: NaN-propagating, -0 < +0, as wasm's min and max.
    case Opcode::F32Min: case Opcode::F64Min:
      arithmetic([&](llvm::Value* a, llvm::Value* c) { return b_.CreateBinaryIntrinsic(llvm::Intrinsic::minimum, a, c); },
                 true);
      return true;
    case Opcode::F32Max: case Opcode::F64Max:
      arithmetic([&](llvm::Value* a, llvm::Value* c) { return b_.CreateBinaryIntrinsic(llvm::Intrinsic::maximum, a, c); },
                 true);
      return true;
    case Opcode::F32Copysign: case Opcode::F64Copysign: intrinsic2(llvm::Intrinsic::copysign); return true;

    case Opcode::I32WrapI64: unary([&](llvm::Value* a) { return b_.CreateTrunc(a, i32); }); return true;
    case Opcode::I32TruncF32S: case Opcode::I32TruncF64S:
      unary([&](llvm::Value* a) { return checked_truncation(a, i32, true); }); return true;
    case Opcode::I32TruncF32U: case Opcode::I32TruncF64U:
      unary([&](llvm::Value* a) { return checked_truncation(a, i32, false); }); return true;
    case Opcode::I64TruncF32S: case Opcode::I64TruncF64S:
      unary([&](llvm::Value* a) { return checked_truncation(a, i64, true); }); return true;
    case Opcode::I64TruncF32U: case Opcode::I64TruncF64U:
      unary([&](llvm::Value* a) { return checked_truncation(a, i64, false); }); return true;
    case Opcode::I64ExtendI32S: unary([&](llvm::Value* a) { return b_.CreateSExt(a, i64); }); return true;
    case Opcode::I64ExtendI32U: unary([&](llvm::Value* a) { return b_.CreateZExt(a, i64); }); return true;
    case Opcode::F32ConvertI32S: case Opcode::F32ConvertI64S:
      unary([&](llvm::Value* a) { return b_.CreateSIToFP(a, f32); }); return true;
    case Opcode::F32ConvertI32U: case Opcode::F32ConvertI64U:
      unary([&](llvm::Value* a) { return b_.CreateUIToFP(a, f32); }); return true;
    case Opcode::F64ConvertI32S: case Opcode::F64ConvertI64S:
      unary([&](llvm::Value* a) { return b_.CreateSIToFP(a, f64); }); return true;
    case Opcode::F64ConvertI32U: case Opcode::F64ConvertI64U:
      unary([&](llvm::Value* a) { return b_.CreateUIToFP(a, f64); }); return true;
    case Opcode::F32DemoteF64:
      // LLVM folds demote(promote(x)) to x: keep a NaN through it quiet.
      unary([&](llvm::Value* a) {
        llvm::Value* r = b_.CreateFPTrunc(a, f32);
        return llvm::isa<llvm::FPExtInst>(a) ? quiet(r) : r;
      });
      return true;
    case Opcode::F64PromoteF32: unary([&](llvm::Value* a) { return b_.CreateFPExt(a, f64); }); return true;
    case Opcode::I32ReinterpretF32: unary([&](llvm::Value* a) { return b_.CreateBitCast(a, i32); }); return true;
    case Opcode::I64ReinterpretF64: unary([&](llvm::Value* a) { return b_.CreateBitCast(a, i64); }); return true;
    case Opcode::F32ReinterpretI32: unary([&](llvm::Value* a) { return b_.CreateBitCast(a, f32); }); return true;
    case Opcode::F64ReinterpretI64: unary([&](llvm::Value* a) { return b_.CreateBitCast(a, f64); }); return true;
    case Opcode::I32Extend8S: case Opcode::I64Extend8S: extend_low(b_.getInt8Ty()); return true;
    case Opcode::I32Extend16S: case Opcode::I64Extend16S: extend_low(b_.getInt16Ty()); return true;
    case Opcode::I64Extend32S: extend_low(i32); return true;
    case Opcode::I32TruncSatF32S: case Opcode::I32TruncSatF64S: saturating(i32, true); return true;
    case Opcode::I32TruncSatF32U: case Opcode::I32TruncSatF64U: saturating(i32, false); return true;
    case Opcode::I64TruncSatF32S: case Opcode::I64TruncSatF64S: saturating(i64, true); return true;
    case Opcode::I64TruncSatF32U: case Opcode::I64TruncSatF64U: saturating(i64, false); return true;
    default:
      return false;
  }
}

}  // namespace kiln::llvmtier
