#include "interp/disassembler.h"

#include <cstdio>
#include <cstring>
#include <map>

#include "interp/handlers.h"

namespace kiln::interp {

namespace {

const std::map<const void*, const char*>& handler_names() {
  static const std::map<const void*, const char*> names = [] {
    std::map<const void*, const char*> m;
    static const char* const kNames[] = {
#define SIMPLE(op) #op,
#define INTERNAL(name) #name,
#include "interp/handlers.def"
#undef SIMPLE
#undef INTERNAL
    };
    for (size_t i = 0; i < static_cast<size_t>(Handler::Count); ++i)
      m.emplace(handler_address(static_cast<Handler>(i)), kNames[i]);
    return m;
  }();
  return names;
}

}  // namespace

std::string disassemble(const Code& code) {
  std::string out;
  char line[96];
  std::snprintf(line, sizeof line, "  ; frame %u bytes, params %u, init %zu, results %u\n", code.frame_size,
                code.params_size, code.init.size(), code.results_size);
  out += line;
  for (size_t i = 0; i < code.offsets.size(); ++i) {
    uint32_t start = code.offsets[i].first;
    uint32_t end = i + 1 < code.offsets.size() ? code.offsets[i + 1].first : static_cast<uint32_t>(code.words.size());
    const void* handler;
    std::memcpy(&handler, code.words.data() + start, sizeof handler);
    auto it = handler_names().find(handler);
    std::snprintf(line, sizeof line, "  %5u  @%-6x %-22s", start, code.offsets[i].second,
                  it == handler_names().end() ? "?" : it->second);
    out += line;
    for (uint32_t w = start + 2; w < end; ++w) {
      std::snprintf(line, sizeof line, " %d", static_cast<int32_t>(code.words[w]));
      out += line;
    }
    out += "\n";
  }
  return out;
}

}  // namespace kiln::interp
