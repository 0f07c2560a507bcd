// kiln-llvm: Kiln's optimizing compiler, a process of its own. It reads
// compile requests from stdin and writes each response to stdout, every
// message preceded by its length (u64, little-endian), until stdin ends.
//
// Kiln runs it when it needs native code (native/compiler_process.cpp), so
// that LLVM is neither linked into kiln nor loaded by a run that never needs
// it: the interpreter starts at once, and a crash or a memory bomb inside the
// compiler stays inside this process.
#include <cstdint>
#include <vector>

#include <llvm/Support/CommandLine.h>
#include <llvm/Support/ManagedStatic.h>

#include "base/file.h"
#include "llvm/compiler.h"
#include "native/artifact.h"
#include "native/framing.h"

int main() {
  using namespace kiln::native;
  // At exit: what LLVM reports then, e.g. the timings of -time-passes.
  llvm::llvm_shutdown_obj shutdown;
  // For contributors: LLVM's own options, e.g. KILN_LLVM_OPTIONS=-time-passes.
  // Two passes that break what guarded (volatile) accesses promise, found by
  // the differential test; turning them off was measured on bench/ as no
  // change beyond noise (0.87x to 1.03x per program):
  // - SimplifyCFG must not sink the loads of both arms of an if into one (a
  //   load of a phi of their addresses): a fault would name neither's offset.
  // - x86's cmov converter turns a cmov from memory into a branch around the
  //   load, so `select` of a load it does not choose skipped the access, and
  //   its trap.
  // A third changes no code, only compile time: the functions carry line
  // numbers (wasm offsets, for backtraces) but no variables, yet LLVM's
  // default variable-location analysis (instruction-referencing
  // LiveDebugValues) took 16% of code generation on yosys; the older one
  // this option selects takes 1.4%.
  const char* argv[] = {"kiln-llvm", "-simplifycfg-sink-common=false", "-x86-cmov-converter=false",
                        "-experimental-debug-variable-locations=false"};
  llvm::cl::ParseCommandLineOptions(4, argv, "", nullptr, "KILN_LLVM_OPTIONS");
  for (;;) {
    std::optional<std::vector<uint8_t>> request_bytes = read_frame(0, uint64_t{8} << 30);
    if (!request_bytes) return 0;  // the end of requests (or of kiln)
    std::optional<CompileRequest> request = CompileRequest::decode(*request_bytes);
    CompileResponse response;
    if (request) response = kiln::llvmtier::compile(*request);
    else response.error = "kiln-llvm: a malformed request (a kiln of another version?)";
    // A code cache entry, made here so that it is made even when kiln, which
    // asked for it while running the module, has ended by now. (A failure to
    // write only means a later run compiles again.)
    if (request && !request->artifact_path.empty() && response.error.empty()) {
      CompileOptions options = request->options;
      std::vector<uint8_t> artifact =
          Artifact::write(Identity::current(options), request->module, request->declared_funcs, response);
      (void)kiln::write_file_atomically(request->artifact_path, artifact);
    }
    if (!write_frame(1, response.encode())) return 2;
  }
}
