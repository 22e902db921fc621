// Builds the publishable npm package into pkg/:
//   1. wasm-pack (web target, its own wasm-opt off) into target/wasm-web;
//   2. wasm-opt -Oz from the npm `binaryen` package;
//   3. pkg/ = the glue, the .wasm, the JS snippet, one entry per kind of
//      runtime (each initialises the module at import), the types and
//      package.json;
//   4. npm pack into target/, then prints the sizes and writes them to
//      target/package-size.json.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'target', 'wasm-web');
const pkg = join(root, 'pkg');
const base = 'route_optimization_operations';
const glue = `./${base}.js`;
const wasmFile = `${base}_bg.wasm`;

// The public names; every entry exports exactly these.
const exported = [
  'cancelOperation', 'getOperation', 'deleteOperation', 'listOperations', 'iterateOperations',
  'waitOperation', 'cancelAndConfirm', 'cancelOperations', 'OperationsClient',
];

const run = (cmd, args, options = {}) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit', ...options });

run('wasm-pack', ['build', '--release', '--target', 'web', '--out-dir', built, '--out-name', base, '--no-pack', '--no-typescript']);

const wasm = join(built, wasmFile);
run(join(root, 'node_modules', '.bin', 'wasm-opt'), [
  wasm, '-o', wasm, '-Oz',
  // The features rustc enables for wasm32-unknown-unknown.
  '--enable-bulk-memory', '--enable-sign-ext', '--enable-nontrapping-float-to-int',
  '--enable-mutable-globals', '--enable-reference-types', '--enable-multivalue',
  '--strip-debug', '--strip-producers',
]);

// Fail the build if the glue exports something the entries would not.
const glueSource = readFileSync(join(built, `${base}.js`), 'utf8');
const glueExports = [...glueSource.matchAll(/^export (?:async )?(?:function|class|const) (\w+)/gm)].map((m) => m[1]);
const unexpected = glueExports.filter((name) => !exported.includes(name) && name !== 'initSync');
const missing = exported.filter((name) => !glueExports.includes(name));
if (unexpected.length || missing.length) {
  throw new Error(`exports out of step with the glue: unexpected ${unexpected}, missing ${missing}`);
}

rmSync(pkg, { recursive: true, force: true });
mkdirSync(pkg);
for (const file of [`${base}.js`, wasmFile, 'snippets']) cpSync(join(built, file), join(pkg, file), { recursive: true });
const [snippetDir] = readdirSync(join(pkg, 'snippets'));
const support = `./snippets/${snippetDir}/js/support.js`;

const reexports = `export { ${exported.join(', ')} } from '${glue}';
export { OperationsError } from '${support}';
`;
const entry = (comment, init) => `// route-optimization-operations: ${comment}
${init}
${reexports}`;
const entries = {
  // Browsers, Web Workers and bundlers (Vite, webpack, esbuild): the glue
  // fetches the .wasm next to itself (`new URL(..., import.meta.url)`, which
  // bundlers turn into an asset).
  'browser.js': entry('browsers, Web Workers and bundlers.', `import init from '${glue}';\n\nawait init();`),
  // Node, Deno and Bun: read the .wasm synchronously, so the module also
  // loads through require() where the runtime allows require(esm).
  'node.js': entry('Node, Deno and Bun.', `import { readFileSync } from 'node:fs';
import { initSync } from '${glue}';

initSync({ module: readFileSync(new URL('./${wasmFile}', import.meta.url)) });`),
  // Cloudflare Workers (workerd): code cannot be compiled at run time, so the
  // .wasm is imported as a compiled module (wrangler and miniflare do this).
  'workerd.js': entry('Cloudflare Workers (workerd).', `import module from './${wasmFile}';
import { initSync } from '${glue}';

initSync({ module });`),
};
for (const [file, text] of Object.entries(entries)) writeFileSync(join(pkg, file), text);
cpSync(join(root, 'js', 'types.d.ts'), join(pkg, 'index.d.ts'));
cpSync(join(root, 'README.md'), join(pkg, 'README.md'));

const workspace = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const manifest = {
  name: 'route-optimization-operations',
  version: workspace.version,
  description:
    "Client for the long-running Operations API of Google's Route Optimization service: " +
    'one WebAssembly package for browsers, Web Workers, Node, Deno, Bun and Cloudflare Workers.',
  license: workspace.license,
  type: 'module',
  keywords: ['google', 'route-optimization', 'long-running-operations', 'wasm', 'cloudflare-workers', 'deno', 'bun'],
  engines: { node: '>=20' },
  exports: {
    '.': {
      types: './index.d.ts',
      workerd: './workerd.js',
      deno: './node.js',
      bun: './node.js',
      node: './node.js',
      browser: './browser.js',
      default: './browser.js',
    },
    './package.json': './package.json',
  },
  main: './node.js',
  module: './browser.js',
  types: './index.d.ts',
  files: [...Object.keys(entries), 'index.d.ts', `${base}.js`, wasmFile, 'snippets/'],
};
writeFileSync(join(pkg, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');

// The tarball users would install; the runtime proofs install it.
const packed = JSON.parse(
  execFileSync('npm', ['pack', '--json', '--pack-destination', join(root, 'target')], {
    cwd: pkg,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }),
)[0];
const tarball = join(root, 'target', packed.filename);

const gz = (file) => gzipSync(readFileSync(file), { level: 9 }).length;
const sizes = {
  wasm: statSync(wasm).size,
  wasmGzip: gz(wasm),
  glue: statSync(join(pkg, `${base}.js`)).size,
  glueGzip: gz(join(pkg, `${base}.js`)),
  tarball: statSync(tarball).size,
  tarballFiles: packed.entryCount,
};
sizes.totalGzip = sizes.wasmGzip + sizes.glueGzip;
writeFileSync(join(root, 'target', 'package-size.json'), JSON.stringify({ ...sizes, tarballPath: tarball }, null, 2) + '\n');
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
console.log(
  `package size: .wasm ${kib(sizes.wasm)} (${kib(sizes.wasmGzip)} gzipped) + glue ${kib(sizes.glue)} ` +
    `(${kib(sizes.glueGzip)} gzipped) = ${kib(sizes.totalGzip)} gzipped; ` +
    `tarball ${packed.filename} ${kib(sizes.tarball)} with ${sizes.tarballFiles} files`,
);
