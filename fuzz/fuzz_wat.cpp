// libFuzzer target: the WAT parser (and what it produces, run as a module).
#include <string_view>

#include "fuzz/harness.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  kiln::fuzz::run_text(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
