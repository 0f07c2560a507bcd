// Test helper: converts a text module to a binary one with Kiln's own encoder,
// so the C API tests can load .wasm files as programs written for any wasm.h
// runtime do.  Usage: kiln_wat2wasm IN.wat OUT.wasm
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>

#include "text/wat.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s IN.wat OUT.wasm\n", argv[0]);
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "%s: cannot read %s\n", argv[0], argv[1]);
    return 1;
  }
  std::string source((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto binary = kiln::text::wat_to_wasm(source);
  if (!binary) {
    std::fprintf(stderr, "%s: %s\n", argv[1], binary.error().to_string().c_str());
    return 1;
  }
  std::ofstream out(argv[2], std::ios::binary);
  out.write(reinterpret_cast<const char*>(binary->data()), static_cast<std::streamsize>(binary->size()));
  return out ? 0 : 1;
}
