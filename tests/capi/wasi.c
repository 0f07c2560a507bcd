// wasi: a WASI program (wasi.wat) run through wasi.h. The guest prints hello,
// world, the arguments and environment the host set, and a file from the
// directory the host preopened, then exits with status 3, which the host reads
// from the trap. Then: a guest without stdout, the three streams inherited one
// by one, the host's own argv and environment, and the errors of the set-up.
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "last_error.h"
#include "load.h"
#include "wasi.h"
#include "wasm.h"

extern char** environ;

// The exports of wasi.wat, in its order.
enum { EXPORT_START = 1, EXPORT_ARGC, EXPORT_ARGS_SIZE, EXPORT_ENVC, EXPORT_ENV_SIZE, EXPORT_FDSTAT };

// An instance of `module` whose WASI is configured by `config` (taken).
static wasm_instance_t* instantiate(wasm_store_t* store, const wasm_module_t* module, wasi_config_t* config) {
  kiln_linker_t* linker = kiln_linker_new(store);
  if (!kiln_linker_define_wasi(linker, config)) {
    print_last_error("> kiln_linker_define_wasi");
    exit(1);
  }
  wasm_trap_t* trap = NULL;
  wasm_instance_t* instance = kiln_linker_instantiate(linker, module, &trap);
  kiln_linker_delete(linker);
  if (!instance) {
    print_last_error("> kiln_linker_instantiate");
    exit(1);
  }
  return instance;
}

// Calls export `index` with one i32 argument (or none when `arg` < 0) and
// returns its i32 result.
static int32_t call(const wasm_instance_t* instance, size_t index, int32_t arg) {
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  wasm_val_t arg_val[1] = {WASM_I32_VAL(arg)};
  wasm_val_t result_val[1] = {WASM_INIT_VAL};
  wasm_val_vec_t args = {arg < 0 ? 0 : 1, arg_val};
  wasm_val_vec_t results = WASM_ARRAY_VEC(result_val);
  wasm_trap_t* trap = wasm_func_call(wasm_extern_as_func(exports.data[index]), &args, &results);
  wasm_extern_vec_delete(&exports);
  if (trap) {
    printf("> export %zu trapped\n", index);
    exit(1);
  }
  return result_val[0].of.i32;
}

// Runs _start; prints the trap's message and the exit status it carries.
static void run_start(const wasm_instance_t* instance) {
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  wasm_val_vec_t none = WASM_EMPTY_VEC;
  fflush(stdout);  // the guest writes to the same fd 1, unbuffered
  wasm_trap_t* trap = wasm_func_call(wasm_extern_as_func(exports.data[EXPORT_START]), &none, &none);
  wasm_extern_vec_delete(&exports);
  if (!trap) {
    printf("_start returned\n");
    return;
  }
  wasm_message_t message;
  wasm_trap_message(trap, &message);
  int status = -1;
  bool exited = kiln_trap_exit_status(trap, &status);
  printf("_start trapped: %s; kiln_trap_exit_status: %s, status %d\n", message.data, exited ? "true" : "false",
         status);
  wasm_byte_vec_delete(&message);
  wasm_trap_delete(trap);
}

static void print_fds(const char* what, const wasm_instance_t* instance) {
  printf("%s: fd_fdstat_get errno of fd 0 %d, fd 1 %d, fd 2 %d\n", what, call(instance, EXPORT_FDSTAT, 0),
         call(instance, EXPORT_FDSTAT, 1), call(instance, EXPORT_FDSTAT, 2));
}

int main(int argc, char** argv) {
  // The directory the guest is given, with its one file.
  if (mkdir("wasi-dir", 0755) != 0 && errno != EEXIST) return 1;
  FILE* file = fopen("wasi-dir/message.txt", "w");
  if (!file) return 1;
  fputs("read through a preopened directory\n", file);
  fclose(file);

  wasm_engine_t* engine = test_engine();
  wasm_store_t* store = wasm_store_new(engine);
  wasm_byte_vec_t binary = load("wasi.wasm");
  wasm_module_t* module = wasm_module_new(store, &binary);
  wasm_byte_vec_delete(&binary);
  if (!module) {
    print_last_error("> wasm_module_new");
    return 1;
  }

  printf("Configuring: errors first...\n");
  wasi_config_t* config = wasi_config_new();
  printf("preopen no-such-dir: %s\n", wasi_config_preopen_dir(config, "no-such-dir", "/x") ? "true" : "false");
  print_last_error("> last error");
  const char* bad_names[] = {"A=B"};
  const char* bad_values[] = {"C"};
  printf("set_env A=B: %s\n", wasi_config_set_env(config, 1, bad_names, bad_values) ? "true" : "false");
  print_last_error("> last error");

  printf("Configuring: argv, env, stdout, a preopen...\n");
  const char* args[] = {"wasi.wasm", "first", "second arg"};
  const char* names[] = {"GREETING", "LANG"};
  const char* values[] = {"hi from the host", "C"};
  bool ok = wasi_config_set_argv(config, 3, args) && wasi_config_set_env(config, 2, names, values) &&
            wasi_config_preopen_dir(config, "wasi-dir", "/sandbox");
  wasi_config_inherit_stdout(config);
  printf("set-up: %s\n", ok ? "ok" : "failed");
  print_last_error("> last error");

  printf("Running _start...\n");
  wasm_instance_t* instance = instantiate(store, module, config);
  run_start(instance);
  print_fds("stdout only", instance);
  wasm_instance_delete(instance);

  printf("Running _start without stdout...\n");
  config = wasi_config_new();
  wasi_config_set_argv(config, 1, args);
  instance = instantiate(store, module, config);
  run_start(instance);
  print_fds("nothing inherited", instance);
  wasm_instance_delete(instance);

  printf("Inheriting stdin and stderr...\n");
  config = wasi_config_new();
  wasi_config_inherit_stdin(config);
  wasi_config_inherit_stderr(config);
  instance = instantiate(store, module, config);
  print_fds("stdin and stderr", instance);
  wasm_instance_delete(instance);

  printf("Inheriting the host's argv and environment...\n");
  config = wasi_config_new();
  wasi_config_set_argv(config, 3, args);  // replaced by the next call
  wasi_config_inherit_argv(config);
  wasi_config_set_env(config, 2, names, values);
  wasi_config_inherit_env(config);
  instance = instantiate(store, module, config);
  int32_t args_size = 0, envc = 0, env_size = 0;
  for (int i = 0; i < argc; ++i) args_size += (int32_t)strlen(argv[i]) + 1;
  for (char** e = environ; *e; ++e, ++envc) env_size += (int32_t)strlen(*e) + 1;
  printf("argc as the host's: %s; argv bytes as the host's: %s\n", call(instance, EXPORT_ARGC, -1) == argc ? "yes" : "no",
         call(instance, EXPORT_ARGS_SIZE, -1) == args_size ? "yes" : "no");
  printf("environment count as the host's: %s; bytes as the host's: %s\n",
         call(instance, EXPORT_ENVC, -1) == envc ? "yes" : "no",
         call(instance, EXPORT_ENV_SIZE, -1) == env_size ? "yes" : "no");
  wasm_instance_delete(instance);

  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  printf("Done.\n");
  return 0;
}
