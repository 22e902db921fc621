// One workerd cold start through miniflare, in a fresh process: start workerd
// with the bundled WORKER_DIR/worker.js, send one request (the worker makes
// its first cancel call), print the times. The difference between the
// package's worker and the raw fetch worker is the package's cost.
import { join } from 'node:path';

const [workerDir, base, token] = process.argv.slice(2);
const t0 = performance.now();
const { Miniflare } = await import('miniflare');
const mf = new Miniflare({
  modules: true,
  scriptPath: join(workerDir, 'worker.js'),
  modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'] }],
  compatibilityDate: '2026-04-01',
  bindings: { BASE: base, TOKEN: token },
});
await mf.ready;
const t1 = performance.now();
const res = await mf.dispatchFetch('http://localhost/');
const text = await res.text();
const t2 = performance.now();
await mf.dispose();
if (res.status !== 200) {
  console.error(`worker answered ${res.status}: ${text.slice(0, 500)}`);
  process.exit(1);
}
console.log(JSON.stringify({ readyMs: t1 - t0, firstRequestMs: t2 - t1, totalMs: t2 - t0, body: text.slice(0, 200) }));
