// The benchmark's server: answers `POST /v1/{name}:cancel` with `200 {}` as
// fast as it can, keep-alive on. Run as a child process (`fork`): it sends
// {port} once listening and answers {cmd: 'stats'} with the requests counted
// since the last {cmd: 'reset'}, so the harness can check that every client
// really sent each call, with the bearer token.
//
// BENCH_SERVER=net (the default) speaks HTTP/1.1 straight over `net`: it
// reads the request line, the headers and a `content-length` or chunked body,
// and writes one fixed answer; it costs a fraction of Node's `http` parser,
// so the server stays far faster than any client. BENCH_SERVER=http uses
// Node's `http` module instead, for comparison.
import { createServer as createHttpServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';

const token = process.env.BENCH_TOKEN ?? 'bench-token';
const expectedAuth = `Bearer ${token}`;
let stats = { cancels: 0, badAuth: 0, other: 0 };
// CPU the server spent since the last reset, against the wall time: how busy
// it was while a client was measured (1 = one core fully used).
let since = { cpu: process.cpuUsage(), wall: performance.now() };
const busy = () => {
  const cpu = process.cpuUsage(since.cpu);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  return { cpuMs, wallMs: performance.now() - since.wall, utilization: cpuMs / (performance.now() - since.wall) };
};

function count(method, path, authorization) {
  if (method === 'POST' && path.endsWith(':cancel')) {
    stats.cancels++;
    if (authorization !== expectedAuth) stats.badAuth++;
    return true;
  }
  stats.other++;
  return false;
}

function httpServer() {
  const body = Buffer.from('{}');
  const headers = { 'content-type': 'application/json', 'content-length': '2' };
  const server = createHttpServer({ keepAlive: true, keepAliveTimeout: 60_000 }, (req, res) => {
    const ok = count(req.method, req.url, req.headers.authorization);
    res.writeHead(ok ? 200 : 404, headers);
    res.end(body);
    req.resume(); // the body (`{}` or the name) is discarded
  });
  server.keepAliveTimeout = 60_000;
  server.headersTimeout = 61_000;
  return server;
}

function netServer() {
  const answer = (status) => Buffer.from(
    `HTTP/1.1 ${status}\r\ncontent-type: application/json\r\ncontent-length: 2\r\nkeep-alive: timeout=60\r\n\r\n{}`,
  );
  const ok = answer('200 OK');
  const notFound = answer('404 Not Found');
  const badRequest = Buffer.from('HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
  const END = Buffer.from('\r\n\r\n');
  return createNetServer({ noDelay: true }, (socket) => {
    let buf = Buffer.alloc(0);
    socket.on('error', () => {});
    socket.on('data', (chunk) => {
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      const out = [];
      let close = false;
      for (;;) {
        const headEnd = buf.indexOf(END);
        if (headEnd === -1) break;
        const head = buf.toString('latin1', 0, headEnd);
        const lines = head.split('\r\n');
        const [method, path] = lines[0].split(' ');
        let length = 0;
        let chunked = false;
        let authorization;
        for (let i = 1; i < lines.length; i++) {
          const line = lines[i];
          const colon = line.indexOf(':');
          const name = line.slice(0, colon).toLowerCase();
          const value = line.slice(colon + 1).trim();
          if (name === 'content-length') length = Number(value);
          else if (name === 'transfer-encoding') chunked = value.toLowerCase().includes('chunked');
          else if (name === 'authorization') authorization = value;
          else if (name === 'connection' && value.toLowerCase() === 'close') close = true;
        }
        let end = headEnd + 4;
        if (chunked) {
          // Walk the chunks; wait for more data when the body is incomplete.
          let at = end;
          let complete = false;
          for (;;) {
            const eol = buf.indexOf('\r\n', at);
            if (eol === -1) break;
            const size = parseInt(buf.toString('latin1', at, eol), 16);
            if (Number.isNaN(size)) { out.push(badRequest); close = true; complete = true; break; }
            if (size === 0) {
              const trailerEnd = buf.indexOf(END, eol);
              if (trailerEnd === eol) { at = eol + 4; complete = true; }
              else if (trailerEnd !== -1) { at = trailerEnd + 4; complete = true; }
              break;
            }
            if (buf.length < eol + 2 + size + 2) break;
            at = eol + 2 + size + 2;
          }
          if (!complete) break;
          end = at;
        } else {
          if (!Number.isInteger(length) || length < 0) { out.push(badRequest); close = true; break; }
          if (buf.length < end + length) break;
          end += length;
        }
        out.push(count(method, path, authorization) ? ok : notFound);
        buf = buf.subarray(end);
        if (close) break;
      }
      if (out.length) socket.write(out.length === 1 ? out[0] : Buffer.concat(out));
      if (close) socket.end();
    });
  });
}

const server = process.env.BENCH_SERVER === 'http' ? httpServer() : netServer();

server.listen(Number(process.env.BENCH_PORT ?? 0), '127.0.0.1', () => {
  const { port } = server.address();
  if (process.send) process.send({ port });
  else console.log(`listening on http://127.0.0.1:${port}`);
});

process.on('message', (msg) => {
  if (msg.cmd === 'stats') process.send({ stats: { ...stats, ...busy() } });
  else if (msg.cmd === 'reset') {
    stats = { cancels: 0, badAuth: 0, other: 0 };
    since = { cpu: process.cpuUsage(), wall: performance.now() };
    process.send({ reset: true });
  }
  else if (msg.cmd === 'close') server.close(() => process.exit(0));
});
process.on('disconnect', () => process.exit(0));
