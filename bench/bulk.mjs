// One bulk run in a fresh process (node --expose-gc bulk.mjs CLIENT N BASE):
// cancel N names at concurrency 64, sampling memory every 10 ms. CLIENT is
// `package` (cancelOperations) or `fetch` (a hand-written pool of 64 lanes,
// for comparison). Prints wall time, per-item time and peak memory (the
// full GC every 2 s, for the live heap, costs both clients alike).
const [client, nArg, base] = process.argv.slice(2);
const n = Number(nArg);
const token = process.env.BENCH_TOKEN ?? 'bench-token';
const concurrency = 64;

// The package does not export its wasm memory: catch it as the module is
// instantiated (the Node entry uses `new WebAssembly.Instance`, other
// entries `WebAssembly.instantiate`), during the package's import only
// (Node's fetch instantiates wasm of its own later).
let wasmMemory;
const catchMemory = (instance) => {
  for (const v of Object.values(instance.exports)) if (v instanceof WebAssembly.Memory) wasmMemory = v;
};
const { Instance, instantiate } = WebAssembly;
WebAssembly.Instance = function (module, imports) {
  const instance = new Instance(module, imports);
  catchMemory(instance);
  return instance;
};
WebAssembly.Instance.prototype = Instance.prototype;
WebAssembly.instantiate = async (...args) => {
  const result = await instantiate(...args);
  catchMemory(result.instance ?? result);
  return result;
};

let cancelMany;
if (client === 'package') {
  const { cancelOperations } = await import('../pkg/node.js');
  Object.assign(WebAssembly, { Instance, instantiate });
  cancelMany = (names) => cancelOperations(names, token, { endpoint: base, concurrency });
} else {
  Object.assign(WebAssembly, { Instance, instantiate });
  cancelMany = async (names) => {
    const results = new Array(names.length);
    let next = 0;
    const lane = async () => {
      while (next < names.length) {
        const i = next++;
        try {
          const res = await fetch(`${base}/v1/${names[i]}:cancel`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: '{}',
          });
          results[i] = { name: names[i], ok: res.ok, status: await res.json() };
        } catch (error) {
          results[i] = { name: names[i], ok: false, error };
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, lane));
    return results;
  };
}

// Warm up (JIT, connections, the wasm heap's first growth) before measuring.
await cancelMany(Array.from({ length: 256 }, (_, i) => `operations/w${i}`));

const names = Array.from({ length: n }, (_, i) => `operations/${i}`);
globalThis.gc();
const wasmBytes = () => wasmMemory?.buffer.byteLength ?? 0;
const base0 = { heap: process.memoryUsage().heapUsed, wasm: wasmBytes(), arrayBuffers: process.memoryUsage().arrayBuffers };
const peak = { ...base0 };
const sample = () => {
  const m = process.memoryUsage();
  peak.heap = Math.max(peak.heap, m.heapUsed);
  peak.arrayBuffers = Math.max(peak.arrayBuffers, m.arrayBuffers);
  peak.wasm = Math.max(peak.wasm, wasmBytes());
};
const timer = setInterval(sample, 10);
// Every 2 s a full GC, to see the live heap (garbage excluded) while the work
// is in flight: names, results so far and the requests in flight.
peak.live = base0.heap;
const liveTimer = setInterval(() => {
  globalThis.gc();
  peak.live = Math.max(peak.live, process.memoryUsage().heapUsed);
}, 2000);
const t0 = performance.now();
const results = await cancelMany(names);
const wallMs = performance.now() - t0;
sample();
clearInterval(timer);
clearInterval(liveTimer);
const failed = results.filter((r) => !r.ok).length;
// What stays once the work is done: the results (and the names), after a full GC.
globalThis.gc();
const heapRetained = process.memoryUsage().heapUsed - base0.heap;
console.log(JSON.stringify({
  client, n, concurrency, wallMs, perItemUs: (wallMs * 1000) / n, failed,
  wasmExposed: wasmMemory !== undefined,
  heapBaseMB: base0.heap / 2 ** 20, heapPeakMB: peak.heap / 2 ** 20, heapGrowthMB: (peak.heap - base0.heap) / 2 ** 20,
  liveHeapPeakMB: peak.live / 2 ** 20,
  resultsRetainedMB: heapRetained / 2 ** 20, resultBytesPerItem: heapRetained / n,
  wasmBaseMB: base0.wasm / 2 ** 20, wasmPeakMB: peak.wasm / 2 ** 20,
  arrayBuffersPeakMB: peak.arrayBuffers / 2 ** 20,
}));
