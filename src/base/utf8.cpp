#include "base/utf8.h"

#include <cstdint>

namespace kiln {

bool is_valid_utf8(std::string_view text) {
  const auto* p = reinterpret_cast<const uint8_t*>(text.data());
  const auto* end = p + text.size();
  while (p < end) {
    uint8_t b = *p++;
    if (b < 0x80) continue;
    int extra;
    uint32_t cp;
    if ((b & 0xE0) == 0xC0) { extra = 1; cp = b & 0x1F; }
    else if ((b & 0xF0) == 0xE0) { extra = 2; cp = b & 0x0F; }
    else if ((b & 0xF8) == 0xF0) { extra = 3; cp = b & 0x07; }
    else return false;
    if (end - p < extra) return false;
    for (int i = 0; i < extra; ++i) {
      uint8_t c = *p++;
      if ((c & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (c & 0x3F);
    }
    static constexpr uint32_t kMinForLength[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMinForLength[extra]) return false;          // overlong
    if (cp >= 0xD800 && cp <= 0xDFFF) return false;       // surrogate
    if (cp > 0x10FFFF) return false;
  }
  return true;
}

}  // namespace kiln
