#include "native/cache.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "base/checksum.h"
#include "base/file.h"
#include "base/log.h"

namespace kiln::native {

namespace {

// Creates `path` and its missing parents (mkdir -p).
bool make_directories(const std::string& path) {
  struct stat info;
  if (stat(path.c_str(), &info) == 0) return S_ISDIR(info.st_mode);
  size_t slash = path.find_last_of('/');
  if (slash != std::string::npos && slash > 0 && !make_directories(path.substr(0, slash))) return false;
  return mkdir(path.c_str(), 0755) == 0 || errno == EEXIST;
}

std::string hex64(uint64_t v) {
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(v));
  return text;
}

}  // namespace

std::string default_cache_dir() {
  if (const char* dir = std::getenv("KILN_CACHE_DIR"); dir && *dir) return dir;
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg == '/') return std::string(xdg) + "/kiln";
  if (const char* home = std::getenv("HOME"); home && *home == '/') return std::string(home) + "/.cache/kiln";
  return "";
}

std::string CodeCache::path_for(const CacheKey& module, const Identity& identity, CacheEntry kind) const {
  std::string who = identity.kiln_version + "\n" + identity.cpu + "\n" + compiler_build_ + "\n" +
                    std::to_string(identity.options.features) + "," + std::to_string(identity.options.consume_fuel) +
                    "," + std::to_string(identity.options.epoch_interruption) + "," +
                    std::to_string(identity.options.opt_level);
  std::span<const uint8_t> who_bytes(reinterpret_cast<const uint8_t*>(who.data()), who.size());
  return directory_ + "/" + hex64(module.digest) + "-" + hex64(digest64(who_bytes)) +
         (kind == CacheEntry::HotFunctions ? ".hot.kwasm" : ".kwasm");
}

std::shared_ptr<const Artifact> CodeCache::find(const CacheKey& module, const Identity& identity,
                                                CacheEntry kind) const {
  std::string path = path_for(module, identity, kind);
  Expected<std::shared_ptr<const MappedFile>> file = MappedFile::open(path);
  if (!file) {
    log_message("cache", "miss: %s", path.c_str());
    return nullptr;
  }
  std::span<const uint8_t> bytes = (*file)->bytes();
  // Its module is compared with this one byte for byte: no need to checksum it.
  Expected<std::shared_ptr<const Artifact>> artifact = Artifact::open(*file, bytes, path, ModuleCheck::ByCaller);
  // A damaged chunk is found now, when compiling again is still possible.
  bool good = artifact && (*artifact)->check_identity(identity) && std::ranges::equal((*artifact)->wasm(), module.wasm) &&
              (*artifact)->verify_chunks();
  if (!good) {
    log_message("cache", "bad entry, removed: %s%s%s", path.c_str(), artifact ? "" : ": ",
                artifact ? "" : artifact.error().message.c_str());
    unlink(path.c_str());
    return nullptr;
  }
  log_message("cache", "hit: %s", path.c_str());
  return *artifact;
}

std::string CodeCache::entry_path(const CacheKey& module, const Identity& identity, CacheEntry kind) const {
  if (!make_directories(directory_)) {
    log_message("cache", "cannot create %s: %s", directory_.c_str(), std::strerror(errno));
    return "";
  }
  std::string path = path_for(module, identity, kind);
  log_message("cache", "entry to store: %s", path.c_str());
  return path;
}

void CodeCache::store(const CacheKey& module, const Identity& identity, std::span<const uint8_t> artifact) const {
  if (!make_directories(directory_)) {
    log_message("cache", "cannot create %s: %s", directory_.c_str(), std::strerror(errno));
    return;
  }
  std::string path = path_for(module, identity, CacheEntry::WholeModule);
  Expected<void> written = write_file_atomically(path, artifact);
  if (written) log_message("cache", "stored: %s (%zu bytes)", path.c_str(), artifact.size());
  else log_message("cache", "%s", written.error().message.c_str());
}

}  // namespace kiln::native
