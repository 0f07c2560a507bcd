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

  static Features wasm2() {
    Features f;
    f.multi_memory = false;
    f.memory64 = false;
    f.tail_call = false;
    f.extended_const = false;
    return f;
  }
};

}  // namespace kiln::ir
