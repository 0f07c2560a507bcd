// WASI preview1 (`wasi_snapshot_preview1`) for Kiln: configure what a guest may
// see (arguments, environment, preopened directories, sockets), then define the
// functions on a Linker before instantiating the guest.
//
//   wasi::WasiConfig config;
//   config.args = {"app.wasm", "--verbose"};
//   config.preopens.push_back({"/srv/data", "/data"});
//   auto context = KILN_TRY(wasi::add_to_linker(linker, store, config));
//   Instance* instance = KILN_TRY(linker.instantiate(store, module));
//   ... call "_start"; an Error of kind Exit carries proc_exit's code.
//
// See docs/wasi.md for the sandbox model and the errno mapping.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "base/error.h"
#include "runtime/linker.h"
#include "runtime/store.h"
#include "wasi/fd_table.h"

namespace kiln::wasi {

inline constexpr const char* kModuleName = "wasi_snapshot_preview1";

struct Preopen {
  std::string host_path;   // a directory on the host
  std::string guest_path;  // the name the guest sees (fd_prestat_dir_name)
};

struct WasiConfig {
  std::vector<std::string> args;  // argv, argv[0] included
  // Environment as NAME=VALUE strings, after the host's when inherit_env is set
  // (a later NAME replaces an earlier one).
  std::vector<std::string> env;
  bool inherit_env = false;
  bool inherit_stdio = true;  // guest fds 0, 1, 2 are the host's (else they are closed)
  std::vector<Preopen> preopens;  // guest fds 3, 4, ... in this order
  // Host sockets (listening or connected) handed to the guest after the
  // preopens; the context takes ownership. For sock_accept and friends.
  std::vector<int> sockets;
};

// The state of one WASI guest: its arguments, environment and file descriptors.
class WasiContext {
 public:
  // Opens the preopened directories; Io error when one cannot be opened.
  static Expected<std::shared_ptr<WasiContext>> create(const WasiConfig& config);

  const std::vector<std::string>& args() const { return args_; }
  const std::vector<std::string>& env() const { return env_; }
  FdTable& fds() { return fds_; }

 private:
  WasiContext() = default;
  std::vector<std::string> args_;
  std::vector<std::string> env_;
  FdTable fds_;
};

// Defines every wasi_snapshot_preview1 function on `linker`, bound to `context`.
void define_wasi(runtime::Linker& linker, runtime::Store& store, std::shared_ptr<WasiContext> context);

// WasiContext::create, then define_wasi.
Expected<std::shared_ptr<WasiContext>> add_to_linker(runtime::Linker& linker, runtime::Store& store,
                                                     const WasiConfig& config);

}  // namespace kiln::wasi
