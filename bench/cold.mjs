// One cold start: import and initialise CLIENT, then make its first call.
// Run in a fresh process per measurement; prints the in-process split.
import { clients } from './clients.mjs';

const [client, base] = process.argv.slice(2);
const t0 = performance.now();
const cancel = await clients[client].create(base);
const t1 = performance.now();
await cancel('operations/1');
const t2 = performance.now();
console.log(JSON.stringify({ importInitMs: t1 - t0, firstCallMs: t2 - t1 }));
