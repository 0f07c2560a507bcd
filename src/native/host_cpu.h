// What native code is compiled for: this processor. kiln-llvm compiles for the
// host it runs on (LLVM's host CPU and features), which is kiln's host; an
// artifact records host_cpu() so it is refused on a processor whose
// instruction set differs.
#pragma once

#include <string>

namespace kiln::native {

// "x86_64 <brand string> [<feature words>]": the architecture, the processor's
// name, and the CPUID words that say which instructions it has (and which
// register state the OS saves). Equal strings: the same instructions run.
std::string host_cpu();

// The readable part of a host_cpu() string (without the feature words).
std::string cpu_name(const std::string& host_cpu);

}  // namespace kiln::native
