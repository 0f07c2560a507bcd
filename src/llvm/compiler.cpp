#include "llvm/compiler.h"

#include <llvm/DebugInfo/DWARF/DWARFContext.h>
#include <llvm/IR/LegacyPassManager.h>
#include <llvm/IR/Verifier.h>
#include <llvm/MC/TargetRegistry.h>
#include <llvm/BinaryFormat/ELF.h>
#include <llvm/CodeGen/Passes.h>
#include <llvm/CodeGen/RegAllocRegistry.h>
#include <llvm/Object/ELFObjectFile.h>
#include <llvm/Object/ObjectFile.h>
#include <llvm/IR/PassTimingInfo.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Passes/StandardInstrumentations.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Target/TargetMachine.h>
#include <llvm/TargetParser/Host.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <cstdlib>
#include <map>
#include <mutex>
#include <optional>

#include "base/parallel.h"
#include "binary/decoder.h"
#include "llvm/function_builder.h"
#include "validate/validator.h"

namespace kiln::llvmtier {

namespace {

// Functions compiled together in one LLVM module: enough to amortize a
// module's fixed costs, small enough that chunks spread over the threads (a
// small module is cut into a few chunks per thread, down to kMinChunkBytes).
constexpr size_t kChunkBytes = 64 * 1024;
constexpr size_t kMinChunkBytes = 4 * 1024;
constexpr size_t kChunksPerThread = 4;
constexpr size_t kChunkFunctions = 64;
// A chunk is also what a compiled module loads at once (copied, relocated)
// when one of its functions is first called. A run of a big module calls a
// small part of it, spread over the whole module (yosys' -V calls 1193 of
// its 34004 functions, from static constructors in every source file), so
// bulk compiles make chunks of fewer functions.
constexpr size_t kBulkChunkBytes = 16 * 1024;
constexpr size_t kBulkChunkFunctions = 16;
// Bodies above this size are optimized at O1: O2's cost grows faster than
// linearly on huge functions (yosys has some of several megabytes).
constexpr size_t kHugeFunctionBytes = 256 * 1024;
// A request with more code than this is compiled in bulk: every function at
// O1, with LLVM's basic register allocator instead of the greedy one (whose
// global live-range splitting was three quarters of its time). Measured on
// a thirtieth of yosys: 24% less compile time, code 1% bigger. Only `kiln
// compile` (and the auto tier's whole-module compile) of a big module asks
// for so much at once: the auto tier compiles the hot functions of a big
// module a batch of at most 48 KB at a time, and those get O2.
constexpr size_t kBulkCodeBytes = 4 << 20;

struct Chunk {
  std::vector<uint32_t> functions;  // defined indices
  size_t bytes = 0;
};

std::vector<Chunk> make_chunks(const ir::Module& m, const std::vector<uint32_t>& functions, size_t threads,
                               bool bulk) {
  size_t total = 0;
  for (uint32_t f : functions) total += m.codes[f].whole.size;
  size_t limit = bulk ? kBulkChunkBytes
                      : std::clamp(total / std::max<size_t>(threads * kChunksPerThread, 1), kMinChunkBytes, kChunkBytes);
  size_t max_functions = bulk ? kBulkChunkFunctions : kChunkFunctions;
  std::vector<Chunk> chunks;
  for (uint32_t f : functions) {
    size_t size = m.codes[f].whole.size;
    if (chunks.empty() || chunks.back().bytes + size > limit || chunks.back().functions.size() >= max_functions)
      chunks.emplace_back();
    chunks.back().functions.push_back(f);
    chunks.back().bytes += size;
  }
  return chunks;
}

std::unique_ptr<llvm::TargetMachine> host_machine(llvm::CodeGenOptLevel level) {
  std::string triple = llvm::sys::getProcessTriple();
  std::string error;
  const llvm::Target* target = llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target) return nullptr;
  std::string features;
  for (const auto& feature : llvm::sys::getHostCPUFeatures())
    features += (features.empty() ? "" : ",") + std::string(feature.second ? "+" : "-") + feature.first().str();
  llvm::TargetOptions options;
  // Static code in the large code model: every reference to a helper, a
  // constant or a jump table is an absolute address the loader fills in, so
  // the code can live anywhere in the address space.
  return std::unique_ptr<llvm::TargetMachine>(target->createTargetMachine(
      triple, llvm::sys::getHostCPUName(), features, options, llvm::Reloc::Static, llvm::CodeModel::Large, level));
}

void optimize(llvm::Module& module, llvm::TargetMachine& machine, llvm::OptimizationLevel level) {
  llvm::LoopAnalysisManager loops;
  llvm::FunctionAnalysisManager functions;
  llvm::CGSCCAnalysisManager cgscc;
  llvm::ModuleAnalysisManager modules;
  // For contributors: KILN_LLVM_OPTIONS=-time-passes times these passes too.
  llvm::PassInstrumentationCallbacks instrumentation;
  std::optional<llvm::StandardInstrumentations> standard;
  if (llvm::TimePassesIsEnabled) {
    standard.emplace(module.getContext(), false);
    standard->registerCallbacks(instrumentation, &modules);
  }
  llvm::PassBuilder builder(&machine, llvm::PipelineTuningOptions(), std::nullopt,
                            llvm::TimePassesIsEnabled ? &instrumentation : nullptr);
  builder.registerModuleAnalyses(modules);
  builder.registerCGSCCAnalyses(cgscc);
  builder.registerFunctionAnalyses(functions);
  builder.registerLoopAnalyses(loops);
  builder.crossRegisterProxies(loops, functions, cgscc, modules);
  llvm::ModulePassManager pipeline = builder.buildPerModuleDefaultPipeline(level);
  pipeline.run(module, modules);
}

Expected<std::vector<uint8_t>> emit_object(llvm::Module& module, llvm::TargetMachine& machine) {
  llvm::SmallVector<char, 0> buffer;
  llvm::raw_svector_ostream out(buffer);
  llvm::legacy::PassManager passes;
  if (machine.addPassesToEmitFile(passes, out, nullptr, llvm::CodeGenFileType::ObjectFile))
    return Error(ErrorKind::Unsupported, "LLVM cannot emit an object file for this target");
  passes.run(module);
  return std::vector<uint8_t>(buffer.begin(), buffer.end());
}

// The value of `e`, or none with its error consumed: what the object reader
// cannot read (a name, an address) is left out.
template <typename T>
std::optional<T> value_of(llvm::Expected<T> e) {
  if (e) return std::move(*e);
  llvm::consumeError(e.takeError());
  return std::nullopt;
}

// The guarded accesses of the object's kFaultSection: (address in .text, wasm
// offset). LLVM writes it as groups, one per metadata node: the address of
// each instruction with that node (a relocation against the code: an access
// unrolled or duplicated has several), then the node's wasm offset (4 bytes).
std::vector<std::pair<uint64_t, uint32_t>> read_fault_addresses(const llvm::object::ObjectFile& file) {
  std::vector<std::pair<uint64_t, uint32_t>> out;
  for (const llvm::object::SectionRef& section : file.sections()) {
    if (value_of(section.getName()) != kFaultSection) continue;
    std::optional<llvm::StringRef> contents = value_of(section.getContents());
    if (!contents) return out;
    std::map<uint64_t, std::pair<uint64_t, uint64_t>> pcs;  // entry offset -> (code address, entry size)
    for (const llvm::object::SectionRef& rela : file.sections()) {
      if (value_of(rela.getRelocatedSection()) != section) continue;
      for (const llvm::object::RelocationRef& r : rela.relocations()) {
        llvm::object::symbol_iterator symbol = r.getSymbol();
        if (symbol == file.symbol_end()) continue;
        std::optional<uint64_t> address = value_of(symbol->getAddress());
        std::optional<int64_t> addend = value_of(llvm::object::ELFRelocationRef(r).getAddend());
        if (!address || !addend) continue;
        uint64_t size = r.getType() == llvm::ELF::R_X86_64_PC64 ? 8 : 4;
        pcs[r.getOffset()] = {*address + *addend, size};
      }
    }
    std::vector<uint64_t> pending;
    for (uint64_t at = 0; at + 4 <= contents->size();) {
      auto pc = pcs.find(at);
      if (pc != pcs.end()) {
        pending.push_back(pc->second.first);
        at += pc->second.second;
        continue;
      }
      uint32_t wasm_offset;
      std::memcpy(&wasm_offset, contents->data() + at, 4);
      for (uint64_t address : pending) out.emplace_back(address, wasm_offset);
      pending.clear();
      at += 4;
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

// What the loader needs of a chunk's object once add_offsets has read the
// line table and kFaultSection: the allocated sections but kFaultSection,
// their relocations, the symbol table and the names. The rest (DWARF, the
// fault section and its relocations: half of a chunk's bytes) would only be
// stored, checksummed and read again at every load. Removed sections keep
// their index, as empty SHT_NULL headers, so that no symbol or relocation
// needs renumbering.
void strip_for_loading(std::vector<uint8_t>& object) {
  using llvm::ELF::Elf64_Ehdr, llvm::ELF::Elf64_Shdr;
  Elf64_Ehdr header;
  if (object.size() < sizeof header) return;
  std::memcpy(&header, object.data(), sizeof header);
  if (header.e_shentsize != sizeof(Elf64_Shdr) || header.e_shoff > object.size() ||
      header.e_shnum > (object.size() - header.e_shoff) / sizeof(Elf64_Shdr) || header.e_shstrndx >= header.e_shnum)
    return;
  std::vector<Elf64_Shdr> sections(header.e_shnum);
  std::memcpy(sections.data(), object.data() + header.e_shoff, sections.size() * sizeof(Elf64_Shdr));
  for (const Elf64_Shdr& section : sections)
    if (section.sh_type != llvm::ELF::SHT_NOBITS &&
        (section.sh_offset > object.size() || section.sh_size > object.size() - section.sh_offset))
      return;
  const Elf64_Shdr& names = sections[header.e_shstrndx];
  auto is_fault_section = [&](const Elf64_Shdr& section) {
    uint64_t at = names.sh_offset + section.sh_name;
    return at < object.size() &&
           std::strncmp(reinterpret_cast<const char*>(object.data() + at), kFaultSection, object.size() - at) == 0;
  };
  std::vector<bool> keep(sections.size(), false);
  keep[header.e_shstrndx] = true;
  for (size_t i = 0; i < sections.size(); ++i) {
    const Elf64_Shdr& section = sections[i];
    if ((section.sh_flags & llvm::ELF::SHF_ALLOC) && !is_fault_section(section)) keep[i] = true;
    if (section.sh_type == llvm::ELF::SHT_SYMTAB) {
      keep[i] = true;
      if (section.sh_link < sections.size()) keep[section.sh_link] = true;
    }
  }
  for (size_t i = 0; i < sections.size(); ++i)
    if (sections[i].sh_type == llvm::ELF::SHT_RELA && sections[i].sh_info < sections.size() &&
        keep[sections[i].sh_info] && (sections[sections[i].sh_info].sh_flags & llvm::ELF::SHF_ALLOC))
      keep[i] = true;
  std::vector<uint8_t> out(sizeof header);
  for (size_t i = 0; i < sections.size(); ++i) {
    Elf64_Shdr& section = sections[i];
    if (!keep[i]) {
      section = Elf64_Shdr{};
      continue;
    }
    if (section.sh_type == llvm::ELF::SHT_NOBITS) continue;
    uint64_t align = std::clamp<uint64_t>(section.sh_addralign, 1, 4096);
    out.resize((out.size() + align - 1) / align * align);
    uint64_t offset = out.size();
    out.insert(out.end(), object.begin() + section.sh_offset, object.begin() + section.sh_offset + section.sh_size);
    section.sh_offset = offset;
  }
  out.resize((out.size() + 7) / 8 * 8);
  header.e_shoff = out.size();
  out.resize(out.size() + sections.size() * sizeof(Elf64_Shdr));
  std::memcpy(out.data() + header.e_shoff, sections.data(), sections.size() * sizeof(Elf64_Shdr));
  std::memcpy(out.data(), &header, sizeof header);
  object = std::move(out);
}

// Reads the functions' wasm offsets back from the object's line table (the
// line numbers FunctionBuilder set) and their sizes from the symbol table;
// then, after them, the exact addresses of the guarded accesses the ranges
// would attribute to another instruction (native::kExactFault).
void add_offsets(const std::vector<uint8_t>& object, uint32_t object_index, const std::vector<uint32_t>& functions,
                 bool loop_entries, native::CompileResponse& out) {
  llvm::MemoryBufferRef ref(llvm::StringRef(reinterpret_cast<const char*>(object.data()), object.size()), "chunk");
  auto file = llvm::object::ObjectFile::createObjectFile(ref);
  if (!file) {
    llvm::consumeError(file.takeError());
    return;
  }
  std::map<std::string, std::pair<uint64_t, uint64_t>> symbols;  // name -> (address, size)
  for (const llvm::object::SymbolRef& symbol : (*file)->symbols()) {
    std::optional<llvm::StringRef> name = value_of(symbol.getName());
    std::optional<uint64_t> address = value_of(symbol.getAddress());
    if (name && address) symbols[name->str()] = {*address, llvm::object::ELFSymbolRef(symbol).getSize()};
  }
  std::vector<std::pair<uint64_t, uint32_t>> rows;  // (address in .text, wasm offset)
  std::unique_ptr<llvm::DWARFContext> dwarf = llvm::DWARFContext::create(**file);
  for (const auto& unit : dwarf->compile_units()) {
    const llvm::DWARFDebugLine::LineTable* table = dwarf->getLineTableForUnit(unit.get());
    if (!table) continue;
    for (const llvm::DWARFDebugLine::Row& row : table->Rows)
      if (!row.EndSequence) rows.emplace_back(row.Address.Address, row.Line);
  }
  std::sort(rows.begin(), rows.end());
  std::vector<std::pair<uint64_t, uint32_t>> faults = read_fault_addresses(**file);
  for (uint32_t f : functions) {
    auto it = symbols.find(loop_entries ? native::loop_entry_symbol(f) : native::function_symbol(f));
    if (it == symbols.end()) continue;
    native::CompiledFunction compiled;
    compiled.defined_index = f;
    compiled.object = object_index;
    auto [start, size] = it->second;
    compiled.code_size = static_cast<uint32_t>(size);
    for (const auto& [address, line] : rows) {
      if (address < start || address >= start + size || line == 0) continue;
      uint32_t at = static_cast<uint32_t>(address - start);
      if (!compiled.offsets.empty() && compiled.offsets.back().wasm_offset == line) continue;
      if (!compiled.offsets.empty() && compiled.offsets.back().code_offset == at) compiled.offsets.back().wasm_offset = line;
      else compiled.offsets.push_back({at, line});
    }
    size_t ranges = compiled.offsets.size();
    auto first = std::lower_bound(faults.begin(), faults.end(), std::make_pair(start, uint32_t{0}));
    for (auto fault = first; fault != faults.end() && fault->first < start + size; ++fault) {
      auto at = static_cast<uint32_t>(fault->first - start);
      auto range = std::upper_bound(compiled.offsets.begin(), compiled.offsets.begin() + ranges, at,
                                    [](uint32_t a, const native::OffsetEntry& e) { return a < e.code_offset; });
      if (range != compiled.offsets.begin() && std::prev(range)->wasm_offset == fault->second) continue;
      compiled.offsets.push_back({at | native::kExactFault, fault->second});
    }
    out.compiled.push_back(std::move(compiled));
  }
}

struct ChunkResult {
  std::vector<uint8_t> object;
  std::vector<uint32_t> compiled;
  std::vector<native::NotCompiled> not_compiled;
  bool tail_calls = false;  // a compiled function makes one
};

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

ChunkResult compile_chunk(const ir::Module& wasm, const ir::Features& features, const native::CompileOptions& options,
                          const std::vector<uint32_t>& declared, const Chunk& chunk, bool bulk,
                          bool loop_entries, bool tail_calls = true) {
  ChunkResult result;
  auto started = std::chrono::steady_clock::now();
  llvm::LLVMContext context;
  llvm::Module module("chunk", context);
  ModuleDeclarations decls(module);
  // (Loop entries call functions through their headers: the functions are
  // in the module's other chunks.)
  if (!loop_entries) decls.chunk.insert(chunk.functions.begin(), chunk.functions.end());
  bool huge = bulk;  // (at O1 like a huge function)
  std::vector<uint32_t> not_built;
  for (uint32_t f : chunk.functions) {
    FunctionBuilder builder(decls, wasm, features, options, declared, wasm.num_imported_funcs + f);
    if (!tail_calls) builder.refuse_tail_calls();
    Expected<void> built = loop_entries ? builder.build_loop_entry() : builder.build();
    if (built) {
      result.compiled.push_back(f);
      result.tail_calls = result.tail_calls || builder.made_tail_calls();
      huge = huge || wasm.codes[f].whole.size > kHugeFunctionBytes;
      continue;
    }
    result.not_compiled.push_back({f, built.error().message});
    if (llvm::Function* trampoline = module.getFunction(native::trampoline_symbol(f))) trampoline->eraseFromParent();
    not_built.push_back(f);
  }
  // A function the tier does not compile that others of the chunk call
  // directly (perhaps built after it) becomes a forwarder to its other code.
  for (uint32_t f : not_built) {
    llvm::Function* partial =
        module.getFunction(loop_entries ? native::loop_entry_symbol(f) : native::function_symbol(f));
    if (!partial) continue;
    if (partial->use_empty() || loop_entries) {
      partial->eraseFromParent();
      continue;
    }
    partial->deleteBody();
    partial->setSubprogram(nullptr);
    FunctionBuilder(decls, wasm, features, options, declared, wasm.num_imported_funcs + f).build_forwarder();
  }
  decls.debug.finalize();
  auto fail_all = [&](const std::string& why) {
    for (uint32_t f : result.compiled) result.not_compiled.push_back({f, why});
    result.compiled.clear();
    return result;
  };
  if (result.compiled.empty()) return result;
  std::string problems;
  llvm::raw_string_ostream problem_stream(problems);
  // For contributors: KILN_LLVM_DUMP=1 prints the IR as built, =optimized after the passes.
  if (const char* dump = std::getenv("KILN_LLVM_DUMP"); dump && std::strcmp(dump, "optimized") != 0)
    module.print(llvm::errs(), nullptr);
  if (llvm::verifyModule(module, &problem_stream)) return fail_all("internal error: LLVM rejects the IR: " + problems);
  auto level = options.opt_level == 0 ? llvm::CodeGenOptLevel::None
               : options.opt_level == 1 || huge ? llvm::CodeGenOptLevel::Less
                                                : llvm::CodeGenOptLevel::Default;
  std::unique_ptr<llvm::TargetMachine> machine = host_machine(level);
  if (!machine) return fail_all("no LLVM target for this machine");
  module.setDataLayout(machine->createDataLayout());
  module.setTargetTriple(machine->getTargetTriple().str());
  double built = seconds_since(started);
  size_t instructions = module.getInstructionCount();
  if (options.opt_level > 0) optimize(module, *machine, huge || options.opt_level == 1 ? llvm::OptimizationLevel::O1
                                                                                      : llvm::OptimizationLevel::O2);
  double optimized = seconds_since(started);
  if (const char* dump = std::getenv("KILN_LLVM_DUMP"); dump && std::strcmp(dump, "optimized") == 0)
    module.print(llvm::errs(), nullptr);
  Expected<std::vector<uint8_t>> object = emit_object(module, *machine);
  // For contributors: where compile time goes, chunk by chunk.
  static const bool stats = std::getenv("KILN_LLVM_STATS") != nullptr;
  if (stats)
    std::fprintf(stderr, "kiln-llvm: chunk of %zu functions, %zu bytes: %zu IR instructions (%zu optimized); "
                 "build %.0f ms, optimize %.0f ms, codegen %.0f ms\n", chunk.functions.size(), chunk.bytes,
                 instructions, static_cast<size_t>(module.getInstructionCount()), built * 1e3,
                 (optimized - built) * 1e3, (seconds_since(started) - optimized) * 1e3);
  if (!object) return fail_all(object.error().message);
  result.object = std::move(*object);
  return result;
}

void initialize_llvm() {
  static std::once_flag once;
  std::call_once(once, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
  });
}

// A module decoded and validated, with the functions its elements declare.
struct CheckedModule {
  uint64_t features = 0;
  ir::Module wasm;
  std::vector<uint32_t> declared;
};

// The module of `request`, decoded and validated; kept for the next request
// if it is of the same module. The auto tier sends a big module's functions a
// batch at a time (and loop entries one by one): decoding and validating all
// of yosys' 30 MB again took half a second, longer than compiling a batch.
Expected<std::shared_ptr<const CheckedModule>> checked_module(const native::CompileRequest& request) {
  static std::shared_ptr<const CheckedModule> last;
  if (last && last->features == request.options.features && std::ranges::equal(last->wasm.bytes, request.module))
    return last;
  last.reset();
  ir::Features features = ir::Features::from_bits(request.options.features);
  auto checked = std::make_shared<CheckedModule>();
  checked->features = request.options.features;
  checked->wasm = KILN_TRY(binary::decode_module(std::vector<uint8_t>(request.module.begin(), request.module.end()), features));
  checked->declared = KILN_TRY(validate::validate_module(checked->wasm, features));
  last = checked;
  return std::shared_ptr<const CheckedModule>(std::move(checked));
}

}  // namespace

native::CompileResponse compile(const native::CompileRequest& request) {
  initialize_llvm();
  native::CompileResponse response;
  ir::Features features = ir::Features::from_bits(request.options.features);
  Expected<std::shared_ptr<const CheckedModule>> checked = checked_module(request);
  if (!checked) {
    response.error = checked.error().to_string();
    return response;
  }
  const ir::Module* wasm = &(*checked)->wasm;
  const std::vector<uint32_t>* declared = &(*checked)->declared;
  std::vector<uint32_t> functions;
  for (uint32_t f : request.functions)
    if (f < wasm->codes.size()) functions.push_back(f);
  size_t threads = request.options.threads ? request.options.threads : worker_count();
  size_t code_bytes = 0;
  for (uint32_t f : functions) code_bytes += wasm->codes[f].whole.size;
  bool bulk = code_bytes > kBulkCodeBytes;
  std::vector<Chunk> chunks = make_chunks(*wasm, functions, threads, bulk);
  // The register allocator is a process-wide default (set before the
  // threads start: kiln-llvm serves one request at a time). It overrides a
  // `-regalloc=` given in KILN_LLVM_OPTIONS.
  using Allocator = llvm::FunctionPass* (*)();
  llvm::RegisterRegAlloc::setDefault(bulk ? static_cast<Allocator>(llvm::createBasicRegisterAllocator)
                                          : static_cast<Allocator>(llvm::createGreedyRegisterAllocator));
  std::vector<ChunkResult> results(chunks.size());
  // The biggest first, so that no big chunk starts last while the other threads idle.
  std::vector<size_t> order(chunks.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return chunks[a].bytes > chunks[b].bytes; });
  parallel_for(chunks.size(), threads, [&](size_t, size_t item) {
    size_t chunk = order[item];
    results[chunk] = compile_chunk(*wasm, features, request.options, *declared, chunks[chunk], bulk,
                                   request.loop_entries);
  });
  // Native tail calls run in constant stack only among native functions: one
  // through the interpreter returns to its caller, so a cycle of tail calls
  // through an interpreted function would grow the stack until it ran out.
  // Where some function stays interpreted, so do those that make tail calls.
  bool interpreted = functions.size() < wasm->codes.size();
  for (const ChunkResult& r : results) interpreted = interpreted || !r.not_compiled.empty();
  if (interpreted && !request.loop_entries) {
    std::vector<size_t> again;
    for (size_t c = 0; c < chunks.size(); ++c)
      if (results[c].tail_calls) again.push_back(c);
    parallel_for(again.size(), threads, [&](size_t, size_t item) {
      size_t chunk = again[item];
      results[chunk] = compile_chunk(*wasm, features, request.options, *declared, chunks[chunk], bulk, false, false);
    });
  }
  for (size_t c = 0; c < chunks.size(); ++c) {
    ChunkResult& r = results[c];
    for (native::NotCompiled& n : r.not_compiled) response.not_compiled.push_back(std::move(n));
    if (r.compiled.empty()) continue;
    uint32_t index = static_cast<uint32_t>(response.objects.size());
    add_offsets(r.object, index, r.compiled, request.loop_entries, response);
    strip_for_loading(r.object);
    response.objects.push_back(std::move(r.object));
  }
  return response;
}

}  // namespace kiln::llvmtier
