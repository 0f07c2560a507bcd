/* Runs a WASI program with the C API: wasi.h's wasi_config_t, defined in a
 * kiln_linker_t (wasm.h's Kiln extensions). Shown whole in docs/wasi.md;
 * tests/docs/run.sh builds it against the installed Kiln, runs it where cat.wat
 * and data/ are, and compares its output with wasi_host.out. */
#include <stdio.h>

#include <wasi.h>
#include <wasm.h>

static int fail(const char* call) {
  wasm_message_t message;
  kiln_last_error_message(&message);
  printf("%s: %s\n", call, message.data);
  wasm_byte_vec_delete(&message);
  return 1;
}

int main(void) {
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  static char text[16384];
  FILE* file = fopen("cat.wat", "rb");
  size_t size = file ? fread(text, 1, sizeof text, file) : 0;
  if (file) fclose(file);
  wasm_byte_vec_t bytes;
  wasm_byte_vec_new(&bytes, size, text);
  wasm_module_t* module = wasm_module_new(store, &bytes);
  wasm_byte_vec_delete(&bytes);
  if (!module) return fail("wasm_module_new");

  wasi_config_t* config = wasi_config_new();  /* gives nothing until told */
  const char* argv[] = {"cat", "hello.txt", "missing.txt"};
  const char* names[] = {"LANG", "GREETING"};
  const char* values[] = {"C", "hello"};
  wasi_config_set_argv(config, 3, argv);
  wasi_config_set_env(config, 2, names, values);
  wasi_config_inherit_stdout(config);
  wasi_config_inherit_stderr(config);
  if (!wasi_config_preopen_dir(config, "data", "/data")) return fail("wasi_config_preopen_dir");

  kiln_linker_t* linker = kiln_linker_new(store);
  if (!kiln_linker_define_wasi(linker, config)) return fail("kiln_linker_define_wasi");  /* takes config */
  wasm_trap_t* trap = NULL;
  wasm_instance_t* instance = kiln_linker_instantiate(linker, module, &trap);
  if (!instance) return fail("kiln_linker_instantiate");

  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);  /* memory, _start */
  wasm_val_vec_t none = WASM_EMPTY_VEC;
  fflush(stdout);  /* the guest writes to fd 1 itself */
  trap = wasm_func_call(wasm_extern_as_func(exports.data[1]), &none, &none);
  int status = 0;  /* _start returned */
  if (trap && !kiln_trap_exit_status(trap, &status)) {
    wasm_message_t message;
    wasm_trap_message(trap, &message);
    printf("trap: %s\n", message.data);  /* a trap, not proc_exit */
    wasm_byte_vec_delete(&message);
    status = -1;
  }
  printf("exit status %d\n", status);

  wasm_trap_delete(trap);
  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  kiln_linker_delete(linker);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  return 0;
}
