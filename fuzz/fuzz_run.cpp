// libFuzzer target: decode, validate, instantiate and run arbitrary modules
// with fuel.
#include "fuzz/harness.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  kiln::fuzz::run_binary(data, size);
  return 0;
}
