// Builds the release package for browsers into pkg/web: wasm-pack (with its
// own wasm-opt off), then wasm-opt -Oz from the npm `binaryen` package, then
// prints the gzipped size of the .wasm plus its JS glue.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
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
