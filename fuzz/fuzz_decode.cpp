// libFuzzer target: the binary decoder and validator.
#include "fuzz/harness.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  kiln::fuzz::validate_binary(data, size);
  return 0;
}
