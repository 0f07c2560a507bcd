// The compiler process, kiln-llvm (llvm/main.cpp): started on the first
// request, kept for the next ones, one request at a time.
#pragma once

#include <string>

#include "base/error.h"
#include "native/protocol.h"

namespace kiln::native {

// Where kiln-llvm is: $KILN_LLVM, else beside the running executable, else in
// the directory Kiln was installed to.
std::string compiler_path();

// Which build of kiln-llvm compiler_path() is (its size and modification
// time), for the code cache: a rebuilt compiler does not reuse older code.
std::string compiler_build();

// Sends `request` to the process's compiler and returns its response. Io
// errors when the compiler cannot be started or dies (it is started again for
// the next request). Thread-safe.
Expected<CompileResponse> run_compiler(const CompileRequest& request);

}  // namespace kiln::native
