// Renders bench/out/results.json as bench/RESULTS.md and as the README's
// short performance summary. `node report.mjs` re-renders the last run.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const targets = {
  sizeBytes: 30_000,
  sizeStretchBytes: 20_000,
  throughputRatio: 0.9,
  coldStartOverFetchMs: 15,
};

const labels = {
  fetch: 'raw `fetch` (floor)',
  package: 'this package (Node)',
  gax: '`google-gax` OperationsClient',
  routeoptimization: '`@googlemaps/routeoptimization`',
};
const f0 = (x) => (x === undefined ? '–' : Math.round(x).toLocaleString('en-US'));
const f1 = (x) => (x === undefined ? '–' : x.toFixed(1));
const f2 = (x) => (x === undefined ? '–' : x.toFixed(2));
const kb = (b) => `${(b / 1000).toFixed(1)} KB`;
const signed = (x) => (x >= 0 ? `+${x.toFixed(1)}` : x.toFixed(1));
const mark = (ok) => (ok ? '✅ met' : '❌ not met');

function packageGzip(r) {
  const build = r.sizes?.build;
  if (build?.totalGzip !== undefined) return { total: build.totalGzip, source: '`target/package-size.json`' };
  return undefined;
}

export function renderResults(r) {
  const L = [];
  const facts = r.facts;
  L.push('# Benchmark results', '');
  L.push(`Run on ${facts.date.slice(0, 10)} (${facts.date}) by \`npm run bench\` at commit \`${facts.commit}\`.`, '');
  L.push('| | |', '|---|---|');
  L.push(`| package | route-optimization-operations ${facts.packageVersion} |`);
  for (const [k, v] of Object.entries(facts.versions)) L.push(`| ${k} | ${v} |`);
  L.push(`| Node | ${facts.node} |`);
  L.push(`| machine | ${facts.cpu}, ${facts.memoryGB.toFixed(1)} GiB, ${facts.os} |`);
  L.push(`| load average (1, 5, 15 min) | before ${facts.loadBefore.map(f2).join(', ')}; after ${facts.loadAfter.map(f2).join(', ')} |`);
  L.push('');
  L.push('Clients: every one calls `cancel` on `operations/<id>` with a bearer token against one local loopback',
    'server (`bench/server.mjs`: HTTP/1.1 straight over \`net\`, keep-alive) that answers `200 {}`. Throughput figures are',
    `medians of ${r.cfg.rounds} rounds. In each round every client makes its ${f0(r.cfg.calls)} calls in slices of ${f0(r.cfg.slice)}, the clients`,
    'taking turns slice by slice in a rotating order, so machine noise hits all alike; **× fetch** is the median of',
    'the per-round ratios to raw fetch, the figure that means something on a noisy machine.', '');

  // Targets
  L.push('## Targets', '');
  L.push('| target | where we stand | |', '|---|---|---|');
  const size = packageGzip(r);
  if (size) {
    L.push(`| whole package ≤ 30 KB gzipped (\`.wasm\` + JS glue of the browser build) | ${kb(size.total)} (${f0(size.total)} B) | ${mark(size.total <= targets.sizeBytes)} |`);
    L.push(`| stretch: ≤ 20 KB | | ${mark(size.total <= targets.sizeStretchBytes)} |`);
  }
  const t = r.throughput?.summary;
  if (t) {
    for (const mode of ['sequential', 'concurrent']) {
      const x = t.package[mode];
      L.push(`| per-call throughput ≥ 0.9× raw fetch, ${mode} | ${f2(x.ratio)}× (rounds ${f2(x.ratioMin)}–${f2(x.ratioMax)}) | ${mark(x.ratio >= targets.throughputRatio)} |`);
    }
  }
  const c = r.cold?.summary;
  if (c) {
    L.push(`| cold start within 15 ms of raw fetch in Node | ${signed(c.package.overFetchMs)} ms (fastest runs ${signed(c.package.minOverFetchMs)} ms) | ${mark(c.package.overFetchMs <= targets.coldStartOverFetchMs)} |`);
  }
  L.push('');

  // Throughput
  if (t) {
    L.push(`## Per call: ${f0(r.cfg.calls)} calls, sequential and at concurrency ${r.cfg.concurrency}`, '');
    L.push('| client | seq calls/s | seq × fetch | seq p50 ms | seq p99 ms | conc calls/s | conc × fetch | conc p50 ms | conc p99 ms |');
    L.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const [id, s] of Object.entries(t)) {
      const q = s.sequential;
      const k = s.concurrent;
      L.push(`| ${labels[id] ?? id} | ${f0(q.callsPerSec)} | ${f2(q.ratio)} | ${f2(q.p50)} | ${f2(q.p99)} | ${f0(k.callsPerSec)} | ${f2(k.ratio)} | ${f2(k.p50)} | ${f2(k.p99)} |`);
    }
    L.push('');
    L.push(`Each client makes ${r.cfg.warmup} unmeasured calls before each round's calls and lives in its own warm process for`,
      'the whole run; latencies are taken over all the calls of a round, calls/s over the sum of its slices\' wall time. The server counts every request: each measurement was checked to have reached it in full',
      `with the token${r.throughput.problems.length ? ' — **except**:' : ' (no discrepancy).'}`);
    for (const p of r.throughput.problems) L.push(`- ${p}`);
    L.push('');
  }
  if (r.serverBefore) {
    const all = t ? Object.values(r.throughput.raw).flatMap((m) => [...m.sequential, ...m.concurrent].map((x) => x.callsPerSec)) : [];
    const best = all.length ? Math.max(...all) : undefined;
    const server = Math.min(r.serverBefore.rps, r.serverAfter?.rps ?? Infinity);
    const util = all.length ? Math.max(...Object.values(r.throughput.raw).flatMap((m) => [...m.sequential, ...m.concurrent].map((x) => x.serverUtilization ?? 0))) : undefined;
    if (util !== undefined) {
      L.push(`While clients were measured the server used at most ${f0(util * 100)}% of one core (its CPU time over the measurement's wall time).`, '');
    }
    L.push(`**The server alone** (\`bench/loadgen.mjs\`: 32 keep-alive connections of hand-written HTTP over \`net\`, best of 3 runs of 2 s, a lower bound):`,
      `${f0(r.serverBefore.rps)} requests/s before the run, ${f0(r.serverAfter?.rps)} after` +
      (best ? `; the fastest client in any single measurement reached ${f0(best)} calls/s (${f1(server / best)}× less). ` +
        (server / best >= 3 ? 'The clients, not the server, set the pace.' : '**Warning: the server was not far ahead of the clients in this run; the ratios may be compressed.**') : '.'),
      '');
  }

  // Cold start
  if (c) {
    L.push(`## Cold start in Node: ${r.cfg.coldRuns} fresh processes each, interleaved`, '');
    L.push(`Wall time of \`node cold.mjs CLIENT\` (import and initialise, then the first call) against a bare \`node -e 0\``,
      `(median ${f1(c.baselineMs)} ms, fastest ${f1(c.baselineMinMs)} ms). Each iteration runs every command once, in a rotating order;`,
      'the differences are medians of the per-iteration differences, and, in parentheses, the differences of the fastest runs.', '');
    L.push('| client | over `node -e 0` ms | over raw fetch ms | import + init ms | first call ms |', '|---|---:|---:|---:|---:|');
    for (const id of Object.keys(labels)) {
      const x = c[id];
      if (x) {
        L.push(`| ${labels[id]} | ${f1(x.overNodeMs)} (${f1(x.minOverNodeMs)}) | ${signed(x.overFetchMs)} (${signed(x.minOverFetchMs)}) | ${f1(x.importInitMs)} | ${f1(x.firstCallMs)} |`);
      }
    }
    L.push('', 'The last two columns are measured inside the process (medians).', '');
  }
  const w = r.workerd?.summary;
  if (w) {
    L.push(`## Cold start in workerd (miniflare ${r.facts.versions.miniflare}): ${r.cfg.workerdRuns} fresh processes each, interleaved`, '');
    L.push('A worker bundled with esbuild (`--conditions=workerd,worker,browser`, `.wasm` copied and loaded as `CompiledWasm`),',
      'started in a new miniflare, then one request on which the worker makes its first `cancel`.', '');
    L.push('| worker | start (until ready) ms | first request ms | total ms |', '|---|---:|---:|---:|');
    L.push(`| raw \`fetch\` | ${f1(w.fetch.readyMs)} | ${f1(w.fetch.firstRequestMs)} | ${f1(w.fetch.totalMs)} |`);
    L.push(`| this package (\`pkg/workerd.js\`) | ${f1(w.package.readyMs)} | ${f1(w.package.firstRequestMs)} | ${f1(w.package.totalMs)} |`);
    L.push(`| **difference** (median of per-iteration differences) | ${signed(w.packageOverFetch.readyMs)} | ${signed(w.packageOverFetch.firstRequestMs)} | ${signed(w.packageOverFetch.totalMs)} |`);
    if (w.packageOverFetchFastest) {
      const q = w.packageOverFetchFastest;
      L.push(`| difference of the fastest runs | ${signed(q.readyMs)} | ${signed(q.firstRequestMs)} | ${signed(q.totalMs)} |`);
    }
    L.push('', 'Starting workerd itself dominates; the difference is within its run-to-run spread unless it is large.', '');
  }

  // Sizes
  const s = r.sizes;
  if (s) {
    L.push('## Browser bundle size (esbuild `--platform=browser --minify`, gzip -9)', '');
    L.push('| client | bundle | gzipped |', '|---|---|---:|');
    for (const id of Object.keys(labels)) {
      const b = s.bundles[id];
      if (!b) continue;
      if (b.bundled) {
        const extra = id === 'package' && s.wasm ? ` + \`.wasm\` ${kb(s.wasm.gzip)} = **${kb(b.gzip + s.wasm.gzip)}**` : '';
        const label = id === 'package' ? 'this package (`pkg/browser.js`)' : labels[id];
        L.push(`| ${label} | ${kb(b.bytes)} JS${id === 'package' && s.wasm ? ` + ${kb(s.wasm.bytes)} \`.wasm\`` : ''} | ${kb(b.gzip)}${extra} |`);
      } else {
        const names = [...new Set(b.nodeBuiltins.map((m) => m.replace(/^node:/, '')))].sort();
        const ext = b.withBuiltinsExternal?.gzip !== undefined ? ` (with them left external: ${kb(b.withBuiltinsExternal.bytes)}, ${kb(b.withBuiltinsExternal.gzip)} gzipped)` : '';
        L.push(`| ${labels[id]} | **cannot be bundled for the browser**: ${names.length} unresolved Node built-ins (${names.map((n) => `\`${n}\``).join(', ')})${ext} | – |`);
      }
    }
    if (size) L.push('', `The package as built (\`.wasm\` + JS glue, gzip -9, ${size.source}): **${kb(size.total)}** (${f0(size.total)} bytes).`);
    L.push('');
  }

  // Bulk
  if (r.bulk) {
    L.push(`## Bulk: \`cancelOperations\` at concurrency ${r.cfg.bulkConcurrency}`, '');
    L.push('Each size in a fresh process after a 256-name warm-up; memory sampled every 10 ms, peaks shown with the',
      'baseline taken after a full GC with the names already built. The wasm memory is caught when the package',
      'instantiates its module (it does not export it). A hand-written pool of 64 `fetch` lanes runs beside it',
      'on the smaller sizes, for scale.', '');
    L.push('| client | names | wall s | µs per item | JS heap base → peak MB (with garbage) | live heap peak MB (GC every 2 s) | kept at the end (results) MB | wasm memory base → peak MB | failed |', '|---|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const b of r.bulk) {
      const wasm = b.client === 'package' ? `${f2(b.wasmBaseMB)} → ${f2(b.wasmPeakMB)}` : '–';
      L.push(`| ${b.client === 'package' ? '`cancelOperations`' : 'raw fetch pool'} | ${f0(b.n)} | ${f2(b.wallMs / 1000)} | ${f0(b.perItemUs)} | ${f1(b.heapBaseMB)} → ${f1(b.heapPeakMB)} | ${f1(b.liveHeapPeakMB)} | ${f1(b.resultsRetainedMB)} | ${wasm} | ${b.failed} |`);
    }
    const pk = r.bulk.filter((b) => b.client === 'package');
    if (pk.length >= 2) {
      // The smallest size carries start-up effects: compare the largest with the one before it.
      const a = pk[pk.length - 2];
      const z = pk[pk.length - 1];
      const growth = z.perItemUs / a.perItemUs;
      L.push('', `From ${f0(a.n)} to ${f0(z.n)} names the per-item time goes ${f0(a.perItemUs)} → ${f0(z.perItemUs)} µs (×${f2(growth)}: ` +
        `${growth <= 1.25 ? 'the cost grows linearly with the input, no faster' : '**the per-item cost rises with the input**'}) and the wasm memory ` +
        `${f2(a.wasmPeakMB)} → ${f2(z.wasmPeakMB)} MB (${z.wasmPeakMB <= a.wasmPeakMB * 1.1 ? 'flat' : '**it grows**'}). ` +
        `What the JS heap keeps grows with the input by nature: the names and the result array (about ${f0((z.resultBytesPerItem ?? 0))} bytes per name at the end); ` +
        'the live heap beyond it is the work in flight.');
    }
    L.push('');
  }
  L.push('## Notes', '',
    '- The machine was shared with other builds while this ran: absolute figures are noisy, the ratios less so. Re-run `npm run bench` on a quiet machine for figures to quote.',
    '- `google-gax` and `@googlemaps/routeoptimization` get the smallest auth object they accept (`getRequestHeaders` plus a `fetch` that adds the bearer token and calls the global `fetch`), so no Google credentials are involved and all clients share Node\'s `fetch`.',
    '- Nothing here is installed into the package: `bench/` has its own `package.json` and lock file.', '');
  return L.join('\n');
}

export function renderReadmeSummary(r) {
  const L = [];
  const size = packageGzip(r);
  const t = r.throughput?.summary;
  const c = r.cold?.summary;
  const s = r.sizes?.bundles;
  L.push('', `Measured by \`npm run bench\` on ${r.facts.date.slice(0, 10)} (${r.facts.cpu}, shared and noisy; details and method in [bench/RESULTS.md](bench/RESULTS.md)):`, '');
  L.push('| | this package | raw `fetch` | `google-gax` | `@googlemaps/routeoptimization` |', '|---|---:|---:|---:|---:|');
  if (t) {
    const row = (mode) => ['package', 'fetch', 'gax', 'routeoptimization'].map((id) => `${f2(t[id][mode].ratio)}×`).join(' | ');
    L.push(`| sequential calls/s vs raw fetch | ${row('sequential')} |`);
    L.push(`| calls/s at concurrency 32 vs raw fetch | ${row('concurrent')} |`);
  }
  if (c) L.push(`| cold start in Node, over \`node -e 0\` | ${['package', 'fetch', 'gax', 'routeoptimization'].map((id) => `${f1(c[id].overNodeMs)} ms`).join(' | ')} |`);
  if (s) {
    const cell = (id) => (s[id].bundled ? kb(s[id].gzip) : 'not bundleable');
    L.push(`| browser bundle, gzipped | ${size ? kb(size.total) : '–'} (\`.wasm\` + glue) | ${cell('fetch')} | ${cell('gax')} | ${cell('routeoptimization')} |`);
  }
  L.push('');
  if (size) L.push(`Targets: ≤ 30 KB gzipped (now ${kb(size.total)}), ≥ 0.9× raw fetch per call, cold start within 15 ms of raw fetch.`, '');
  return L.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const results = JSON.parse(readFileSync(new URL('./out/results.json', import.meta.url), 'utf8'));
  const md = renderResults(results);
  writeFileSync(new URL('./out/RESULTS.rerendered.md', import.meta.url), md);
  console.log(md);
}
