// The code cache: artifacts (artifact.h) of modules compiled before, one file
// per module and identity, so a run reuses the code an earlier run compiled.
//
// An entry's name is a digest of the module's bytes and of the identity (Kiln,
// processor, options, the compiler's build); a hit is trusted only after the
// entry opens cleanly, matches the identity and holds the very same module
// bytes. Entries are written whole and renamed into place, so concurrent runs
// never see a part of one; a damaged entry is removed and compiled again.
// Nothing is ever evicted: delete the directory to reclaim the space.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "base/checksum.h"
#include "native/artifact.h"

namespace kiln::native {

// $KILN_CACHE_DIR, else $XDG_CACHE_HOME/kiln, else $HOME/.cache/kiln; empty
// when none can be named.
std::string default_cache_dir();

// What an entry holds: all of a module's code, or the functions the auto tier
// found hot in big modules (compiled a batch at a time, AutoTier in tier.cpp),
// which a later run of the same module starts with.
enum class CacheEntry { WholeModule, HotFunctions };

// A module as the cache knows it: its bytes and their digest, computed once
// (a run of a big module looks it up several times, and digesting yosys'
// 30 MB takes milliseconds).
struct CacheKey {
  std::span<const uint8_t> wasm;
  uint64_t digest = 0;
  static CacheKey of(std::span<const uint8_t> wasm) { return {wasm, digest64(wasm)}; }
};

class CodeCache {
 public:
  // `compiler_build` tells builds of kiln-llvm apart (compiler_build()).
  CodeCache(std::string directory, std::string compiler_build)
      : directory_(std::move(directory)), compiler_build_(std::move(compiler_build)) {}

  // The cached artifact of `module` compiled as `identity`, or null.
  std::shared_ptr<const Artifact> find(const CacheKey& module, const Identity& identity,
                                       CacheEntry kind = CacheEntry::WholeModule) const;
  // Keeps `artifact` for the next run; failures (a read-only disk, no space)
  // only mean the next run compiles again.
  void store(const CacheKey& module, const Identity& identity, std::span<const uint8_t> artifact) const;

  // Where the entry of `module` compiled as `identity` goes, for kiln-llvm to
  // write it (CompileRequest::artifact_path); the directory is created. Empty
  // when it cannot be.
  std::string entry_path(const CacheKey& module, const Identity& identity,
                         CacheEntry kind = CacheEntry::WholeModule) const;

  const std::string& directory() const { return directory_; }

 private:
  std::string path_for(const CacheKey& module, const Identity& identity, CacheEntry kind) const;
  std::string directory_;
  std::string compiler_build_;
};

}  // namespace kiln::native
