// A C++ host for plugin.wat (or its .wasm): gives the plugin two host functions,
// calls its `step` export in a loop, then reads the totals it wrote into its
// memory.  Usage: cpp_host [PLUGIN]
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <kiln/kiln.hpp>

int main(int argc, char** argv) {
  const char* path = argc > 1 ? argv[1] : "plugin.wat";
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    std::fprintf(stderr, "cannot read %s\n", path);
    return 1;
  }
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());

  // Engine and Config: limits for every store of this engine.
  kiln::Config config;
  config.max_memory_pages = 16;  // 1 MiB per memory is plenty for a plugin
  kiln::Engine engine(config);

  // A module is compiled once and can be instantiated many times.
  kiln::Expected<kiln::Module> module = kiln::Module::from_bytes(engine, bytes);
  if (!module) {
    std::fprintf(stderr, "%s\n", module.error().to_string().c_str());
    return 1;
  }

  // Host functions, bound from ordinary C++ callables; their signatures are
  // checked against the plugin's imports when it is instantiated.
  kiln::Linker linker(engine);
  linker.func_wrap("env", "log", [](kiln::Caller& caller, int32_t ptr, int32_t len) -> kiln::Expected<void> {
    std::optional<kiln::Memory> memory = caller.memory();
    std::span<uint8_t> bytes = memory->span();
    if (ptr < 0 || len < 0 || static_cast<uint64_t>(ptr) + static_cast<uint64_t>(len) > bytes.size())
      return kiln::Error(kiln::ErrorKind::Trap, "log: string out of bounds");
    std::printf("plugin says: %.*s\n", static_cast<int>(len), reinterpret_cast<const char*>(bytes.data() + ptr));
    return {};
  });
  linker.func_wrap("env", "weight", [](int32_t step) -> int32_t { return step * step; });

  kiln::Store store(engine);
  kiln::Expected<kiln::Instance> instance = linker.instantiate(store, *module);
  if (!instance) {
    std::fprintf(stderr, "%s\n", instance.error().to_string().c_str());
    return 1;
  }

  // Typed calls: the signature is checked once, here; each call is then direct.
  auto init = instance->get_typed_func<void()>("init");
  auto step = instance->get_typed_func<int32_t(int32_t)>("step");
  if (!init || !step) {
    std::fprintf(stderr, "the plugin lacks init or step\n");
    return 1;
  }
  if (auto ok = init->call(); !ok) {
    std::fprintf(stderr, "init: %s\n", ok.error().to_string().c_str());
    return 1;
  }
  int32_t total = 0;
  for (int32_t i = 0; i < 10; ++i) {
    kiln::Expected<int32_t> result = step->call(i);
    if (!result) {
      std::fprintf(stderr, "step: %s\n", result.error().to_string().c_str());
      return 1;
    }
    total = *result;
  }
  std::printf("total after 10 steps: %" PRId32 "\n", total);

  // The plugin's memory: data() never moves, but a span covers the size at the
  // time it was taken, so take it after the calls.
  kiln::Memory memory = *instance->get_memory("memory");
  std::span<uint8_t> bytes_now = memory.span();
  std::printf("totals in memory:");
  for (int i = 0; i < 10; ++i) {
    int32_t value;
    std::memcpy(&value, bytes_now.data() + 64 + 4 * i, 4);
    std::printf(" %" PRId32, value);
  }
  std::printf("\n");

  // A trap comes back as an Error, with a wasm backtrace.
  auto ratio = instance->get_typed_func<int32_t(int32_t)>("ratio");
  kiln::Expected<int32_t> bad = ratio->call(0);
  if (!bad) std::printf("ratio(0) trapped: %s\n", bad.error().message.c_str());
  return 0;
}
