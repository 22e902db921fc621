// Builds the release package for browsers into pkg/web: wasm-pack (with its
// own wasm-opt off), then wasm-opt -Oz from the npm `binaryen` package, then
// prints the gzipped size of the .wasm plus its JS glue.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'pkg', 'web');
const base = 'route_optimization_operations';

const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });

run('wasm-pack', ['build', '--release', '--target', 'web', '--out-dir', out, '--out-name', base, '--no-pack']);

const wasm = join(out, `${base}_bg.wasm`);
run(join(root, 'node_modules', '.bin', 'wasm-opt'), [
  wasm, '-o', wasm, '-Oz',
  // The features rustc enables for wasm32-unknown-unknown.
  '--enable-bulk-memory', '--enable-sign-ext', '--enable-nontrapping-float-to-int',
  '--enable-mutable-globals', '--enable-reference-types', '--enable-multivalue',
  '--strip-debug', '--strip-producers',
]);

// The entry point: the generated glue plus the OperationsError class, which
// wasm-bindgen keeps in a snippet file it does not re-export.
const [snippetDir] = readdirSync(join(out, 'snippets'));
const errorModule = `./snippets/${snippetDir}/js/support.js`;
writeFileSync(join(out, 'index.js'), `export * from './${base}.js';
export { default } from './${base}.js';
export { OperationsError } from '${errorModule}';
`);
writeFileSync(join(out, 'index.d.ts'), `export * from './${base}.js';
export { default } from './${base}.js';
import type { OperationsErrorKind } from './${base}.js';

/** The error every function rejects with. */
export declare class OperationsError extends Error {
  constructor(message: string, fields?: Partial<OperationsError>);
  readonly name: 'OperationsError';
  /** What went wrong; stable, for branching. */
  kind: OperationsErrorKind;
  /** Numeric google.rpc.Code. */
  code: number;
  /** Canonical name of code, e.g. "NOT_FOUND". */
  status: string;
  /** HTTP status, when there was a response. */
  httpStatus?: number;
  /** google.rpc.Status details as the server sent them. */
  details: object[];
  /** Whether the same call may succeed if repeated. */
  retryable: boolean;
  /** The start (at most 1 KiB) of a body that was not a JSON error envelope. */
  body?: string;
  /** Delay the server asked for before a retry (RetryInfo), in milliseconds. */
  retryDelayMs?: number;
}
`);

const gz = (file) => gzipSync(readFileSync(file), { level: 9 }).length;
const sizes = {
  wasm: readFileSync(wasm).length,
  wasmGzip: gz(wasm),
  glue: readFileSync(join(out, `${base}.js`)).length,
  glueGzip: gz(join(out, `${base}.js`)),
};
sizes.totalGzip = sizes.wasmGzip + sizes.glueGzip;
writeFileSync(join(out, 'size.json'), JSON.stringify(sizes, null, 2) + '\n');
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
console.log(
  `package size: .wasm ${kib(sizes.wasm)} (${kib(sizes.wasmGzip)} gzipped) + glue ${kib(sizes.glue)} ` +
  `(${kib(sizes.glueGzip)} gzipped) = ${kib(sizes.totalGzip)} gzipped`,
);
