// `kiln inspect`: what a module imports, exports and defines; optionally the
// interpreter code of its functions.
#include <iostream>

#include "cli/commands.h"
#include "interp/disassembler.h"
#include "interp/interpreter.h"
#include "runtime/engine.h"
#include "runtime/module.h"

namespace kiln::cli {

namespace {

std::string describe_import(const ir::Module& m, const ir::Import& imp) {
  switch (imp.kind) {
    case ir::ExternKind::Func: return "func " + ir::to_string(m.types[imp.type_index]);
    case ir::ExternKind::Table: return "table " + ir::to_string(imp.table.elem) + " min " + std::to_string(imp.table.limits.min);
    case ir::ExternKind::Memory: return "memory min " + std::to_string(imp.memory.limits.min) + " pages";
    case ir::ExternKind::Global:
      return std::string("global ") + (imp.global.mutable_ ? "mut " : "") + ir::to_string(imp.global.type);
    case ir::ExternKind::Tag: return "tag";
  }
  return "?";
}

// The function index named by `which`: an export name or a decimal index.
std::optional<uint32_t> find_function(const ir::Module& m, const std::string& which) {
  for (const ir::Export& e : m.exports)
    if (e.kind == ir::ExternKind::Func && e.name == which) return e.index;
  char* end = nullptr;
  unsigned long index = std::strtoul(which.c_str(), &end, 10);
  if (!which.empty() && *end == '\0' && index < m.num_funcs()) return static_cast<uint32_t>(index);
  return std::nullopt;
}

}  // namespace

int inspect_command(const InspectOptions& options) {
  runtime::Engine engine(interp::with_interpreter({}));
  std::shared_ptr<runtime::Module> module = load_module(engine, options.file);
  if (!module) return kExitError;
  const ir::Module& m = module->ir();
  uint64_t code_bytes = 0;
  for (const ir::FunctionBody& body : m.codes) code_bytes += body.whole.size;
  std::cout << "module bytes: " << m.bytes.size() << ", function bodies: " << code_bytes << " bytes\n"
            << "types: " << m.types.size() << ", functions: " << m.num_funcs() << " (" << m.num_imported_funcs
            << " imported)\n";
  for (const ir::Import& imp : m.imports)
    std::cout << "import " << imp.module << "." << imp.name << ": " << describe_import(m, imp) << "\n";
  for (const ir::Export& e : m.exports) std::cout << "export \"" << e.name << "\": " << ir::to_string(e.kind) << " " << e.index << "\n";
  if (!options.code && options.func.empty()) return 0;

  std::optional<uint32_t> only;
  if (!options.func.empty()) {
    only = find_function(m, options.func);
    if (!only) {
      std::cerr << "error: no function '" << options.func << "'\n";
      return kExitError;
    }
  }
  std::cout << interp::disassemble_functions(*module, only);
  return 0;
}

}  // namespace kiln::cli
