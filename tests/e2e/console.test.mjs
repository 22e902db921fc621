// The console end to end: Debian's Chromium driven by Playwright, the
// release build of the package served by scripts/serve.mjs, and a fresh
// emulator per test (so no test depends on another's leftovers).
// Needs `node scripts/build.mjs` and `cargo build -p operations-emulator` first.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const outDir = join(root, 'test-output');
const emulatorBin = process.env.EMULATOR_BIN ?? join(root, 'target', 'debug', 'operations-emulator');
const TOKEN = 'local-dev-token';
const RUNNING_MS = 3_600_000;

let browser;
let consoleUrl;
let consoleServer;

/** Starts a child process and resolves once a line of its stdout matches `pattern`. */
function startProcess(command, args, pattern) {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${command} did not start: ${output}`)), 10_000);
    child.stderr.on('data', (chunk) => { output += chunk; });
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = pattern.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1] });
      }
    });
    child.on('exit', (code) => reject(new Error(`${command} exited with ${code}: ${output}`)));
  });
}

/** A fresh emulator for one test, stopped when the test ends. */
async function emulator(t, ...args) {
  const { child, url } = await startProcess(emulatorBin, ['--port', '0', '--quiet', ...args], /^listening on (\S+)$/m);
  t.after(() => child.kill());
  const call = async (method, path, body, token = TOKEN) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : {} };
  };
  return {
    url,
    control: async (path, body) => (await call('POST', `/__emulator/${path}`, body)).body,
    stats: async () => (await call('GET', '/__emulator/stats')).body,
    /** Every operation, read straight from the REST API (not through the console). */
    list: async () => (await call('GET', '/v1/operations?pageSize=100')).body.operations ?? [],
    get: async (name) => (await call('GET', `/v1/${name}`)).body,
  };
}

const stateOf = (op) => (!op.done ? 'running' : op.error ? (op.error.code === 1 ? 'cancelled' : 'failed') : op.response ? 'succeeded' : 'unknown');

/** A new page (its own storage) with the console connected to `endpoint`. */
async function openConsole(t, endpoint, token = TOKEN, { viewport = { width: 1280, height: 900 } } = {}) {
  const context = await browser.newContext({ viewport });
  t.after(() => context.close());
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error));
  t.after(() => assert.deepEqual(pageErrors, [], 'no uncaught errors in the page'));
  await page.goto(consoleUrl);
  await page.waitForSelector('body[data-ready="true"]');
  await page.fill('#endpoint', endpoint);
  await page.fill('#token', token);
  await page.click('#connect');
  return page;
}

const rowCount = (page) => page.locator('#rows tr').count();
const waitConnected = (page) => page.waitForFunction(() => document.querySelector('#connection-status').textContent.startsWith('Connected'));

before(async () => {
  mkdirSync(outDir, { recursive: true });
  ({ child: consoleServer, url: consoleUrl } = await startProcess(process.execPath, [join(root, 'scripts', 'serve.mjs'), '--port', '0'], /^console on (\S+)$/m));
  // Playwright gives every launch a fresh, empty user-data dir of its own.
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync',
    ],
  });
});

after(async () => {
  await browser?.close();
  consoleServer?.kill();
});

test('lists the seeded operations with their states, filters, pages and shows details', async (t) => {
  const emu = await emulator(t, '--seed');
  const truth = await emu.list();
  const counts = {};
  for (const op of truth) counts[stateOf(op)] = (counts[stateOf(op)] ?? 0) + 1;
  assert.ok(truth.length > 20 && counts.running && counts.failed && counts.cancelled && counts.succeeded, 'a seed worth showing');

  const page = await openConsole(t, emu.url);
  await waitConnected(page);
  assert.equal(await rowCount(page), 20, 'first page of 20');
  assert.match(await page.textContent('#page-info'), new RegExp(`Page 1 of ${Math.ceil(truth.length / 20)} · ${truth.length} operations`));
  assert.equal(await page.locator('#filter option[value=running]').textContent(), `Running (${counts.running})`);
  assert.equal(await page.locator('#filter option[value=failed]').textContent(), `Failed (${counts.failed})`);

  // Every seeded operation appears exactly once across the pages, with its state.
  const seen = new Map();
  for (;;) {
    for (const row of await page.locator('#rows tr').all()) seen.set(await row.getAttribute('data-name'), await row.getAttribute('data-state'));
    if (await page.isDisabled('#next')) break;
    await page.click('#next');
  }
  assert.equal(seen.size, truth.length);
  for (const op of truth) {
    const expected = stateOf(op);
    // A job about to finish may have finished between the two reads.
    if (!(expected === 'running' && seen.get(op.name) === 'succeeded')) assert.equal(seen.get(op.name), expected, op.name);
  }

  // Filter: only failed ones, each with its error message.
  await page.selectOption('#filter', 'failed');
  assert.equal(await rowCount(page), counts.failed);
  for (const row of await page.locator('#rows tr').all()) {
    assert.equal(await row.getAttribute('data-state'), 'failed');
    assert.match(await row.locator('.error-text').textContent(), /^[A-Z_]+: \S/);
    assert.equal(await row.locator('button.cancel').isVisible(), false, 'nothing to cancel on a finished job');
  }

  // Details of a failure with Help links: ErrorInfo, Help rendered as links, the full JSON.
  const withHelp = truth.find((op) => op.error?.details?.some((d) => d['@type'].endsWith('google.rpc.Help')));
  await page.click(`#rows tr[data-name="${withHelp.name}"] button.open`);
  await page.waitForSelector('#details[open]');
  await page.waitForSelector('#details-loading', { state: 'hidden' });
  assert.equal(await page.inputValue('#details-name'), withHelp.name);
  assert.equal(await page.textContent('#details-state'), 'failed');
  assert.match(await page.textContent('#details-error-status'), /^INVALID_ARGUMENT \(code 3\)$/);
  assert.match(await page.textContent('#details-error-details [data-type=ErrorInfo]'), /reason OPTIMIZATION_FAILED · domain routeoptimization\.googleapis\.com/);
  const links = await page.locator('#details-error-details [data-type=Help] a').evaluateAll((as) => as.map((a) => [a.textContent, a.href, a.rel]));
  const help = withHelp.error.details.find((d) => d['@type'].endsWith('Help'));
  assert.deepEqual(links, help.links.map((l) => [l.description, l.url, 'noopener noreferrer']));
  const shown = JSON.parse(await page.textContent('#details-json'));
  assert.equal(shown.name, withHelp.name);
  assert.deepEqual(shown.error.details, withHelp.error.details);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.click('#details-copy');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), withHelp.name);
  await page.keyboard.press('Escape');
  await page.waitForSelector('#details:not([open])', { state: 'attached' });

  // A RetryInfo delay reads as a delay.
  const withRetry = truth.find((op) => op.error?.details?.some((d) => d['@type'].endsWith('google.rpc.RetryInfo')));
  await page.click(`#rows tr[data-name="${withRetry.name}"] button.open`);
  await page.waitForSelector('#details-loading', { state: 'hidden' });
  assert.equal(await page.textContent('#details-error-details [data-type=RetryInfo]'), 'RetryInfo: retry after 30 s');
  await page.click('#details-close');

  // The main view, wide and narrow, for a look.
  await page.selectOption('#filter', 'all');
  await page.screenshot({ path: join(outDir, 'console.png'), fullPage: true });
  await page.setViewportSize({ width: 380, height: 800 });
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no sideways scrolling at 380 px');
  await page.screenshot({ path: join(outDir, 'console-narrow.png'), fullPage: false });
});

test('cancels one operation after confirmation and shows it settle as cancelled', async (t) => {
  const emu = await emulator(t);
  const { name } = await emu.control('operations', { runMs: RUNNING_MS });
  const page = await openConsole(t, emu.url);
  const row = page.locator(`#rows tr[data-name="${name}"]`);
  await row.waitFor();
  assert.equal(await row.getAttribute('data-state'), 'running');

  // Declining the confirmation sends nothing.
  await row.locator('button.cancel').click();
  await page.waitForSelector('#confirm[open]');
  assert.equal(await page.textContent('#confirm-text'), name);
  await page.click('#confirm-keep');
  await page.waitForSelector('#confirm:not([open])', { state: 'attached' });
  assert.equal(stateOf(await emu.get(name)), 'running');

  // Keyboard: focus the row's Cancel button, Enter, then confirm.
  await row.locator('button.cancel').focus();
  await page.keyboard.press('Enter');
  await page.waitForSelector('#confirm[open]');
  await page.click('#confirm-yes');
  await page.waitForFunction((n) => document.querySelector(`#rows tr[data-name="${n}"]`)?.dataset.outcome === 'cancelled', name);
  assert.equal(await row.getAttribute('data-state'), 'cancelled');
  assert.equal(await row.locator('.outcome').textContent(), 'Cancel confirmed: cancelled');
  const settled = await emu.get(name);
  assert.equal(settled.done, true);
  assert.equal(settled.error.code, 1);
  assert.equal(await page.isHidden('#error'), true);
});

test('bulk-cancels every running operation, the progress bar reaching the end', async (t) => {
  const emu = await emulator(t, '--seed');
  const running = (await emu.list()).filter((op) => !op.done).map((op) => op.name);
  assert.ok(running.length >= 10);
  const page = await openConsole(t, emu.url);
  await waitConnected(page);
  await page.selectOption('#filter', 'running');
  await page.click('#select-matching');
  assert.equal(await page.textContent('#selected-count'), `${running.length} selected`);
  await page.click('#bulk-cancel');
  await page.waitForSelector('#confirm[open]');
  await page.click('#confirm-yes');
  await page.waitForSelector('#bulk-progress-box[data-state=finished]');
  const bar = await page.$eval('#bulk-progress', (p) => [p.value, p.max]);
  assert.deepEqual(bar, [running.length, running.length]);
  assert.equal(await page.textContent('#bulk-count'), `Finished: ${running.length} of ${running.length} cancels accepted, 0 failed.`);
  for (const name of running) assert.equal(stateOf(await emu.get(name)), 'cancelled', name);
  // The table catches up: nothing running any more.
  await page.waitForFunction(() => document.querySelector('#empty').textContent === 'No running operations.' && !document.querySelector('#empty').hidden);
  await page.selectOption('#filter', 'cancelled');
  const shownCancelled = await page.locator('#rows tr[data-outcome=requested][data-state=cancelled]').count();
  assert.equal(shownCancelled, Math.min(20, running.length));
});

test('Stop aborts a bulk cancel midway and leaves the rest running', async (t) => {
  const emu = await emulator(t);
  const names = [];
  for (let i = 0; i < 30; i++) names.push((await emu.control('operations', { runMs: RUNNING_MS })).name);
  const page = await openConsole(t, emu.url);
  await waitConnected(page);
  await page.selectOption('#page-size', '50');
  await page.click('#select-matching');
  assert.equal(await page.textContent('#selected-count'), '30 selected');
  await emu.control('latency', { ms: 500 });
  await page.click('#bulk-cancel');
  await page.click('#confirm-yes');
  await page.waitForFunction(() => document.querySelector('#bulk-progress').value >= 1);
  await page.click('#bulk-stop');
  await page.waitForSelector('#bulk-progress-box[data-state=stopped]');
  await emu.control('latency', { ms: 0 });

  const text = await page.textContent('#bulk-count');
  const [, sent, stopped] = /^Stopped: (\d+) cancels? accepted, (\d+) stopped before an answer, 0 failed\.$/.exec(text) ?? [];
  assert.ok(Number(stopped) > 0, `some were stopped: ${text}`);
  const states = Object.fromEntries(await Promise.all(names.map(async (name) => [name, stateOf(await emu.get(name))])));
  const cancelled = Object.values(states).filter((s) => s === 'cancelled').length;
  t.diagnostic(`stopped midway: ${cancelled} of ${names.length} cancelled, ${sent} answered, ${stopped} stopped before an answer`);
  assert.ok(cancelled > 0 && cancelled < names.length, `fewer than all cancelled: ${cancelled} of ${names.length}`);
  assert.ok(cancelled >= Number(sent), 'every cancel answered took effect');
  assert.deepEqual(Object.values(states).filter((s) => s !== 'cancelled' && s !== 'running'), [], 'the others are still running');

  // Once the table has caught up, every row tells what became of it.
  await page.waitForFunction((truth) => Object.entries(truth).every(([name, s]) => document.querySelector(`#rows tr[data-name="${name}"]`)?.dataset.state === s), states);
  const rowsStopped = await page.locator('#rows tr[data-outcome=stopped]').all();
  assert.equal(rowsStopped.length, Number(stopped));
  for (const row of rowsStopped) {
    const expected = states[await row.getAttribute('data-name')] === 'running'
      ? 'Not cancelled: the bulk cancel was stopped'
      : 'Cancelled: its request was in flight when the bulk cancel stopped';
    assert.equal(await row.locator('.outcome').textContent(), expected);
  }
  assert.ok(await page.locator('#rows tr[data-outcome=stopped][data-state=running]').count() > 0, 'some left running');
});

test('a bad token shows a readable error, pauses polling, and the page recovers', async (t) => {
  const emu = await emulator(t, '--seed');
  const page = await openConsole(t, emu.url, 'not-the-token');
  await page.waitForSelector('#error:not([hidden])');
  assert.equal(await page.textContent('#error-status'), 'UNAUTHENTICATED (code 16)');
  assert.equal(await page.textContent('#error-http'), '401');
  assert.equal(await page.textContent('#error-kind'), 'api');
  assert.match(await page.textContent('#error-message'), /^Request had invalid authentication credentials\./);
  assert.match(await page.textContent('#error-details [data-type=ErrorInfo]'), /reason ACCESS_TOKEN_TYPE_UNSUPPORTED · domain googleapis\.com/);
  assert.match(await page.textContent('#poll-status'), /paused: fix the token/);
  const body = await page.textContent('body');
  assert.doesNotMatch(body, /not-the-token|\[object Object\]|\.js:\d+:\d+|wasm-function/);
  assert.equal(await page.evaluate(() => location.href.includes('token')), false);

  // A token the package refuses before sending: the same panel, no HTTP status.
  await page.fill('#token', 'two words');
  await page.click('#connect');
  await page.waitForFunction(() => document.querySelector('#error-kind').textContent === 'invalid-argument');
  assert.equal(await page.textContent('#error-http'), 'no response');
  assert.doesNotMatch(await page.textContent('body'), /two words/);

  // Still usable: the right token brings the operations.
  await page.fill('#token', TOKEN);
  await page.click('#connect');
  await waitConnected(page);
  assert.equal(await page.isHidden('#error'), true);
  assert.equal(await rowCount(page), 20);
});

test('an endpoint without list and cancel says so and disables cancelling', async (t) => {
  const emu = await emulator(t, '--mode', 'google');
  const { name } = await emu.control('operations', { runMs: RUNNING_MS });
  const page = await openConsole(t, emu.url);
  await page.waitForSelector('#notice-list:not([hidden])');
  assert.match(await page.textContent('#notice-list'), /^This endpoint does not support listing operations \(it answered UNIMPLEMENTED, HTTP 501\)\. Open operations by name/);
  assert.equal(await page.isHidden('#error'), true, 'no red error for an unsupported list');
  assert.match(await page.textContent('#empty'), /Open one by name/);

  await page.fill('#open-name', name);
  await page.press('#open-name', 'Enter');
  await page.waitForSelector('#details[open]');
  await page.waitForSelector('#details-loading', { state: 'hidden' });
  assert.equal(await page.textContent('#details-state'), 'running');
  await page.keyboard.press('Escape');
  const row = page.locator(`#rows tr[data-name="${name}"]`);
  await row.waitFor();
  assert.equal(await row.getAttribute('data-state'), 'running');

  await row.locator('button.cancel').click();
  await page.click('#confirm-yes');
  await page.waitForSelector('#notice-cancel:not([hidden])');
  assert.match(await page.textContent('#notice-cancel'), /does not support cancelling operations/);
  assert.equal(await row.getAttribute('data-outcome'), 'unsupported');
  assert.equal(await row.locator('.outcome').textContent(), 'Cancel unsupported by this endpoint');
  assert.equal(await row.locator('button.cancel').isDisabled(), true);
  assert.equal(await page.isDisabled('#bulk-cancel'), true);
  assert.equal(await page.isDisabled('#select-matching'), true);
  assert.equal(await page.isHidden('#error'), true, 'no red error for an unsupported cancel');
  assert.equal(await page.locator('.outcome.error, .error-text').count(), 0);
  assert.equal(stateOf(await emu.get(name)), 'running');
  await page.screenshot({ path: join(outDir, 'console-unsupported.png'), fullPage: true });
});

test('polling pauses while the tab is hidden and resumes when it shows', async (t) => {
  const emu = await emulator(t);
  await emu.control('operations', { runMs: RUNNING_MS });
  const page = await openConsole(t, emu.url);
  await waitConnected(page);
  const setHidden = (hidden) => page.evaluate((h) => {
    Object.defineProperty(document, 'hidden', { value: h, configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
  await setHidden(true);
  assert.match(await page.textContent('#poll-status'), /paused while the tab is hidden/);
  const before = (await emu.stats()).requests;
  await new Promise((resolve) => setTimeout(resolve, 4000)); // longer than the fastest polling interval
  assert.equal((await emu.stats()).requests, before, 'no request while hidden');
  await setHidden(false);
  await page.waitForFunction(() => /^Next refresh in/.test(document.querySelector('#poll-status').textContent));
  assert.ok((await emu.stats()).requests > before, 'refreshed on showing');
});

test("the console's one import is the package's browser entry, errors and all", async (t) => {
  const emu = await emulator(t);
  const page = await openConsole(t, emu.url);
  await waitConnected(page);
  const result = await page.evaluate(async () => {
    const api = await import('/api.js');
    const pkg = await import('/pkg/browser.js');
    try {
      await api.cancelOperation('operations/x', 'bad token');
      return 'resolved';
    } catch (error) {
      return {
        sameModule: api.OperationsClient === pkg.OperationsClient,
        ownClass: error instanceof pkg.OperationsError,
        kind: error.kind,
        text: String(error),
      };
    }
  });
  assert.deepEqual({ ...result, text: undefined }, { sameModule: true, ownClass: true, kind: 'invalid-argument', text: undefined });
  assert.doesNotMatch(result.text, /bad token/);
  const sources = await Promise.all(['app.js', 'format.js', 'api.js'].map(async (f) => (await fetch(new URL(f, consoleUrl))).text()));
  const imports = sources.flatMap((s) => [...s.matchAll(/from '([^']+)'/g)].map((m) => m[1]));
  assert.deepEqual(imports.filter((m) => m.startsWith('/pkg/')), ['/pkg/browser.js'], 'one import of the package, in api.js');
});
