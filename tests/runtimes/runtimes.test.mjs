// Proves that the packed npm tarball works unmodified in every runtime it is
// for. The tarball (npm run build) is installed into a fresh project outside
// the repository; each runtime then imports the package by name and runs
// fixture/proof.js (or, in workerd, examples/cloudflare-worker) against the
// emulator at EMULATOR_URL: a real cancel, the state it left, and NOT_FOUND.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, lstatSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { Miniflare } from 'miniflare';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const endpoint = process.env.EMULATOR_URL;
const token = process.env.EMULATOR_TOKEN ?? 'local-dev-token';
const run = promisify(execFile);

let project;
let site;
let siteUrl;

before(async () => {
  assert.ok(endpoint, 'EMULATOR_URL must point at a running emulator');
  const { tarballPath } = JSON.parse(readFileSync(join(root, 'target', 'package-size.json'), 'utf8'));
  project = mkdtempSync(join(tmpdir(), 'roo-runtimes-'));
  cpSync(join(root, 'tests', 'runtimes', 'fixture'), project, { recursive: true });
  cpSync(join(root, 'examples', 'cloudflare-worker', 'src'), join(project, 'cloudflare-worker'), { recursive: true });
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'runtime-proofs', private: true, type: 'module' }));
  await run('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error', tarballPath], {
    cwd: project,
  });
  const installed = join(project, 'node_modules', 'route-optimization-operations');
  assert.ok(lstatSync(installed).isDirectory() && !lstatSync(installed).isSymbolicLink(), 'installed from the tarball');

  await run(bin('vite'), ['build'], { cwd: project });
  site = await serveStatic(join(project, 'dist'));
  siteUrl = `http://127.0.0.1:${site.address().port}/`;
});

after(() => {
  site?.close();
  if (project) rmSync(project, { recursive: true, force: true });
});

// What every proof must show, whatever the runtime.
function check(result) {
  assert.deepEqual(result.status, { code: 0, status: 'OK', message: '', details: [] });
  assert.equal(result.after.done, true);
  assert.equal(result.after.error?.code, 1, 'the cancelled operation reads back as CANCELLED');
  assert.equal(result.after.error?.status, 'CANCELLED');
  const e = result.error;
  assert.ok(e, 'cancelling a missing operation rejects');
  assert.equal(e.isOperationsError, true, 'the rejection is an OperationsError');
  assert.equal(e.isError, true, 'OperationsError extends Error');
  assert.equal(e.name, 'OperationsError');
  assert.equal(e.kind, 'api');
  assert.equal(e.code, 5);
  assert.equal(e.status, 'NOT_FOUND');
  assert.equal(e.httpStatus, 404);
  assert.equal(e.retryable, false);
  assert.match(e.message, /not found/i);
  assert.ok(!e.message.includes(token), 'the token stays out of the message');
}

async function cli(command, args, env = {}) {
  const { stdout } = await run(command, args, {
    cwd: project,
    env: { ...process.env, ENDPOINT: endpoint, TOKEN: token, ...env },
  });
  return JSON.parse(stdout.trim().split('\n').pop());
}

test('Node: import', async () => check(await cli(process.execPath, ['cli.mjs'])));

test('Node: require', async () => check(await cli(process.execPath, ['cli.cjs'])));

// The global fetch replaced by undici or node-fetch from npm (the repo's
// devDependencies): the package's calls go through it and still prove out.
for (const [module, exported] of [['undici', 'fetch'], ['node-fetch', 'default']]) {
  test(`Node: fetch replaced by ${module} from npm`, async () => {
    const file = join(root, 'node_modules', module, JSON.parse(readFileSync(join(root, 'node_modules', module, 'package.json'), 'utf8')).main ?? 'index.js');
    const result = await cli(process.execPath, ['cli-fetch.mjs'], { FETCH_MODULE: pathToFileURL(file).href, FETCH_EXPORT: exported });
    assert.equal(result.foreign, true, `${module}'s responses are not instanceof the global Response`);
    assert.equal(result.apiCalls, 3, 'the cancel, the read-back and the failing cancel went through it');
    check(result);
  });
}

test('Deno', async () => {
  const env = { DENO_DIR: join(project, '.deno'), DENO_NO_UPDATE_CHECK: '1', DENO_NO_PROMPT: '1', NO_COLOR: '1' };
  check(await cli(bin('deno'), ['run', '--allow-net=127.0.0.1', '--allow-read', '--allow-env', 'cli.mjs'], env));
});

test('Bun', async () => check(await cli(bin('bun'), ['cli.mjs'], { BUN_INSTALL_CACHE_DIR: join(project, '.bun') })));

test('workerd (miniflare): examples/cloudflare-worker', async () => {
  await run(
    bin('esbuild'),
    [
      'cloudflare-worker/index.js', '--bundle', '--format=esm', '--platform=neutral',
      '--conditions=workerd,worker,browser', '--loader:.wasm=copy', '--outdir=worker-dist', '--log-level=warning',
    ],
    { cwd: project },
  );
  const mf = new Miniflare({
    modules: true,
    modulesRoot: join(project, 'worker-dist'),
    scriptPath: join(project, 'worker-dist', 'index.js'),
    modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'] }],
    compatibilityDate: '2026-04-26',
    bindings: { OPERATIONS_TOKEN: token, OPERATIONS_ENDPOINT: endpoint },
  });
  try {
    const created = await fetch(`${endpoint}/__emulator/operations`, {
      method: 'POST',
      body: JSON.stringify({ runMs: 600000 }),
    }).then((r) => r.json());
    const cancel = (name) => mf.dispatchFetch(`http://worker/cancel?name=${encodeURIComponent(name)}`, { method: 'POST' });

    const ok = await cancel(created.name);
    assert.equal(ok.status, 200);
    assert.deepEqual(await ok.json(), { code: 0, status: 'OK', message: '', details: [] });
    const op = await fetch(`${endpoint}/v1/${created.name}`, { headers: { authorization: `Bearer ${token}` } }).then((r) =>
      r.json(),
    );
    assert.equal(op.done, true);
    assert.equal(op.error.code, 1);

    const missing = await cancel('operations/no-such-operation');
    assert.equal(missing.status, 404);
    const { error } = await missing.json();
    assert.equal(error.kind, 'api');
    assert.equal(error.code, 5);
    assert.equal(error.status, 'NOT_FOUND');
    assert.equal(error.httpStatus, 404);

    const invalid = await cancel('not a name');
    assert.equal(invalid.status, 400);
    assert.equal((await invalid.json()).error.kind, 'invalid-argument');

    // A proxy's page with 200 upstream is the Worker's upstream failing: 502, not 200.
    await fetch(`${endpoint}/__emulator/faults`, {
      method: 'POST',
      body: JSON.stringify({
        path: `/v1/${created.name}:cancel`,
        method: 'POST',
        status: 200,
        headers: { 'content-type': 'text/html' },
        body: '<html><body>proxy</body></html>',
        times: 1,
      }),
    });
    const proxied = await cancel(created.name);
    assert.equal(proxied.status, 502);
    assert.equal((await proxied.json()).error.kind, 'bad-response');
  } finally {
    await mf.dispose();
  }
});

const chromium = {
  driver: '/usr/bin/chromedriver',
  capabilities: (profile) => ({
    browserName: 'chrome',
    'goog:chromeOptions': {
      binary: '/usr/bin/chromium',
      args: [
        '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`,
      ],
    },
  }),
};
const firefox = {
  driver: process.env.GECKODRIVER ?? join(process.env.HOME, '.cargo', 'bin', 'geckodriver'),
  capabilities: (profile) => ({
    browserName: 'firefox',
    'moz:firefoxOptions': {
      binary: '/usr/bin/firefox-esr',
      args: ['-headless', '-profile', profile],
      prefs: { 'network.captive-portal-service.enabled': false, 'app.update.enabled': false },
    },
  }),
};

test('Chromium: page bundled by Vite', async () => check(await inBrowser(chromium, 'page')));
test('Chromium: dedicated Web Worker', async () => check(await inBrowser(chromium, 'worker')));
test('Firefox: page bundled by Vite', async () => check(await inBrowser(firefox, 'page')));

// Opens the bundled page in a real headless browser through its WebDriver,
// runs one proof there and returns its result; also checks the page shows it.
async function inBrowser(browser, which) {
  const profile = mkdtempSync(join(tmpdir(), 'roo-profile-'));
  const port = await freePort();
  const driver = spawn(browser.driver, [`--port=${port}`], { stdio: 'ignore' });
  const base = `http://127.0.0.1:${port}`;
  const call = async (method, path, body) => {
    const response = await fetch(base + path, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body && JSON.stringify(body),
    });
    const { value } = await response.json();
    if (!response.ok) throw new Error(`WebDriver ${path}: ${value?.message ?? response.status}`);
    return value;
  };
  try {
    await waitFor(() => fetch(`${base}/status`).then((r) => r.ok), `${browser.driver} to start`);
    const { sessionId } = await call('POST', '/session', { capabilities: { alwaysMatch: browser.capabilities(profile) } });
    const session = `/session/${sessionId}`;
    try {
      await call('POST', `${session}/timeouts`, { script: 60000, pageLoad: 60000 });
      await call('POST', `${session}/url`, { url: siteUrl });
      const outcome = await call('POST', `${session}/execute/async`, {
        script: `const [which, endpoint, token, done] = arguments;
          (async () => {
            while (!window.proofs) await new Promise((r) => setTimeout(r, 20));
            return window.proofs[which](endpoint, token);
          })().then((result) => done({ result }), (error) => done({ failure: String(error && error.stack || error) }));`,
        args: [which, endpoint, token],
      });
      assert.ok(!outcome.failure, outcome.failure);
      const shown = await call('POST', `${session}/execute/sync`, {
        script: 'return document.querySelector("#result").textContent',
        args: [],
      });
      assert.deepEqual(JSON.parse(shown), outcome.result, 'the page shows the result');
      return outcome.result;
    } finally {
      await call('DELETE', session).catch(() => {});
    }
  } finally {
    driver.kill();
    rmSync(profile, { recursive: true, force: true });
  }
}

async function waitFor(probe, what) {
  for (let i = 0; i < 200; i++) {
    if (await probe().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function serveStatic(dir) {
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };
  const server = createServer(async (req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    const file = normalize(join(dir, path === '/' ? 'index.html' : decodeURIComponent(path)));
    try {
      if (!file.startsWith(dir + sep)) throw new Error('outside');
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}
