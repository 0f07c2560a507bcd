// The compiler of kiln-llvm: a request's functions, in chunks of their own
// LLVM context and module, optimized and compiled to ELF objects on a pool of
// threads.
#pragma once

#include "native/protocol.h"

namespace kiln::llvmtier {

// Compiles what `request` asks for. Functions this tier cannot compile yet go
// to `not_compiled`, with the reason; a module that does not decode or
// validate fails the whole request (`error`).
native::CompileResponse compile(const native::CompileRequest& request);

}  // namespace kiln::llvmtier
