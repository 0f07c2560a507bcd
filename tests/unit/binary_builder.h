// Helpers for building small binary modules by hand in tests.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <vector>

namespace kiln::test {

using Bytes = std::vector<uint8_t>;

inline Bytes header() { return {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00}; }

// A section: id, size (one-byte LEB: keep payloads under 128 bytes), payload.
inline Bytes section(uint8_t id, const Bytes& payload) {
  Bytes out = {id, static_cast<uint8_t>(payload.size())};
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

inline Bytes concat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

// A module with one type [] -> [results...] and one function with `body`
// (instructions without the final `end`, which is added) and `locals` groups.
inline Bytes single_function_module(const Bytes& results, const Bytes& body, const Bytes& locals = {0x00}) {
  Bytes type = {0x01, 0x60, 0x00, static_cast<uint8_t>(results.size())};
  type.insert(type.end(), results.begin(), results.end());
  Bytes code_entry = locals;
  code_entry.insert(code_entry.end(), body.begin(), body.end());
  code_entry.push_back(0x0b);
  Bytes code = {0x01, static_cast<uint8_t>(code_entry.size())};
  code.insert(code.end(), code_entry.begin(), code_entry.end());
  return concat({header(), section(1, type), section(3, {0x01, 0x00}), section(10, code)});
}

}  // namespace kiln::test
