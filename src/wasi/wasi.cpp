// The WASI context and the binding of the functions to a Linker.
#include "wasi/wasi.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <type_traits>
#include <utility>

#include "wasi/functions.h"

extern char** environ;

namespace kiln::wasi {

namespace {

// Sets NAME=VALUE in `env`, replacing an earlier NAME.
void set_env(std::vector<std::string>& env, const std::string& entry) {
  std::string_view name = std::string_view(entry).substr(0, entry.find('='));
  for (std::string& e : env) {
    if (std::string_view(e).substr(0, e.find('=')) == name) {
      e = entry;
      return;
    }
  }
  env.push_back(entry);
}

}  // namespace

Expected<std::shared_ptr<WasiContext>> WasiContext::create(const WasiConfig& config) {
  std::shared_ptr<WasiContext> context(new WasiContext());
  context->args_ = config.args;
  if (config.inherit_env)
    for (char** e = environ; e && *e; ++e) set_env(context->env_, *e);
  for (const std::string& e : config.env) set_env(context->env_, e);

  if (config.inherit_stdio) {
    for (int fd = 0; fd <= 2; ++fd)
      if (fcntl(fd, F_GETFD) >= 0)  // open on the host
        context->fds_.insert_at(static_cast<uint32_t>(fd), entry_for_host_fd(fd, false));
  }
  uint32_t next = 3;
  for (const Preopen& preopen : config.preopens) {
    int fd = open(preopen.host_path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
      return Error(ErrorKind::Io, "cannot open directory '" + preopen.host_path + "': " + std::strerror(errno));
    FdEntry entry = entry_for_host_fd(fd);
    entry.preopen = true;
    entry.preopen_name = preopen.guest_path;
    context->fds_.insert_at(next++, std::move(entry));
  }
  for (int socket : config.sockets) context->fds_.insert_at(next++, entry_for_host_fd(socket));
  return context;
}

namespace {

template <class T>
constexpr ir::ValType wasm_type() {
  static_assert(std::is_same_v<T, u32> || std::is_same_v<T, u64>);
  return sizeof(T) == 8 ? ir::ValType::i64() : ir::ValType::i32();
}

template <class T>
T read_slot(const runtime::RawValue& slot) {
  if constexpr (sizeof(T) == 8) return slot.i64;
  else return slot.i32;
}

template <class R, class... A>
ir::FuncType func_type(R (*)(Call&, A...)) {
  ir::FuncType type;
  type.params = {wasm_type<A>()...};
  if constexpr (!std::is_same_v<R, Expected<void>>) type.results = {ir::ValType::i32()};
  return type;
}

template <class R, class... A, size_t... I>
Expected<void> invoke(R (*fn)(Call&, A...), Call& call, runtime::RawValue* slots, std::index_sequence<I...>) {
  if constexpr (std::is_same_v<R, Expected<void>>) {
    return fn(call, read_slot<A>(slots[I])...);
  } else {
    R result = fn(call, read_slot<A>(slots[I])...);
    Errno e;
    if constexpr (std::is_same_v<R, Errno>) {
      e = result;
    } else {
      if (!result) return std::move(result).error();
      e = *result;
    }
    slots[0].i32 = static_cast<uint32_t>(e);
    return {};
  }
}

template <class R, class... A>
runtime::HostCallback bind(std::shared_ptr<WasiContext> context, R (*fn)(Call&, A...)) {
  return [context = std::move(context), fn](runtime::HostCallContext& host, runtime::RawValue* slots) {
    const runtime::Memory* memory =
        host.caller && !host.caller->memories.empty() ? host.caller->memories[0] : nullptr;
    Call call{*context, GuestMemory(memory)};
    return invoke(fn, call, slots, std::index_sequence_for<A...>{});
  };
}

}  // namespace

void define_wasi(runtime::Linker& linker, runtime::Store& store, std::shared_ptr<WasiContext> context) {
#define KILN_DEFINE(name)                                                                            \
  linker.define(kModuleName, #name,                                                                  \
                runtime::Extern::func(store.create_host_function(func_type(&name), bind(context, &name), \
                                                                 std::string(kModuleName) + "::" #name)));
  KILN_WASI_FUNCTIONS(KILN_DEFINE)
#undef KILN_DEFINE
}

Expected<std::shared_ptr<WasiContext>> add_to_linker(runtime::Linker& linker, runtime::Store& store,
                                                     const WasiConfig& config) {
  std::shared_ptr<WasiContext> context = KILN_TRY(WasiContext::create(config));
  define_wasi(linker, store, context);
  return context;
}

}  // namespace kiln::wasi
