// Which WebAssembly proposals a decoder/validator accepts.
//
// Kiln targets WebAssembly 3.0 by default. A few 3.0 changes are not backward
// compatible at the edges (e.g. the 2.0 binary format required a single zero byte
// where 3.0 has a memory index), so the 2.0 rules can be selected to run the 2.0
// spec suite exactly.
#pragma once

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
