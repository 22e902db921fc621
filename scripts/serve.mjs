// A tiny static server for the console: www/ at "/", the built package at
// "/pkg/", and "/config.json" telling the page where the emulator is.
// Usage: node scripts/serve.mjs --port 8080 --endpoint http://127.0.0.1:8787 [--token T]
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []),
);
const port = Number(args.port ?? 8080);
const config = JSON.stringify({ endpoint: args.endpoint ?? 'http://127.0.0.1:8787', token: args.token ?? '' });

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
};

// Maps a URL path to a file under www/ or pkg/, refusing anything outside them.
function resolve(pathname) {
  const [base, rest] = pathname.startsWith('/pkg/') ? ['pkg', pathname.slice(5)] : ['www', pathname.slice(1) || 'index.html'];
  const dir = join(root, base);
  const file = normalize(join(dir, decodeURIComponent(rest)));
  return file.startsWith(dir + sep) ? file : null;
}

const server = createServer(async (req, res) => {
  const { pathname } = new URL(req.url, 'http://localhost');
  if (pathname === '/config.json') {
    res.writeHead(200, { 'content-type': types['.json'], 'cache-control': 'no-store' });
    return res.end(config);
  }
  let file;
  try {
    file = resolve(pathname);
  } catch {
    file = null;
  }
  try {
    if (!file) throw new Error('outside');
    const body = await readFile(file);
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    res.end(body);
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found\n');
  }
});
server.listen(port, '127.0.0.1', () => console.log(`console on http://127.0.0.1:${server.address().port}/`));
