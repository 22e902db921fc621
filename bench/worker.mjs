// One client, kept warm in its own process for the whole throughput
// benchmark (so clients never share a heap or a JIT). Forked by run.mjs with
// BENCH_CLIENT and BENCH_BASE; answers {cmd: 'run', calls, concurrency,
// warmup} with the wall time and every call's latency of one slice.
import { clients } from './clients.mjs';

const cancel = await clients[process.env.BENCH_CLIENT].create(process.env.BENCH_BASE);
let next = 1;
const name = () => `operations/${next++}`;

async function run(calls, concurrency) {
  const latencies = new Float64Array(calls);
  let started = 0;
  let errors = 0;
  let firstError;
  const lane = async () => {
    while (started < calls) {
      const i = started++;
      const t = performance.now();
      try {
        await cancel(name());
      } catch (e) {
        errors++;
        firstError ??= String(e?.message ?? e);
      }
      latencies[i] = performance.now() - t;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, lane));
  const wallMs = performance.now() - t0;
  return { latencies: Array.from(latencies), wallMs, errors, firstError };
}

process.on('message', async (msg) => {
  if (msg.cmd !== 'run') return;
  if (msg.warmup) await run(msg.warmup, msg.concurrency);
  globalThis.gc?.();
  process.send({ result: await run(msg.calls, msg.concurrency) });
});
process.on('disconnect', () => process.exit(0));
// Warm the JIT and the connection pool before the first measured round.
await run(300, 8);
process.send({ ready: true });
