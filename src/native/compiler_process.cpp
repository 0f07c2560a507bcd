#include "native/compiler_process.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <atomic>
#include <mutex>

#include "base/version.h"
#include "native/framing.h"

extern char** environ;

namespace kiln::native {

namespace {

bool executable(const std::string& path) { return access(path.c_str(), X_OK) == 0; }

// The one compiler process of this process.
class Compiler {
 public:
  // At exit, a compile still under way (the auto tier's, on a thread of its
  // own) is left to finish: kiln-llvm then stores it in the code cache for the
  // next run, and ends when it finds kiln gone.
  ~Compiler() {
    if (!busy_) stop();
  }

  Expected<CompileResponse> run(const CompileRequest& request) {
    std::lock_guard<std::mutex> lock(mutex_);
    busy_ = true;
    Expected<CompileResponse> response = exchange(request);
    busy_ = false;
    return response;
  }

 private:
  Expected<CompileResponse> exchange(const CompileRequest& request) {
    if (pid_ <= 0) KILN_TRY_VOID(start());
    std::optional<std::vector<uint8_t>> reply;
    if (write_frame(socket_, request.encode())) reply = read_frame(socket_, uint64_t{16} << 30);
    if (!reply) {
      stop();
      return Error(ErrorKind::Io, "the compiler process (kiln-llvm) ended without an answer");
    }
    std::optional<CompileResponse> response = CompileResponse::decode(*reply);
    if (!response) {
      stop();
      return Error(ErrorKind::Io, "the compiler process (kiln-llvm) answered nonsense");
    }
    return std::move(*response);
  }

  Expected<void> start() {
    std::string path = compiler_path();
    if (path.empty())
      return Error(ErrorKind::Unsupported, "the LLVM tier's compiler, kiln-llvm, was not found (set KILN_LLVM to its path)");
    // One socket both ways: the compiler's stdin and stdout.
    int ends[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends) != 0)
      return Error(ErrorKind::Io, std::string("socketpair: ") + std::strerror(errno));
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, ends[1], 0);
    posix_spawn_file_actions_adddup2(&actions, ends[1], 1);
    // Its stderr is not kiln's: a compiler left running at exit must not keep
    // the pipe of whoever reads kiln's stderr open. (Its errors come back in
    // its answers; its diagnostics for contributors when asked for.)
    if (!std::getenv("KILN_LLVM_STATS") && !std::getenv("KILN_LLVM_DUMP") && !std::getenv("KILN_LLVM_OPTIONS"))
      posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    char* argv[] = {const_cast<char*>(path.c_str()), nullptr};
    pid_t pid = 0;
    int error = posix_spawn(&pid, path.c_str(), &actions, nullptr, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    close(ends[1]);
    if (error != 0) {
      close(ends[0]);
      return Error(ErrorKind::Io, "cannot start " + path + ": " + std::strerror(error));
    }
    pid_ = pid;
    socket_ = ends[0];
    return {};
  }

  void stop() {
    if (pid_ <= 0) return;
    close(socket_);  // the compiler ends when its input does
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = 0;
  }

  std::mutex mutex_;
  std::atomic<bool> busy_ = false;
  pid_t pid_ = 0;
  int socket_ = -1;
};

Compiler& compiler() {
  static Compiler instance;
  return instance;
}

}  // namespace

std::string compiler_path() {
  if (const char* configured = std::getenv("KILN_LLVM"); configured && *configured)
    return executable(configured) ? configured : "";
  char self[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n > 0) {
    std::string dir(self, static_cast<size_t>(n));
    dir = dir.substr(0, dir.rfind('/'));
    if (executable(dir + "/kiln-llvm")) return dir + "/kiln-llvm";
  }
  // Beside an installed libkiln.so: PREFIX/lib/libkiln.so, PREFIX/bin/kiln-llvm.
  Dl_info library;
  if (dladdr(reinterpret_cast<const void*>(&compiler_path), &library) && library.dli_fname) {
    std::string dir(library.dli_fname);
    dir = dir.substr(0, dir.rfind('/') == std::string::npos ? 0 : dir.rfind('/'));
    std::string beside = (dir.empty() ? "." : dir) + "/" + KILN_LIBDIR_TO_BINDIR + "/kiln-llvm";
    if (executable(beside)) return beside;
  }
  std::string installed = std::string(KILN_INSTALL_BINDIR) + "/kiln-llvm";
  if (executable(installed)) return installed;
  return "";
}

std::string compiler_build() {
  std::string path = compiler_path();
  struct stat info;
  if (path.empty() || stat(path.c_str(), &info) != 0) return "none";
  return path + " " + std::to_string(info.st_size) + " " + std::to_string(info.st_mtim.tv_sec) + "." +
         std::to_string(info.st_mtim.tv_nsec);
}

Expected<CompileResponse> run_compiler(const CompileRequest& request) { return compiler().run(request); }

}  // namespace kiln::native
