// A module's native code as bytes: what `kiln compile` writes (.kwasm), what
// the code cache keeps, and the form in which the LLVM tier holds a module's
// compiled code in memory before it loads it, chunk by chunk, as functions are
// first called.
//
// Layout (integers little-endian):
//   magic "\0kwasm\r\n" (8 bytes; not "\0asm", so no decoder mistakes it for a module)
//   u32 format version, u32 index crc, u64 index size
//   the index (protocol.h's Writer encoding):
//     identity: Kiln's version, the host CPU (host_cpu.h), the compile options
//     the module: offset, size, crc of its bytes in the file; its declared functions
//     chunks: offset, size, crc of each (an ELF object and its functions' offset tables)
//     functions: for each defined function, its chunk or why it was not compiled
//   the module's bytes, then the chunks
//
// The index and the module are checked when the artifact is opened, each chunk
// when it is loaded: damage (truncation, a flipped bit) is an error, never a
// crash. The checksums do not make a hostile artifact safe: it is native code,
// to be run only from a trusted source (as Wasmtime's serialized modules).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "base/error.h"
#include "native/protocol.h"

namespace kiln::native {

inline constexpr char kArtifactMagic[8] = {'\0', 'k', 'w', 'a', 's', 'm', '\r', '\n'};
inline constexpr uint32_t kArtifactFormat = 1;

// Whether `bytes` start like an artifact.
bool is_artifact(std::span<const uint8_t> bytes);

// Who compiled it, for what, how: an artifact runs only where all three match.
struct Identity {
  std::string kiln_version;
  std::string cpu;  // host_cpu()
  CompileOptions options;

  // This Kiln on this processor, compiling with `options`.
  static Identity current(const CompileOptions& options);
};

// One chunk, decoded: an ELF object and the offset tables of its functions.
struct Chunk {
  std::span<const uint8_t> object;
  std::vector<CompiledFunction> functions;  // `object` is 0 in each
};

// How Artifact::open checks the module's bytes in it: by their checksum, or
// not at all because the caller compares them with the module it has.
enum class ModuleCheck { Checksum, ByCaller };

class Artifact {
 public:
  // Builds an artifact from kiln-llvm's answer for `wasm` (every function of it).
  static std::vector<uint8_t> write(const Identity& identity, std::span<const uint8_t> wasm,
                                    const std::vector<uint32_t>& declared_funcs, const CompileResponse& response);

  // Reads an artifact kept alive by `owner` (a mapped file, a vector): checks
  // its magic, format, index and module. `name` is for messages (a file name).
  static Expected<std::shared_ptr<const Artifact>> open(std::shared_ptr<const void> owner,
                                                        std::span<const uint8_t> bytes, const std::string& name,
                                                        ModuleCheck check = ModuleCheck::Checksum);

  // An Unsupported error saying why this artifact cannot run here, if it cannot.
  Expected<void> check_identity(const Identity& expected) const;

  const Identity& identity() const { return identity_; }
  std::span<const uint8_t> wasm() const { return wasm_; }
  const std::vector<uint32_t>& declared_funcs() const { return declared_funcs_; }
  size_t chunk_count() const { return chunks_.size(); }
  size_t function_count() const { return functions_.size(); }

  // Defined function `defined_index`: its chunk, or the reason it was not compiled.
  std::variant<uint32_t, std::string> function(uint32_t defined_index) const;
  // Every chunk's checksum (chunk() checks one as it is loaded).
  Expected<void> verify_chunks() const;
  // Chunk `index`, its checksum verified.
  Expected<Chunk> chunk(uint32_t index) const;

 private:
  struct Range {
    uint64_t offset = 0, size = 0;
    uint32_t crc = 0;
  };
  std::shared_ptr<const void> owner_;
  std::span<const uint8_t> bytes_;
  std::string name_;
  Identity identity_;
  std::span<const uint8_t> wasm_;
  std::vector<uint32_t> declared_funcs_;
  std::vector<Range> chunks_;
  // By defined index: a chunk index, or kNotCompiled with reasons_[i].
  static constexpr uint32_t kNotCompiled = UINT32_MAX;
  std::vector<uint32_t> functions_;
  std::vector<std::string> reasons_;
};

}  // namespace kiln::native
