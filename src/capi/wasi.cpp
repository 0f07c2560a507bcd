// WASI in the C API (include/wasi.h): a wasi_config_t collects what the guest
// may see, and kiln_linker_define_wasi turns it into a WasiContext whose
// functions it defines in a linker.
#include "wasi.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

#include "capi/capi.h"
#include "wasi/wasi.h"

using namespace kiln;
using namespace kiln::capi;

struct wasi_config_t {
  // inherit_stdio stays on: the streams not in `inherit` are closed afterwards.
  wasi::WasiConfig config;
  bool inherit_argv = false;
  bool inherit[3] = {false, false, false};  // stdin, stdout, stderr
};

namespace {

// This process's arguments, as the kernel keeps them.
std::vector<std::string> own_argv() {
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::string> args;
  for (size_t at = 0; at < all.size();) {
    size_t end = all.find('\0', at);
    if (end == std::string::npos) end = all.size();
    args.push_back(all.substr(at, end - at));
    at = end + 1;
  }
  return args;
}

bool usage_error(std::string message) {
  set_last_error(Error(ErrorKind::Usage, std::move(message)));
  return false;
}

}  // namespace

extern "C" {

wasi_config_t* wasi_config_new(void) try { return new wasi_config_t; }
KILN_CAPI_CATCH(nullptr)

void wasi_config_delete(wasi_config_t* config) { delete config; }

bool wasi_config_set_argv(wasi_config_t* config, size_t argc, const char* argv[]) try {
  std::vector<std::string> args;
  for (size_t i = 0; i < argc; ++i) {
    if (!argv[i]) return usage_error("wasi_config_set_argv: argument " + std::to_string(i) + " is NULL");
    args.emplace_back(argv[i]);
  }
  config->config.args = std::move(args);
  config->inherit_argv = false;
  clear_last_error();
  return true;
}
KILN_CAPI_CATCH(false)

void wasi_config_inherit_argv(wasi_config_t* config) { config->inherit_argv = true; }

bool wasi_config_set_env(wasi_config_t* config, size_t envc, const char* names[], const char* values[]) try {
  std::vector<std::string> env;
  for (size_t i = 0; i < envc; ++i) {
    if (!names[i] || !values[i])
      return usage_error("wasi_config_set_env: variable " + std::to_string(i) + " has a NULL name or value");
    std::string name = names[i];
    if (name.empty() || name.find('=') != std::string::npos)
      return usage_error("wasi_config_set_env: variable name '" + name + "' is empty or contains '='");
    env.push_back(name + "=" + values[i]);
  }
  config->config.env = std::move(env);
  config->config.inherit_env = false;
  clear_last_error();
  return true;
}
KILN_CAPI_CATCH(false)

void wasi_config_inherit_env(wasi_config_t* config) {
  config->config.env.clear();
  config->config.inherit_env = true;
}

void wasi_config_inherit_stdin(wasi_config_t* config) { config->inherit[0] = true; }
void wasi_config_inherit_stdout(wasi_config_t* config) { config->inherit[1] = true; }
void wasi_config_inherit_stderr(wasi_config_t* config) { config->inherit[2] = true; }

bool wasi_config_preopen_dir(wasi_config_t* config, const char* host_path, const char* guest_path) try {
  if (!host_path || !guest_path) return usage_error("wasi_config_preopen_dir: the paths must not be NULL");
  // Opened now only to report a bad path at once; the linker opens it for good.
  int fd = open(host_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    set_last_error(Error(ErrorKind::Io, std::string("cannot open directory '") + host_path + "': " + std::strerror(errno)));
    return false;
  }
  close(fd);
  config->config.preopens.push_back({host_path, guest_path});
  clear_last_error();
  return true;
}
KILN_CAPI_CATCH(false)

bool kiln_linker_define_wasi(kiln_linker_t* linker, wasi_config_t* config) try {
  std::unique_ptr<wasi_config_t> owned(config);
  if (!linker || !config) return usage_error("kiln_linker_define_wasi: the linker and the config must not be NULL");
  wasi::WasiConfig c = config->config;
  c.inherit_stdio = true;
  if (config->inherit_argv) c.args = own_argv();
  Expected<std::shared_ptr<wasi::WasiContext>> context = wasi::WasiContext::create(c);
  if (!context) {
    set_last_error(std::move(context).error());
    return false;
  }
  for (uint32_t fd = 0; fd < 3; ++fd)
    if (!config->inherit[fd]) (*context)->fds().erase(fd);
  wasi::define_wasi(linker->linker, *linker->store->store, std::move(*context));
  linker->wasi_defined = true;
  clear_last_error();
  return true;
}
KILN_CAPI_CATCH(false)

bool kiln_trap_exit_status(const wasm_trap_t* trap, int* status) {
  if (!trap || trap->state->error.kind != ErrorKind::Exit) return false;
  if (status) *status = trap->state->error.exit_code;
  return true;
}

}  // extern "C"
