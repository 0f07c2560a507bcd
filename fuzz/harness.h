// What the fuzzers and the mutation test do with an input: everything Kiln does
// with an untrusted module, under tight limits, checking only that nothing
// crashes, hangs or reads outside its buffers (the sanitizers check the last).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>

#include "runtime/store.h"

namespace kiln::fuzz {

// An import made up for module `m`: a function calls `function(type, name)`'s
// callback; memories, tables (of at most 1000 elements to start) and globals
// (zero) are fresh. An empty Extern when the store cannot make it.
using MakeHostFunction = std::function<runtime::HostCallback(const ir::FuncType& type, const std::string& name)>;
runtime::Extern made_up_import(runtime::Store& store, const ir::Module& m, const ir::Import& imp,
                               const MakeHostFunction& function);

enum class Outcome { Rejected, Unlinkable, Ran, Trapped };

// Decodes and validates `data` as a binary module; if valid, instantiates it
// with generated imports (functions returning zeros, fresh memories, tables and
// globals of the right types) and calls every exported function with zero
// arguments, with fuel, small memory limits and a small stack.
Outcome run_binary(const uint8_t* data, size_t size);

// Parses `text` as a WAT module (and, if it parses, runs it as above).
Outcome run_text(std::string_view text);

// Only decodes and validates.
Outcome validate_binary(const uint8_t* data, size_t size);

}  // namespace kiln::fuzz
