// Measures the server alone: CONNECTIONS keep-alive sockets, each sending one
// minimal cancel request after the previous answer, for DURATION_MS; prints
// {rps}. Hand-written HTTP over `net` costs far less per request than any
// client under test, so this shows what the server can take.
import { connect } from 'node:net';

const [port, connections = '32', durationMs = '2000'] = process.argv.slice(2);
const token = process.env.BENCH_TOKEN ?? 'bench-token';
const request = Buffer.from(
  `POST /v1/operations/1:cancel HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\nauthorization: Bearer ${token}\r\n` +
  'content-type: application/json\r\ncontent-length: 2\r\n\r\n{}',
);
// One response is `HTTP/1.1 200 OK ... \r\n\r\n{}`: count `\r\n\r\n{}` endings.
const marker = Buffer.from('\r\n\r\n{}');
let done = 0;
let stop = false;
const sockets = [];
const start = performance.now();
await new Promise((resolve) => {
  let open = Number(connections);
  for (let i = 0; i < Number(connections); i++) {
    const s = connect(Number(port), '127.0.0.1', () => s.write(request));
    s.setNoDelay(true);
    let tail = Buffer.alloc(0);
    s.on('data', (chunk) => {
      let buf = tail.length ? Buffer.concat([tail, chunk]) : chunk;
      let at = 0;
      let idx;
      while ((idx = buf.indexOf(marker, at)) !== -1) {
        done++;
        at = idx + marker.length;
        if (!stop) s.write(request);
      }
      tail = buf.subarray(at);
      if (stop) s.end();
    });
    s.on('close', () => { if (--open === 0) resolve(); });
    sockets.push(s);
  }
  setTimeout(() => { stop = true; }, Number(durationMs));
});
const seconds = (performance.now() - start) / 1000;
console.log(JSON.stringify({ rps: done / seconds, requests: done }));
