// Soak: many cancel calls (successes, API errors, refused names, aborts,
// calls sharing one AbortSignal) against a real emulator from Node. Fails
// when wasm memory or the JS heap grows past a fixed bound, when a timer or
// an abort listener outlives its call, on any unhandled promise rejection,
// on a MaxListenersExceededWarning, or when a call settles the wrong way.
//
//   node --expose-gc tests/soak/soak.mjs [--calls N] [--concurrency C] [--json FILE]
import { getEventListeners } from 'node:events';
import { writeFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { loadPackage, startEmulator } from './load.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const CALLS = Number(arg('calls', 100_000));
const CONCURRENCY = Number(arg('concurrency', 64));
const JSON_OUT = arg('json', '');
const TOKEN = 'local-dev-token';
// Bounds on growth between the warmed-up start and the end, after GC.
const MAX_WASM_GROWTH = 1 << 20; // 1 MiB: linear memory never shrinks, so any leak shows
const MAX_HEAP_GROWTH = 8 << 20; // 8 MiB of JS heap

if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc');

const problems = [];
const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
process.on('unhandledRejection', (reason) => problems.push(`unhandled rejection: ${reason?.stack ?? reason}`));
process.on('warning', (warning) => {
  if (warning.name === 'MaxListenersExceededWarning') problems.push(`warning: ${warning.message}`);
});

const { api, memory } = await loadPackage();
const { cancelOperation } = api;
const emulator = await startEmulator();
const control = async (method, path, body) => {
  const response = await fetch(`${emulator.url}/__emulator/${path}`, { method, body: body && JSON.stringify(body) });
  if (!response.ok) throw new Error(`control ${path}: HTTP ${response.status}`);
  return response.json();
};

try {
  const pool = [];
  for (let i = 0; i < 50; i++) pool.push((await control('POST', 'operations', { runMs: 3_600_000 })).name);
  await control('POST', 'faults', {
    path: '/v1/operations/soak-unavailable:cancel',
    status: 503,
    body: { error: { code: 503, status: 'UNAVAILABLE', message: 'overloaded' } },
    times: 4_000_000_000,
  });
  const options = { endpoint: emulator.url, retry: false, timeoutMs: 30_000 };
  // One signal shared by every call of a wave: never fired, must never
  // carry more than one listener, and none once the calls settle.
  let shared = new AbortController();
  const sharedSignals = [];
  let peakSharedListeners = 0;
  let peakTimers = 0;
  const perCallSignals = [];

  // Each call: what it sends and what it must settle as.
  const plan = (i) => {
    switch (i % 20) {
      case 0: case 1: return { name: `operations/unknown-${i % 97}`, expect: 'api:NOT_FOUND' };
      case 2: return { name: 'operations/soak-unavailable', expect: 'api:UNAVAILABLE' };
      case 3: return { name: `bad name ${i % 7}`, expect: 'invalid-argument:INVALID_ARGUMENT' };
      case 4: { // aborted before the call
        const c = new AbortController();
        c.abort();
        return { name: pool[i % pool.length], signal: c.signal, expect: 'aborted:CANCELLED' };
      }
      case 5: { // aborted while in flight
        const c = new AbortController();
        if (i % 1000 === 5) perCallSignals.push(c.signal);
        return { name: pool[i % pool.length], signal: c.signal, abortSoon: c, expect: 'aborted:CANCELLED' };
      }
      case 6: case 7: case 8: return { name: pool[i % pool.length], signal: shared.signal, expect: 'ok' };
      default: {
        const c = new AbortController(); // a signal that never fires
        if (i % 1000 === 9) perCallSignals.push(c.signal);
        return { name: pool[i % pool.length], signal: i % 2 ? c.signal : undefined, expect: 'ok' };
      }
    }
  };

  const counts = {};
  let mismatches = 0;
  const one = async (i) => {
    const p = plan(i);
    const call = cancelOperation(p.name, TOKEN, p.signal ? { ...options, signal: p.signal } : options);
    if (p.abortSoon) queueMicrotask(() => p.abortSoon.abort());
    if (i % 100 === 50) peakTimers = Math.max(peakTimers, timers());
    if (p.signal === shared.signal) {
      peakSharedListeners = Math.max(peakSharedListeners, getEventListeners(shared.signal, 'abort').length);
    }
    let got;
    try {
      const status = await call;
      got = status.status === 'OK' ? 'ok' : `unexpected ${JSON.stringify(status)}`;
    } catch (e) {
      got = e?.name === 'OperationsError' ? `${e.kind}:${e.status}` : `not an OperationsError: ${e}`;
    }
    // An in-flight abort may lose the race to a fast answer.
    const fine = got === p.expect || (p.abortSoon && got === 'ok');
    counts[got] = (counts[got] ?? 0) + 1;
    if (!fine && mismatches++ < 10) problems.push(`call ${i} (${p.name}): expected ${p.expect}, got ${got}`);
  };
  const run = async (from, to) => {
    let next = from;
    const worker = async () => {
      while (next < to) {
        const i = next++;
        if (i % 5000 === 0) {
          sharedSignals.push(shared.signal);
          shared = new AbortController();
        }
        await one(i);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  };
  const measure = async () => {
    await delay(50);
    for (let i = 0; i < 3; i++) {
      globalThis.gc();
      await delay(10);
    }
    return { wasmBytes: memory.buffer.byteLength, heapUsed: process.memoryUsage().heapUsed, timers: timers() };
  };

  // Warm up (connections, allocator, JIT), then measure.
  await run(0, Math.min(2000, CALLS));
  for (const key of Object.keys(counts)) delete counts[key];
  mismatches = 0;
  const before = await measure();
  const started = performance.now();
  await run(0, CALLS);
  const seconds = (performance.now() - started) / 1000;
  const after = await measure();

  const listenersLeft = [...sharedSignals, shared.signal, ...perCallSignals]
    .map((s) => getEventListeners(s, 'abort').length)
    .reduce((a, b) => a + b, 0);
  const result = {
    calls: CALLS,
    concurrency: CONCURRENCY,
    seconds: Number(seconds.toFixed(1)),
    callsPerSecond: Math.round(CALLS / seconds),
    outcomes: counts,
    wasmBytes: { before: before.wasmBytes, after: after.wasmBytes },
    heapUsed: { before: before.heapUsed, after: after.heapUsed },
    timers: { before: before.timers, after: after.timers, peakDuringCalls: peakTimers },
    abortListeners: { signalsChecked: sharedSignals.length + 1 + perCallSignals.length, left: listenersLeft, peakOnSharedSignal: peakSharedListeners },
  };
  console.log(JSON.stringify(result, null, 2));
  if (JSON_OUT) writeFileSync(JSON_OUT, JSON.stringify(result, null, 2) + '\n');

  if (mismatches) problems.push(`${mismatches} calls settled the wrong way`);
  if (after.wasmBytes - before.wasmBytes > MAX_WASM_GROWTH) problems.push(`wasm memory grew by ${after.wasmBytes - before.wasmBytes} bytes`);
  if (after.heapUsed - before.heapUsed > MAX_HEAP_GROWTH) problems.push(`the JS heap grew by ${after.heapUsed - before.heapUsed} bytes`);
  if (after.timers > before.timers) problems.push(`${after.timers - before.timers} timers were left behind`);
  if (listenersLeft) problems.push(`${listenersLeft} abort listeners were left behind`);
  if (peakSharedListeners > 1) problems.push(`a shared signal carried ${peakSharedListeners} listeners at once`);
  // The counters must see what they count, or their zeros prove nothing.
  if (peakSharedListeners < 1) problems.push('no listener was ever seen on a shared signal');
  if (peakTimers < 1) problems.push('no timer was ever seen during the calls');
  for (const kind of ['ok', 'api:NOT_FOUND', 'api:UNAVAILABLE', 'invalid-argument:INVALID_ARGUMENT', 'aborted:CANCELLED']) {
    if (!counts[kind]) problems.push(`no call settled as ${kind}: the mix is not what it claims`);
  }
} finally {
  emulator.stop();
}

if (problems.length) {
  console.error(`soak FAILED:\n${problems.join('\n')}`);
  process.exit(1);
}
console.log('soak passed');
