// `kiln run`'s WASI options (--dir, --env, --inherit-env, --tcplisten) turned
// into a wasi::WasiConfig.
#include "cli/wasi_setup.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace kiln::cli {

namespace {

// --dir HOST[::GUEST]: the guest sees HOST under the name GUEST (HOST itself
// when there is no GUEST), as Wasmtime's --dir does.
wasi::Preopen parse_dir(const std::string& spec) {
  size_t sep = spec.find("::");
  if (sep == std::string::npos) return {spec, spec};
  return {spec.substr(0, sep), spec.substr(sep + 2)};
}

// --env NAME=VALUE sets a variable; --env NAME passes the host's value of NAME.
std::optional<std::string> parse_env(const std::string& spec) {
  if (spec.find('=') != std::string::npos) return spec;
  const char* value = std::getenv(spec.c_str());
  if (!value) return std::nullopt;
  return spec + "=" + value;
}

// --tcplisten HOST:PORT: a listening TCP socket the guest can sock_accept on.
Expected<int> listen_on(const std::string& address) {
  size_t colon = address.rfind(':');
  if (colon == std::string::npos) return Error(ErrorKind::Usage, "--tcplisten wants HOST:PORT, not '" + address + "'");
  std::string host = address.substr(0, colon), port = address.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  if (int rc = getaddrinfo(host.c_str(), port.c_str(), &hints, &found); rc != 0)
    return Error(ErrorKind::Usage, "--tcplisten " + address + ": " + gai_strerror(rc));
  int fd = socket(found->ai_family, found->ai_socktype | SOCK_CLOEXEC, found->ai_protocol);
  int one = 1;
  bool ok = fd >= 0 && setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) == 0 &&
            bind(fd, found->ai_addr, found->ai_addrlen) == 0 && listen(fd, SOMAXCONN) == 0;
  int error = errno;
  freeaddrinfo(found);
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
    if (std::optional<std::string> entry = parse_env(spec)) config.env.push_back(*entry);
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
