// Runs a WASI program with the C++ API: kiln::WasiConfig and
// Linker::define_wasi. Shown whole in docs/wasi.md; tests/docs/run.sh builds it
// against the installed Kiln, runs it where cat.wat and data/ are, and compares
// its output with wasi_host.out.
#include <cstdio>

#include <kiln/kiln.hpp>

int main() {
  kiln::Engine engine;
  kiln::Store store(engine);
  kiln::Expected<kiln::Module> module = kiln::Module::from_file(engine, "cat.wat");
  if (!module) {
    std::printf("%s\n", module.error().to_string().c_str());
    return 1;
  }

  kiln::WasiConfig wasi;
  wasi.args = {"cat", "hello.txt", "missing.txt"};     // argv, argv[0] included
  wasi.env = {{"LANG", "C"}, {"GREETING", "hello"}};   // NAME, VALUE
  wasi.inherit_env = false;    // true: the host's variables, then `env` (a later NAME wins)
  wasi.inherit_stdio = true;   // the default: guest fds 0-2 are the host's; false: closed
  wasi.preopens = {{"data", "/data"}};                 // host directory, guest name: fds 3, 4, ...

  kiln::Linker linker(engine);
  kiln::Expected<void> defined = linker.define_wasi(store, wasi);  // opens the preopens
  if (!defined) {
    std::printf("%s\n", defined.error().to_string().c_str());
    return 1;
  }
  kiln::Expected<kiln::Instance> instance = linker.instantiate(store, *module);
  if (!instance) {
    std::printf("%s\n", instance.error().to_string().c_str());
    return 1;
  }

  std::fflush(stdout);  // the guest writes to fd 1 itself
  kiln::Expected<void> run = instance->get_typed_func<void()>("_start")->call();
  // proc_exit unwinds the guest as an Error of kind Exit carrying the status;
  // a _start that returns means status 0.
  int status = 0;
  if (!run && run.error().kind == kiln::ErrorKind::Exit) {
    status = run.error().exit_code;
  } else if (!run) {
    std::printf("%s\n", run.error().to_string().c_str());  // a trap
    return 1;
  }
  std::printf("exit status %d\n", status);
  return 0;
}
