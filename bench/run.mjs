// The benchmark: route-optimization-operations against a hand-written fetch
// (the floor), google-gax's OperationsClient and @googlemaps/routeoptimization,
// all calling `cancel` on `operations/<id>` against one local loopback server.
// Writes bench/RESULTS.md (and the README's performance summary) when every
// section ran; bench/out/results.json always.
//
// Knobs (environment): BENCH_ROUNDS (7), BENCH_CALLS (2000), BENCH_SLICE (500), BENCH_COLD_RUNS
// (20), BENCH_WORKERD_RUNS (10), BENCH_BULK_SIZES (1000,10000,100000),
// BENCH_ONLY (comma list of: server,throughput,cold,workerd,sizes,bulk).
import { fork, spawnSync, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, release, loadavg, platform, arch } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { clients, TOKEN } from './clients.mjs';
import { browserSizes, wasmGzip } from './sizes.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
process.chdir(here);
mkdirSync('out', { recursive: true });

const env = process.env;
const cfg = {
  rounds: Number(env.BENCH_ROUNDS ?? 7),
  calls: Number(env.BENCH_CALLS ?? 2000),
  concurrency: 32,
  warmup: 200,
  slice: Number(env.BENCH_SLICE ?? 500),
  coldRuns: Number(env.BENCH_COLD_RUNS ?? 20),
  workerdRuns: Number(env.BENCH_WORKERD_RUNS ?? 10),
  bulkSizes: (env.BENCH_BULK_SIZES ?? '1000,10000,100000').split(',').map(Number),
  bulkConcurrency: 64,
};
const sections = ['server', 'throughput', 'cold', 'workerd', 'sizes', 'bulk'];
const only = env.BENCH_ONLY ? env.BENCH_ONLY.split(',') : sections;
const complete = sections.every((s) => only.includes(s)) && cfg.rounds >= 3 && cfg.calls >= 2000
  && cfg.coldRuns >= 10 && cfg.workerdRuns >= 10;
const clientIds = Object.keys(clients);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const rotate = (xs, k) => xs.map((_, i) => xs[(i + k) % xs.length]);
const log = (...a) => console.error('bench:', ...a);

const started = new Date();
const load0 = loadavg();

// ---------------------------------------------------------------- server
const server = fork(join(here, 'server.mjs'), [], { env: { ...env, BENCH_TOKEN: TOKEN }, stdio: 'inherit' });
const serverReplies = [];
server.on('message', (m) => serverReplies.shift()?.(m));
const ask = (msg) => new Promise((resolve) => { serverReplies.push(resolve); server.send(msg); });
const port = await new Promise((resolve) => server.once('message', (m) => resolve(m.port)));
serverReplies.length = 0;
const base = `http://127.0.0.1:${port}`;
log(`server on ${base}`);
const stopServer = () => server.connected && server.send({ cmd: 'close' });
process.on('exit', () => server.kill());

const results = { date: started.toISOString(), cfg, base };

function serverCapacity() {
  const runs = [];
  for (let i = 0; i < 3; i++) {
    const out = execFileSync(process.execPath, ['loadgen.mjs', String(port), '32', '2000'], { env: { ...env, BENCH_TOKEN: TOKEN } });
    runs.push(JSON.parse(out).rps);
  }
  return { rps: Math.max(...runs), runs };
}
if (only.includes('server')) {
  log('server alone (32 keep-alive connections of hand-written HTTP, best of 3)');
  results.serverBefore = serverCapacity();
  log(`  ${results.serverBefore.rps.toFixed(0)} requests/s`);
}

// ---------------------------------------------------------------- throughput
if (only.includes('throughput')) {
  log(`throughput: ${cfg.rounds} rounds x ${clientIds.length} clients x (sequential, concurrency ${cfg.concurrency}), ${cfg.calls} calls each`);
  const workers = {};
  for (const id of clientIds) {
    const w = fork(join(here, 'worker.mjs'), [], {
      env: { ...env, BENCH_CLIENT: id, BENCH_BASE: base, BENCH_TOKEN: TOKEN },
      execArgv: ['--expose-gc'],
      stdio: 'inherit',
    });
    await new Promise((resolve, reject) => {
      w.once('message', (m) => (m.ready ? resolve() : reject(new Error(`${id}: ${JSON.stringify(m)}`))));
      w.once('exit', (code) => reject(new Error(`${id} worker exited with ${code}`)));
    });
    workers[id] = w;
  }
  const modes = { sequential: 1, concurrent: cfg.concurrency };
  const raw = Object.fromEntries(clientIds.map((id) => [id, { sequential: [], concurrent: [] }]));
  const problems = [];
  const exec = (id, calls, concurrency, warmup = 0) => new Promise((resolve) => {
    workers[id].once('message', (m) => resolve(m.result));
    workers[id].send({ cmd: 'run', calls, concurrency, warmup });
  });
  const slices = Math.ceil(cfg.calls / cfg.slice);
  for (let round = 0; round < cfg.rounds; round++) {
    const order = rotate(clientIds, round);
    for (const [mode, concurrency] of Object.entries(modes)) {
      // Each client's calls of this round run in slices, the clients taking
      // turns slice by slice, so a burst of noise lands on all of them.
      const acc = Object.fromEntries(clientIds.map((id) => [id, {
        latencies: [], wallMs: 0, errors: 0, firstError: undefined, cancels: 0, badAuth: 0, other: 0, utilization: 0,
      }]));
      for (const id of order) await exec(id, 0, concurrency, cfg.warmup);
      for (let slice = 0; slice < slices; slice++) {
        const calls = Math.min(cfg.slice, cfg.calls - slice * cfg.slice);
        for (const id of rotate(order, slice)) {
          await ask({ cmd: 'reset' });
          const r = await exec(id, calls, concurrency);
          const { stats } = await ask({ cmd: 'stats' });
          const a = acc[id];
          a.latencies.push(...r.latencies);
          a.wallMs += r.wallMs;
          a.errors += r.errors;
          a.firstError ??= r.firstError;
          a.cancels += stats.cancels;
          a.badAuth += stats.badAuth;
          a.other += stats.other;
          a.utilization = Math.max(a.utilization, stats.utilization);
        }
      }
      for (const id of order) {
        const a = acc[id];
        const lat = Float64Array.from(a.latencies).sort();
        const pct = (p) => lat[Math.min(lat.length - 1, Math.floor((p / 100) * lat.length))];
        const result = {
          callsPerSec: (lat.length / a.wallMs) * 1000, p50: pct(50), p99: pct(99), wallMs: a.wallMs,
          errors: a.errors, serverUtilization: a.utilization,
        };
        if (a.errors || a.cancels !== cfg.calls || a.badAuth || a.other) {
          problems.push(`${id} ${mode} round ${round + 1}: ${a.errors} errors (${a.firstError ?? '-'}), ` +
            `server saw ${a.cancels}/${cfg.calls} cancels, ${a.badAuth} without the token, ${a.other} other`);
        }
        raw[id][mode].push(result);
        log(`  round ${round + 1} ${mode.padEnd(10)} ${id.padEnd(17)} ${result.callsPerSec.toFixed(0).padStart(6)} calls/s  ` +
          `p50 ${result.p50.toFixed(2)} ms  p99 ${result.p99.toFixed(2)} ms  (server busy ≤ ${(a.utilization * 100).toFixed(0)}%)`);
      }
    }
  }
  for (const w of Object.values(workers)) w.kill();
  const summary = {};
  for (const id of clientIds) {
    summary[id] = {};
    for (const mode of Object.keys(modes)) {
      const rs = raw[id][mode];
      const ratios = rs.map((r, i) => r.callsPerSec / raw.fetch[mode][i].callsPerSec);
      summary[id][mode] = {
        callsPerSec: median(rs.map((r) => r.callsPerSec)),
        p50: median(rs.map((r) => r.p50)),
        p99: median(rs.map((r) => r.p99)),
        ratio: median(ratios),
        ratioMin: Math.min(...ratios),
        ratioMax: Math.max(...ratios),
      };
    }
  }
  results.throughput = { summary, raw, problems };
  if (problems.length) log(`PROBLEMS:\n  ${problems.join('\n  ')}`);
}

// ---------------------------------------------------------------- cold start (Node)
function timedRun(args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...env, BENCH_TOKEN: TOKEN } });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed (${r.status}): ${r.stderr.slice(0, 1000)}`);
  const last = r.stdout.trim().split('\n').pop();
  return { wallMs, inner: last ? JSON.parse(last) : {} };
}
if (only.includes('cold')) {
  log(`cold start in Node: ${cfg.coldRuns} fresh processes per client, interleaved`);
  const commands = { 'node -e 0': ['-e', '0'], ...Object.fromEntries(clientIds.map((id) => [id, ['cold.mjs', id, base]])) };
  const names = Object.keys(commands);
  const runs = Object.fromEntries(names.map((n) => [n, []]));
  for (const n of names) timedRun(commands[n]); // warm the file cache
  for (let i = 0; i < cfg.coldRuns; i++) {
    for (const n of rotate(names, i)) runs[n].push(timedRun(commands[n]));
  }
  // Runs of one iteration follow each other closely: the median of the
  // per-iteration differences cancels slow drifts of the machine's load, and
  // the difference of the fastest runs shows the cost with the least noise.
  const wall = (n) => runs[n].map((r) => r.wallMs);
  const pairedMs = (a, b) => median(wall(a).map((x, i) => x - wall(b)[i]));
  const minMs = (a, b) => Math.min(...wall(a)) - Math.min(...wall(b));
  const summary = { baselineMs: median(wall('node -e 0')), baselineMinMs: Math.min(...wall('node -e 0')) };
  for (const id of clientIds) {
    summary[id] = {
      wallMs: median(wall(id)),
      overNodeMs: pairedMs(id, 'node -e 0'),
      overFetchMs: pairedMs(id, 'fetch'),
      minOverNodeMs: minMs(id, 'node -e 0'),
      minOverFetchMs: minMs(id, 'fetch'),
      importInitMs: median(runs[id].map((r) => r.inner.importInitMs)),
      firstCallMs: median(runs[id].map((r) => r.inner.firstCallMs)),
    };
    log(`  ${id.padEnd(17)} +${summary[id].overNodeMs.toFixed(1)} ms over node -e 0, ${summary[id].overFetchMs.toFixed(1)} over fetch ` +
      `(fastest runs: ${summary[id].minOverFetchMs.toFixed(1)}; import+init ${summary[id].importInitMs.toFixed(1)} ms, first call ${summary[id].firstCallMs.toFixed(1)} ms)`);
  }
  results.cold = { summary, runs };
}

// ---------------------------------------------------------------- cold start (workerd)
if (only.includes('workerd')) {
  log(`cold start in workerd through miniflare: ${cfg.workerdRuns} fresh processes per worker, interleaved`);
  const workersDir = join(here, 'out', 'workerd');
  const bundles = {};
  for (const w of ['fetch', 'package']) {
    const outdir = join(workersDir, w);
    await build({
      entryPoints: [join(here, 'workerd', `${w}-worker.js`)], bundle: true, format: 'esm', outdir,
      entryNames: 'worker', conditions: ['workerd', 'worker', 'browser'], loader: { '.wasm': 'copy' },
      logLevel: 'warning',
    });
    bundles[w] = outdir;
  }
  const runs = { fetch: [], package: [] };
  for (const w of Object.keys(bundles)) timedRun(['workerd/cold.mjs', bundles[w], base, TOKEN]);
  for (let i = 0; i < cfg.workerdRuns; i++) {
    for (const w of rotate(Object.keys(bundles), i)) {
      const r = timedRun(['workerd/cold.mjs', bundles[w], base, TOKEN]);
      runs[w].push(r);
    }
  }
  const pick = (w, f) => median(runs[w].map((r) => r.inner[f]));
  const summary = {};
  for (const w of Object.keys(runs)) {
    summary[w] = { readyMs: pick(w, 'readyMs'), firstRequestMs: pick(w, 'firstRequestMs'), totalMs: pick(w, 'totalMs') };
  }
  const paired = (f) => median(runs.package.map((r, i) => r.inner[f] - runs.fetch[i].inner[f]));
  const fastest = (f) => Math.min(...runs.package.map((r) => r.inner[f])) - Math.min(...runs.fetch.map((r) => r.inner[f]));
  summary.packageOverFetch = { readyMs: paired('readyMs'), firstRequestMs: paired('firstRequestMs'), totalMs: paired('totalMs') };
  summary.packageOverFetchFastest = { readyMs: fastest('readyMs'), firstRequestMs: fastest('firstRequestMs'), totalMs: fastest('totalMs') };
  summary.body = runs.package[0]?.inner.body;
  const sign = (x) => `${x >= 0 ? '+' : ''}${x.toFixed(1)}`;
  log(`  package worker: ${sign(summary.packageOverFetch.totalMs)} ms against the fetch worker (start ${sign(summary.packageOverFetch.readyMs)}, first request ${sign(summary.packageOverFetch.firstRequestMs)})`);
  results.workerd = { summary, runs };
}

// ---------------------------------------------------------------- sizes
if (only.includes('sizes')) {
  log('browser bundle sizes (esbuild, minified, gzip -9)');
  const bundles = await browserSizes(Object.fromEntries(clientIds.map((id) => [id, `bundle/${id}.js`])));
  const wasmFiles = readdirSync(join(root, 'pkg')).filter((f) => f.endsWith('.wasm'));
  const wasm = wasmFiles.length ? wasmGzip(join(root, 'pkg', wasmFiles[0])) : null;
  const sizeFile = join(root, 'target', 'package-size.json');
  const build = existsSync(sizeFile) ? JSON.parse(readFileSync(sizeFile, 'utf8')) : null;
  results.sizes = { bundles, wasm, build };
  for (const [id, b] of Object.entries(bundles)) {
    const builtins = b.bundled ? 0 : new Set(b.nodeBuiltins.map((m) => m.replace(/^node:/, ''))).size;
    log(`  ${id.padEnd(17)} ${b.bundled ? `${b.gzip} B gz` : `not bundleable: ${builtins} unresolved Node built-ins`}`);
  }
}

// ---------------------------------------------------------------- bulk
if (only.includes('bulk')) {
  log(`bulk: cancelOperations at concurrency ${cfg.bulkConcurrency}`);
  const rows = [];
  for (const n of cfg.bulkSizes) {
    // A hand-written pool of the same width runs beside it on the smaller sizes, for scale.
    const who = n <= 10_000 ? ['package', 'fetch'] : ['package'];
    for (const client of who) {
      await ask({ cmd: 'reset' });
      const r = timedRun(['--expose-gc', 'bulk.mjs', client, String(n), base]).inner;
      const { stats } = await ask({ cmd: 'stats' });
      r.serverCancels = stats.cancels;
      r.serverBadAuth = stats.badAuth;
      rows.push(r);
      log(`  ${client.padEnd(8)} ${String(n).padStart(6)}: ${(r.wallMs / 1000).toFixed(2)} s, ${r.perItemUs.toFixed(0)} µs/item, ` +
        `heap peak ${r.heapPeakMB.toFixed(1)} MB, wasm ${r.wasmPeakMB.toFixed(2)} MB, ${r.failed} failed`);
    }
  }
  results.bulk = rows;
}

if (only.includes('server')) {
  results.serverAfter = serverCapacity();
  log(`server alone again: ${results.serverAfter.rps.toFixed(0)} requests/s`);
}
stopServer();

// ---------------------------------------------------------------- facts and report
const version = (p) => {
  try { return JSON.parse(readFileSync(join(here, 'node_modules', p, 'package.json'), 'utf8')).version; } catch { return 'missing'; }
};
let commit = 'unknown';
try { commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim(); } catch {}
const pkgJson = existsSync(join(root, 'pkg', 'package.json'))
  ? JSON.parse(readFileSync(join(root, 'pkg', 'package.json'), 'utf8'))
  : JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
results.facts = {
  date: started.toISOString(),
  commit,
  packageVersion: pkgJson.version,
  node: process.version,
  versions: {
    'google-gax': version('google-gax'), '@googlemaps/routeoptimization': version('@googlemaps/routeoptimization'),
    miniflare: version('miniflare'), workerd: version('workerd'), esbuild: version('esbuild'),
  },
  cpu: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`,
  memoryGB: totalmem() / 2 ** 30,
  os: `${platform()} ${release()} ${arch()}`,
  loadBefore: load0,
  loadAfter: loadavg(),
};
writeFileSync('out/results.json', JSON.stringify(results, null, 2) + '\n');

const { renderResults, renderReadmeSummary } = await import('./report.mjs');
const md = renderResults(results);
if (complete) {
  writeFileSync('RESULTS.md', md);
  const readmePath = join(root, 'README.md');
  const readme = readFileSync(readmePath, 'utf8');
  const start = '<!-- performance:start -->';
  const end = '<!-- performance:end -->';
  const a = readme.indexOf(start);
  const b = readme.indexOf(end);
  if (a !== -1 && b > a) {
    writeFileSync(readmePath, readme.slice(0, a + start.length) + '\n' + renderReadmeSummary(results) + readme.slice(b));
    log('wrote bench/RESULTS.md and the README performance summary');
  } else {
    log('wrote bench/RESULTS.md (README has no performance markers)');
  }
} else {
  writeFileSync('out/RESULTS.partial.md', md);
  log('partial run: wrote bench/out/RESULTS.partial.md (RESULTS.md is written by a full run only)');
}
console.log(md);
process.exit(0);
