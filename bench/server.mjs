// The benchmark's server: answers `POST /v1/{name}:cancel` with `200 {}` as
// fast as Node's http module allows, keep-alive on. Run as a child process
// (`fork`): it sends {port} once listening and answers {cmd: 'stats'} with the
// requests counted since the last {cmd: 'reset'}, so the harness can check that
// every client really sent each call, with the bearer token.
import { createServer } from 'node:http';

const token = process.env.BENCH_TOKEN ?? 'bench-token';
const expectedAuth = `Bearer ${token}`;
const body = Buffer.from('{}');
const okHeaders = { 'content-type': 'application/json', 'content-length': '2' };
let stats = { cancels: 0, badAuth: 0, other: 0 };

const server = createServer({ keepAlive: true, keepAliveTimeout: 60_000 }, (req, res) => {
  if (req.method === 'POST' && req.url.endsWith(':cancel')) {
    stats.cancels++;
    if (req.headers.authorization !== expectedAuth) stats.badAuth++;
    res.writeHead(200, okHeaders);
    res.end(body);
  } else {
    stats.other++;
    res.writeHead(404, okHeaders);
    res.end(body);
  }
  // The request body (`{}` or the name) is discarded; Node reads it off the socket.
  req.resume();
});
server.keepAliveTimeout = 60_000;
server.headersTimeout = 61_000;
server.maxRequestsPerSocket = 0;

server.listen(Number(process.env.BENCH_PORT ?? 0), '127.0.0.1', () => {
  const { port } = server.address();
  if (process.send) process.send({ port });
  else console.log(`listening on http://127.0.0.1:${port}`);
});

process.on('message', (msg) => {
  if (msg.cmd === 'stats') process.send({ stats });
  else if (msg.cmd === 'reset') { stats = { cancels: 0, badAuth: 0, other: 0 }; process.send({ reset: true }); }
  else if (msg.cmd === 'close') server.close(() => process.exit(0));
});
process.on('disconnect', () => process.exit(0));
