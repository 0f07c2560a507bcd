#include "interp/fusion_switches.h"

#include <cstdlib>
#include <string_view>

namespace kiln::interp {
namespace {

uint32_t disabled_fusions() {
  const char* setting = std::getenv("KILN_NO_FUSION");
  if (!setting) return 0;
  uint32_t off = 0;
  std::string_view rest = setting;
  while (!rest.empty()) {
    size_t comma = rest.find(',');
    std::string_view name = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    if (name == "all") off = ~0u;
    for (size_t f = 0; f < static_cast<size_t>(Fusion::Count); ++f)
      if (name == kFusionNames[f]) off |= 1u << f;
  }
  return off;
}

}  // namespace

bool fusion_on(Fusion f) {
  static const uint32_t off = disabled_fusions();
  return !(off & (1u << static_cast<uint32_t>(f)));
}

}  // namespace kiln::interp
