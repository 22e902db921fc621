// The console page end to end: real Chromium (Debian's), the real package
// build, the real emulator. scripts/test.sh sets CONSOLE_URL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const consoleUrl = process.env.CONSOLE_URL;
const outDir = join(process.cwd(), 'test-output');
let browser;
let page;

before(async () => {
  assert.ok(consoleUrl, 'CONSOLE_URL must be set (scripts/test.sh does it)');
  mkdirSync(outDir, { recursive: true });
  // Playwright gives every launch a fresh, empty profile.
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync',
    ],
  });
  page = await browser.newPage();
  page.on('pageerror', (error) => { throw error; });
  await page.goto(consoleUrl);
  await page.waitForSelector('body[data-ready="true"]');
});

after(async () => {
  await browser?.close();
});

test('cancels a running operation and shows it cancelled', async () => {
  await page.click('#demo');
  await page.waitForFunction(() => document.querySelector('#name').value.includes('/operations/'));
  assert.equal(await page.textContent('#state'), 'running');
  await page.click('#cancel');
  await page.waitForFunction(() => document.querySelector('#state').textContent === 'cancelled');
  const status = JSON.parse(await page.textContent('#status'));
  assert.deepEqual(status, { code: 0, status: 'OK', message: '', details: [] });
  const operation = JSON.parse(await page.textContent('#operation'));
  assert.equal(operation.done, true);
  assert.equal(operation.error.code, 1);
  assert.equal(operation.error.status, 'CANCELLED');
  await page.screenshot({ path: join(outDir, 'console.png'), fullPage: true });
});

test('shows a bad token as a readable UNAUTHENTICATED error', async () => {
  const token = await page.inputValue('#token');
  await page.fill('#token', 'not-the-token');
  await page.click('#get');
  await page.waitForSelector('#error:not([hidden])');
  assert.equal(await page.textContent('#error-status'), 'UNAUTHENTICATED');
  assert.equal(await page.textContent('#error-http'), '401');
  assert.equal(await page.textContent('#error-kind'), 'api');
  assert.doesNotMatch(await page.textContent('body'), /not-the-token|\[object Object\]/);
  await page.fill('#token', token);
});

test('refuses a malformed name without a request', async () => {
  await page.fill('#name', 'operations/../admin');
  await page.click('#get');
  await page.waitForFunction(() => document.querySelector('#error-kind').textContent === 'invalid-argument');
  assert.match(await page.textContent('#error-message'), /'\.' or '\.\.' segment/);
  assert.equal(await page.textContent('#error-http'), 'no response');
});

test('the package exports OperationsError for instanceof checks', async () => {
  const result = await page.evaluate(async () => {
    const pkg = await import('/pkg/browser.js');
    try {
      await pkg.cancelOperation('operations/x', 'bad token');
      return 'resolved';
    } catch (error) {
      return {
        ownClass: error instanceof pkg.OperationsError,
        isError: error instanceof Error,
        name: error.name,
        kind: error.kind,
        text: String(error),
      };
    }
  });
  assert.deepEqual({ ...result, text: undefined }, {
    ownClass: true, isError: true, name: 'OperationsError', kind: 'invalid-argument', text: undefined,
  });
  assert.match(result.text, /^OperationsError: token contains whitespace/);
  assert.doesNotMatch(result.text, /bad token/);
});
