// Runs a wasm32-wasi program under Node's node:wasi with the command line of
// `kiln run`, so the WASI tests can compare the two:
//   node --no-warnings tests/wasi/node_run.mjs [--dir HOST[::GUEST]]... [--env NAME=VALUE]... FILE [ARGS...]
// argv[0] is FILE as given; stdio is this process's. The exit status is the
// guest's proc_exit code, or 134 after a trap (as kiln run and Wasmtime do).
import { readFile } from 'node:fs/promises';
import { argv, exit, stderr } from 'node:process';
import { WASI } from 'node:wasi';

const preopens = {};
const env = {};
let i = 2;
for (; i < argv.length; i++) {
  const arg = argv[i];
  if (arg === '--dir') {
    const spec = argv[++i];
    const sep = spec.indexOf('::');
    if (sep < 0) preopens[spec] = spec;
    else preopens[spec.slice(sep + 2)] = spec.slice(0, sep);
  } else if (arg === '--env') {
    const spec = argv[++i];
    const eq = spec.indexOf('=');
    if (eq < 0) env[spec] = process.env[spec] ?? '';
    else env[spec.slice(0, eq)] = spec.slice(eq + 1);
  } else if (arg === '--') {
    i++;
    break;
  } else {
    break;
  }
}
const file = argv[i];
const args = [file, ...argv.slice(i + 1)];
if (args[1] === '--') args.splice(1, 1);

const wasi = new WASI({ version: 'preview1', args, env, preopens, returnOnExit: true });
try {
  const module = await WebAssembly.compile(await readFile(file));
  const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
  exit(wasi.start(instance));
} catch (e) {
  stderr.write(`node_run: ${e instanceof WebAssembly.RuntimeError ? 'trap' : 'error'}: ${e.message}\n`);
  exit(e instanceof WebAssembly.RuntimeError ? 134 : 1);
}
