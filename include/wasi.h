/* WASI preview1 for the C API, in the style of Wasmtime's wasi.h: a
 * wasi_config_t says what a guest may see (its arguments, environment,
 * standard streams and directories), and kiln_linker_define_wasi defines every
 * `wasi_snapshot_preview1` function in a linker (wasm.h's Kiln extensions) for
 * the guest to import.
 *
 *   wasi_config_t* config = wasi_config_new();
 *   const char* argv[] = {"app.wasm", "input.txt"};
 *   wasi_config_set_argv(config, 2, argv);
 *   wasi_config_inherit_stdout(config);
 *   wasi_config_preopen_dir(config, "/srv/data", "/data");
 *   kiln_linker_t* linker = kiln_linker_new(store);
 *   kiln_linker_define_wasi(linker, config);          (takes the config)
 *   wasm_instance_t* instance = kiln_linker_instantiate(linker, module, &trap);
 *   ... call the export "_start"; a trap from proc_exit carries the exit status:
 *   kiln_trap_exit_status(trap, &status).
 *
 * A new config gives the guest nothing: no arguments, no environment
 * variables, no directories, and closed standard streams (fds 0, 1 and 2; a
 * guest's write to a closed fd fails with EBADF). The guest's file system is
 * the preopened directories only, with the sandbox described in docs/wasi.md.
 * Every call that can fail returns false and sets kiln_last_error_message. */
#ifndef WASI_H
#define WASI_H

#include <stdbool.h>
#include <stddef.h>

#include "wasm.h"

#ifndef WASI_API_EXTERN
#define WASI_API_EXTERN __attribute__((visibility("default")))
#endif

#ifndef own
#define own
#define KILN_WASI_H_DEFINED_OWN
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---- configuration -------------------------------------------------------- */

typedef struct wasi_config_t wasi_config_t;

WASI_API_EXTERN own wasi_config_t* wasi_config_new(void);
WASI_API_EXTERN void wasi_config_delete(own wasi_config_t*);

/* The guest's argv (argv[0], the program's name, included), copied; replaces
 * earlier arguments and wasi_config_inherit_argv. False if an argument is NULL. */
WASI_API_EXTERN bool wasi_config_set_argv(wasi_config_t*, size_t argc, const char* argv[]);
/* The guest's argv is this process's own (read from /proc/self/cmdline when
 * the linker defines WASI). */
WASI_API_EXTERN void wasi_config_inherit_argv(wasi_config_t*);

/* The guest's environment: names[i]=values[i], copied, in this order (a later
 * name replaces an earlier one); replaces earlier variables and
 * wasi_config_inherit_env. False if a name or value is NULL or a name is empty
 * or contains '='. */
WASI_API_EXTERN bool wasi_config_set_env(wasi_config_t*, size_t envc, const char* names[], const char* values[]);
/* The guest's environment is this process's (as it is when the linker defines
 * WASI); replaces wasi_config_set_env. */
WASI_API_EXTERN void wasi_config_inherit_env(wasi_config_t*);

/* The guest's fd 0, 1 or 2 is this process's stdin, stdout or stderr: the
 * same host file descriptor, borrowed (a guest closing it closes only its own
 * name for it). Not inheriting a stream leaves that guest fd closed. */
WASI_API_EXTERN void wasi_config_inherit_stdin(wasi_config_t*);
WASI_API_EXTERN void wasi_config_inherit_stdout(wasi_config_t*);
WASI_API_EXTERN void wasi_config_inherit_stderr(wasi_config_t*);

/* Gives the guest the host directory `host_path` under the name `guest_path`
 * (what wasi-libc matches its absolute paths against, say "/data" or "."):
 * preopens are the guest's fds 3, 4, ... in the order of these calls. False
 * (and the last error) if `host_path` cannot be opened as a directory. */
WASI_API_EXTERN bool wasi_config_preopen_dir(wasi_config_t*, const char* host_path, const char* guest_path);

/* ---- linking and running -------------------------------------------------- */

/* Defines every wasi_snapshot_preview1 function in `linker` for a guest
 * configured by `config`, which this call takes (and deletes) whatever it
 * returns. The functions are objects of the linker's store, with their own
 * state (arguments, environment, file descriptors); defining WASI again gives
 * instances made afterwards a new state. False (and the last error) if a
 * preopened directory can no longer be opened. */
WASI_API_EXTERN bool kiln_linker_define_wasi(kiln_linker_t* linker, own wasi_config_t* config);

/* A guest's proc_exit(status) unwinds it as a trap (from wasm_func_call, or
 * from kiln_linker_instantiate when a start function exits) whose message is
 * "exit with status N". True, with *status set, if `trap` is such an exit;
 * false for any other trap. A guest whose _start returns without calling
 * proc_exit (wasi-libc does so when main returns 0) gives no trap at all. */
WASI_API_EXTERN bool kiln_trap_exit_status(const wasm_trap_t* trap, int* status);

#ifdef __cplusplus
} /* extern "C" */
#endif

#ifdef KILN_WASI_H_DEFINED_OWN
#undef own
#undef KILN_WASI_H_DEFINED_OWN
#endif

#endif /* WASI_H */
