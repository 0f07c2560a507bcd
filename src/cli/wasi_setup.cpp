// `kiln run`'s WASI options (--dir, --env, --inherit-env, --tcplisten) turned
// into a wasi::WasiConfig.
#include "cli/wasi_setup.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string_view>

namespace kiln::cli {

namespace {

// --dir HOST[::GUEST]: the guest sees HOST under the name GUEST (HOST itself
// when there is no GUEST), as Wasmtime's --dir does.
wasi::Preopen parse_dir(const std::string& spec) {
  size_t sep = spec.find("::");
  if (sep == std::string::npos) return {spec, spec};
  return {spec.substr(0, sep), spec.substr(sep + 2)};
}

// A portable environment variable name: letters, digits and '_', not starting
// with a digit. What --env takes for a name, so that a file name given by
// mistake (--env vars.env) is an error instead of a variable.
bool is_variable_name(std::string_view name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
  for (char c : name)
    if (!(c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
  return true;
}

// --env NAME=VALUE sets a variable; --env NAME passes the host's value of NAME
// (nothing when the host has none).
Expected<std::optional<std::string>> parse_env(const std::string& spec) {
  size_t equals = spec.find('=');
  std::string name = spec.substr(0, equals);
  if (!is_variable_name(name))
    return Error(ErrorKind::Usage, "--env wants NAME=VALUE or NAME, and '" + name + "' is not a variable name");
  if (equals != std::string::npos) return std::optional<std::string>(spec);
  const char* value = std::getenv(spec.c_str());
  if (!value) return std::optional<std::string>();
  return std::optional<std::string>(spec + "=" + value);
}

// A numeric socket address: IPv4 "a.b.c.d", IPv6 "[::1]" (or bare "::1"), or
// "localhost" (127.0.0.1). Names are not resolved: the kiln binary is linked
// statically for start-up time, and glibc's name service needs shared
// libraries at run time (Wasmtime's --tcplisten takes an address too).
std::optional<sockaddr_storage> socket_address(std::string host, unsigned port, socklen_t& length) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host == "localhost") host = "127.0.0.1";
  sockaddr_storage storage{};
  auto* v4 = reinterpret_cast<sockaddr_in*>(&storage);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&storage);
  if (inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(static_cast<uint16_t>(port));
    length = sizeof *v4;
  } else if (inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(static_cast<uint16_t>(port));
    length = sizeof *v6;
  } else {
    return std::nullopt;
  }
  return storage;
}

// --tcplisten HOST:PORT: a listening TCP socket the guest can sock_accept on.
Expected<int> listen_on(const std::string& address) {
  size_t colon = address.rfind(':');
  if (colon == std::string::npos) return Error(ErrorKind::Usage, "--tcplisten wants HOST:PORT, not '" + address + "'");
  std::string port_text = address.substr(colon + 1);
  char* end = nullptr;
  unsigned long port = std::strtoul(port_text.c_str(), &end, 10);
  if (port_text.empty() || *end != '\0' || port > 65535)
    return Error(ErrorKind::Usage, "--tcplisten " + address + ": bad port '" + port_text + "'");
  socklen_t length = 0;
  std::optional<sockaddr_storage> where = socket_address(address.substr(0, colon), port, length);
  if (!where)
    return Error(ErrorKind::Usage, "--tcplisten " + address + ": HOST must be an IPv4 or IPv6 address or localhost");
  int fd = socket(where->ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  bool ok = fd >= 0 && setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) == 0 &&
            bind(fd, reinterpret_cast<const sockaddr*>(&*where), length) == 0 && listen(fd, SOMAXCONN) == 0;
  int error = errno;
  if (!ok) {
    if (fd >= 0) close(fd);
    return Error(ErrorKind::Io, "--tcplisten " + address + ": " + std::strerror(error));
  }
  return fd;
}

}  // namespace

Expected<wasi::WasiConfig> wasi_config_for(const RunOptions& options) {
  wasi::WasiConfig config;
  config.args.push_back(options.file);  // argv[0] is the module as named on the command line
  if (options.invoke.empty()) config.args.insert(config.args.end(), options.args.begin(), options.args.end());
  config.inherit_env = options.inherit_env;
  for (const std::string& spec : options.envs)
    if (std::optional<std::string> entry = KILN_TRY(parse_env(spec))) config.env.push_back(*entry);
  for (const std::string& spec : options.dirs) config.preopens.push_back(parse_dir(spec));
  for (const std::string& address : options.tcplisten) {
    Expected<int> fd = listen_on(address);
    if (!fd) {
      for (int s : config.sockets) close(s);
      return std::move(fd).error();
    }
    config.sockets.push_back(*fd);
  }
  return config;
}

}  // namespace kiln::cli
