#include "interp/disassembler.h"

#include <cstdio>
#include <cstring>

#include "interp/handlers.h"
#include "interp/translator.h"

namespace kiln::interp {

std::string disassemble(const Code& code) {
  std::string out;
  char line[96];
  std::snprintf(line, sizeof line, "  ; frame %u bytes, params %u, init %zu, results %u\n", code.frame_size,
                code.params_size, code.init.size(), code.results_size);
  out += line;
  for (size_t i = 0; i < code.offsets.size(); ++i) {
    uint32_t start = code.offsets[i].first;
    uint32_t end = i + 1 < code.offsets.size() ? code.offsets[i + 1].first : static_cast<uint32_t>(code.words.size());
    const void* address;
    std::memcpy(&address, code.words.data() + start, sizeof address);
    std::optional<Handler> handler = handler_at(address);
    std::snprintf(line, sizeof line, "  %5u  @%-6x %-22s", start, code.offsets[i].second,
                  handler ? handler_name(*handler) : "?");
    out += line;
    for (uint32_t w = start + 2; w < end; ++w) {
      std::snprintf(line, sizeof line, " %d", static_cast<int32_t>(code.words[w]));
      out += line;
    }
    out += "\n";
  }
  return out;
}

std::string disassemble_functions(const runtime::Module& module, std::optional<uint32_t> only) {
  const ir::Module& m = module.ir();
  std::string out;
  for (uint32_t f = m.num_imported_funcs; f < m.num_funcs(); ++f) {
    if (only && *only != f) continue;
    std::string name = m.function_name(f);
    out += "\nfunc " + std::to_string(f) + (name.empty() ? "" : " $" + name) + " " + ir::to_string(m.func_type(f)) + "\n";
    Expected<std::unique_ptr<Code>> code = translate_function(module, f);
    out += code ? disassemble(**code) : "  ; not translated: " + code.error().to_string() + "\n";
  }
  return out;
}

}  // namespace kiln::interp
