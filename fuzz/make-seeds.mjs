// Writes the committed seed corpus (fuzz/seeds/<target>/) from the project's
// test payloads: the literals of the unit tests in src/ and the responses of
// a real emulator (built first with `cargo build -p operations-emulator`).
// Run from the repository root: `node fuzz/make-seeds.mjs`.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';

const root = new URL('./seeds/', import.meta.url);
const seeds = {};
const add = (target, bytes) => (seeds[target] ??= []).push(Buffer.from(bytes));

// --- name_url: name \0 endpoint \0 filter \0 pageToken \0 collection \0 pageSize
const names = [
  'operations/abc', 'operations/a/b/c', 'projects/my-proj/locations/global/operations/16057489275411968357',
  'projects/p/operations/1', 'operations/a b', 'operations/a?b#c', 'operations/100%', 'operations/x:cancel',
  'operations/a+b&c=d;e,f@g', 'operations/keep-_.~AZaz09', 'operations/..x', 'operations/a\\b', 'operations/🚀',
  'operations/é', '', '/operations/x', 'operations/x/', 'operations//x', 'operations/./x', 'operations/x/..',
  'operations/..', 'operations/a\nb', 'operations/a\u007f', 'https://example.com/operations/x', 'operations',
  'projects/p/locations/l/operations/1/extra', 'Operations/x', 'v1/operations/x', 'a\u001b[31m',
];
const endpoints = [
  'https://routeoptimization.googleapis.com', 'HTTPS://Example.com/', 'http://127.0.0.1:8787',
  'http://[::1]:8787/prefix//', 'http://[::1]', 'http://localhost/a%20b', 'http://127.0.0.1:9/base/',
  'ftp://example.com', 'https://example.com?x=1', 'https://user:pw@example.com', 'https://example.com:65536',
  'https://example.com\\@evil.com', 'javascript:alert(1)',
];
names.forEach((name, i) => add('name_url', name));
endpoints.forEach((endpoint, i) => add('name_url', `${names[i % 5]}\0${endpoint}`));
add('name_url', `operations/1\0http://127.0.0.1:8787\0done = false\0a/b+c=&d\0operations\x0050`);
add('name_url', `operations/1\0https://routeoptimization.googleapis.com\0\0t2\0projects/p/locations/global/operations\x001`);
add('name_url', `operations/1\0http://[::1]:8787/base\0name:"x y"&z=1#f\0\0a//b\x0042`);

// --- retry_after: a Retry-After value or a RetryInfo.retryDelay duration
for (const value of [
  '120', ' 0 ', 'Sun, 06 Nov 1994 08:49:37 GMT', 'Sun, 06 Nov 1994 08:50:07 GMT', 'Thu, 03 Dec 2026 13:22:18 GMT',
  '-1', '1.5', 'soon', 'Sun, 06 Nov 1994 08:49:37 UTC', 'Sun, 32 Nov 1994 08:49:37 GMT', 'Sunday, 06-Nov-94 08:49:37 GMT',
  'Sun Nov  6 08:49:37 1994', '99999999999999999999999', '1.5s', '30s', '0.000000001s', '0s', '1.500s', '-1s', '1.s',
  '.5s', '1.0000000001s', '1e3s', '999999999999999s', '315576000000s',
]) {
  add('retry_after', value);
}

// --- policy: fixed-width little-endian fields, see fuzz/src/lib.rs (policy::check)
const f64Field = (tag, value) => {
  const b = Buffer.alloc(9);
  b[0] = tag;
  if (tag % 4 === 0) b.writeDoubleLE(value, 1);
  else b.writeBigUInt64LE(BigInt(tag % 4 === 3 ? Math.round(value * 1000) : value), 1);
  return b;
};
const policySeed = ({ max = 5, initial = 500, mult = 2, maxDelay = 30000, attempt = 1, kind = 1, code = 14,
  http = 503, asked = null, now = 0, deadline = null, random = 0.5, pollInitial = 500, pollMax = 10000, polls = 1 }) =>
  Buffer.concat([
    Buffer.from([max]), f64Field(2, initial), f64Field(0, mult), f64Field(2, maxDelay),
    Buffer.from(kind === 1 ? [0, attempt, http & 255, http >> 8, kind, code + 1] : [0, attempt, http & 255, http >> 8, kind]),
    asked === null ? Buffer.from([0]) : Buffer.concat([Buffer.from([1, 0]), Buffer.from([asked & 255, (asked >> 8) & 255, asked >> 16])]),
    f64Field(1, now), deadline === null ? Buffer.from([0]) : Buffer.concat([Buffer.from([1]), f64Field(1, deadline)]),
    f64Field(0, random), f64Field(2, pollInitial), f64Field(2, pollMax), Buffer.from([0, 0, polls]),
  ]);
for (const seed of [
  {}, { attempt: 4 }, { attempt: 5 }, { max: 100, attempt: 60 }, { max: 1 }, { random: Number.NaN }, { random: 7 },
  { kind: 1, code: 8, http: 429, asked: 3000, now: 1000, deadline: 10000 }, { code: 8, http: 429, asked: 3000, now: 1000, deadline: 3500 },
  { kind: 0, now: 10, deadline: 10, random: 0 }, { initial: 0, mult: 1e300, max: 100, attempt: 99 },
  { max: 0 }, { mult: 0.5 }, { pollInitial: 0, polls: 255 }, { now: 400, deadline: 300 }, { now: 0, deadline: 501 },
]) {
  add('policy', policySeed(seed));
}

// --- responses and json: literals from src/response.rs tests, then the emulator's answers
const literal = [
  [404, '{\n  "error": {\n    "code": 404,\n    "message": "Operation projects/my-project/locations/global/operations/123 not found.",\n    "status": "NOT_FOUND"\n  }\n}'],
  [429, '{"error":{"code":429,"message":"Quota exceeded for quota metric \'Requests\' and limit \'Requests per minute\'.","status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"RATE_LIMIT_EXCEEDED","domain":"googleapis.com","metadata":{"quota_limit_value":"300"}},{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"1.500s"},{"@type":"type.googleapis.com/google.rpc.Help","links":[{"description":"Request a higher quota limit.","url":"https://cloud.google.com/docs/quotas/help/request_increase"}]},{"@type":"type.example.com/Unknown","x":[1,2]}]}}'],
  [502, '<!DOCTYPE html>\n<html lang=en>\n  <meta charset=utf-8>\n  <title>Error 502 (Server Error)!!1</title>\n  <p><b>502.</b> <ins>That’s an error.</ins>\n'],
  [400, '{"error":{"code":400,"message":"m","status":"FAILED_PRECONDITION"}}'],
  [501, '{"error":{"status":7}}'], [500, '{"error":{"message":"x","details":"not an array"}}'], [403, '{"error":{}}'],
  [500, '{"error":{"status":"OK","message":"all good?"}}'], [200, '{"error":{"code":500,"status":"INTERNAL","message":"x"}}'],
  [503, '{"error": {"code": 503, "mess'], [200, '{}'], [204, ''], [200, '<html>portal</html>'], [200, '[]'],
  [200, '{"name":"operations/1","metadata":{"@type":"type.googleapis.com/google.maps.routeoptimization.v1.BatchOptimizeToursMetadata"}}'],
  [200, '{"name":"operations/1","done":true,"error":{"code":1,"message":"Operation cancelled."}}'],
  [200, '{"name":"operations/1","done":true,"response":{"@type":"x"},"error":null}'],
  [200, '{"name":"o","error":{"code":1.5}}'], [200, '{"name":"o","error":{"details":{}}}'], [200, '{"name":"","done":"yes"}'],
  [200, '{"operations":[{"name":"operations/1"},{"name":"operations/2","done":true}],"nextPageToken":"t2"}'],
  [200, '{"unreachable":["projects/p/locations/x"]}'], [200, '{"operations":[{}]}'], [200, '{"nextPageToken":5}'],
];
for (const [status, body] of literal) {
  add('responses', `${status}\n${body}`);
  add('json', body);
}
for (const text of [
  'null', ' true ', '-12.5e+3', '"a\\"b\\\\c\\/\\n\\u00e9"', '"\\ud83d\\ude80"', '"\\ud83d"', '"\\ud83d\\u0041"', '"\\ude80"',
  '{"a":1,"a":2}', '1.50e1', '250e-1', '2147483648', '-2147483648', '1e400', '0e999999999', '-0', '0.0e-5',
  '99999999999999999999999', '990000091.000000000000000', '[1,]', '{"a" 1}', '01', '1.', '\ufeff{}', '['.repeat(64) + ']'.repeat(64), '['.repeat(65) + ']'.repeat(65),
]) {
  add('json', text);
}

const emulator = spawn('./target/debug/operations-emulator', ['--port', '0', '--seed', '--quiet', '--run-ms', '1'], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const base = await new Promise((resolve, reject) => {
  emulator.on('error', reject);
  createInterface({ input: emulator.stdout }).on('line', (line) => {
    if (line.startsWith('listening on ')) resolve(line.slice('listening on '.length));
  });
});
try {
  const auth = { authorization: 'Bearer local-dev-token' };
  const call = async (method, path, headers = auth) => {
    const response = await fetch(base + path, { method, headers, redirect: 'manual' });
    const body = await response.text();
    add('responses', `${response.status}\n${body}`);
    add('json', body);
    return body;
  };
  const list = JSON.parse(await call('GET', '/v1/operations?pageSize=3'));
  await call('GET', '/v1/operations');
  for (const op of list.operations ?? []) {
    await call('GET', `/v1/${op.name}`);
    add('name_url', `${op.name}\0${base}`);
  }
  await call('GET', '/v1/operations/does-not-exist');
  await call('POST', '/v1/operations/does-not-exist:cancel');
  await call('GET', '/v1/operations', {});
  await call('GET', '/v1/operations', { authorization: 'Bearer wrong' });
  await call('GET', '/v2/nothing/here');
  await call('GET', '/v1/operations?pageSize=-1');
} finally {
  emulator.kill();
}

rmSync(root, { recursive: true, force: true });
let count = 0;
for (const [target, inputs] of Object.entries(seeds)) {
  const dir = new URL(`${target}/`, root);
  mkdirSync(dir, { recursive: true });
  for (const input of inputs) {
    // Named by content, as libFuzzer names corpus files.
    writeFileSync(new URL(createHash('sha1').update(input).digest('hex'), dir), input);
    count++;
  }
}
console.log(`wrote ${count} seeds for ${Object.keys(seeds).length} targets`);
