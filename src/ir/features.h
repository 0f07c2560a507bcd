// Which WebAssembly proposals a decoder/validator accepts.
//
// Kiln targets WebAssembly 3.0 by default. A few 3.0 changes are not backward
// compatible at the edges (e.g. the 2.0 binary format required a single zero byte
// where 3.0 has a memory index), so the 2.0 rules can be selected to run the 2.0
// spec suite exactly.
#pragma once

#include <cstddef>
#include <cstdint>

namespace kiln::ir {

struct Features {
  bool multi_memory = true;  // memory indices in instructions, several memories
  bool memory64 = true;
  bool tail_call = true;
  // Extended constant expressions: integer add/sub/mul, and global.get of any
  // preceding immutable global (2.0 allows only imported ones).
  bool extended_const = true;
  // Proposals Kiln does not implement yet (ir/unsupported.def). On, as in 3.0
  // (threads with them), a module that uses one is an Unsupported error naming
  // the feature; off, as in 2.0, its encodings are malformed like any unknown one.
  bool exceptions = true;
  bool typed_function_references = true;
  bool gc = true;
  bool relaxed_simd = true;
  bool threads = true;

  // The features as bits, one per field in this order: what compiled code and
  // its cache key record.
  uint32_t to_bits() const {
    const bool fields[] = {multi_memory, memory64, tail_call, extended_const, exceptions,
                           typed_function_references, gc, relaxed_simd, threads};
    uint32_t bits = 0;
    for (size_t i = 0; i < sizeof fields; ++i) bits |= uint32_t{fields[i]} << i;
    return bits;
  }
  static Features from_bits(uint32_t bits) {
    Features f;
    bool* fields[] = {&f.multi_memory, &f.memory64, &f.tail_call, &f.extended_const, &f.exceptions,
                      &f.typed_function_references, &f.gc, &f.relaxed_simd, &f.threads};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; ++i) *fields[i] = (bits >> i) & 1;
    return f;
  }

  static Features wasm2() {
    Features f;
    f.multi_memory = false;
    f.memory64 = false;
    f.tail_call = false;
    f.extended_const = false;
    f.exceptions = false;
    f.typed_function_references = false;
    f.gc = false;
    f.relaxed_simd = false;
    f.threads = false;
    return f;
  }
};

}  // namespace kiln::ir
