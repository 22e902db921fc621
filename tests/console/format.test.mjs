// The console's pure helpers (www/format.js), in Node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  answeredText, describeDetails, errorSummary, serverMessage, fingerprint, formatDuration, isCancelUnsupported, nextPollDelay, outcomeText,
  parseProtoDuration, safeUrl, shortName, stateOf, timeText,
} from '../../www/format.js';

test('states of operations', () => {
  assert.equal(stateOf({ name: 'operations/a' }), 'running');
  assert.equal(stateOf({ name: 'operations/a', done: false }), 'running');
  assert.equal(stateOf({ done: true, response: {} }), 'succeeded');
  assert.equal(stateOf({ done: true, error: { code: 1 } }), 'cancelled');
  assert.equal(stateOf({ done: true, error: { code: 3 } }), 'failed');
  assert.equal(stateOf({ done: true }), 'unknown');
  assert.equal(stateOf(undefined), 'unknown');
});

test('short names keep the project and the end of the id', () => {
  assert.equal(shortName('projects/demo/locations/global/operations/1234567890123456789'), 'demo · …23456789');
  assert.equal(shortName('operations/abc'), 'abc');
  assert.equal(shortName('operations/'), 'operations/');
});

test('durations and the time column', () => {
  assert.deepEqual([0, 59_999, 60_000, 3_599_999, 3_600_000, 3_660_000, 49 * 3_600_000].map(formatDuration),
    ['0 s', '59 s', '1 min', '59 min', '1 h 00 min', '1 h 01 min', '2 d 1 h']);
  const now = Date.parse('2026-12-03T12:00:00Z');
  const metadata = { createTime: '2026-12-03T11:00:00Z', updateTime: '2026-12-03T11:30:00Z' };
  assert.equal(timeText({ metadata }, now), 'running for 1 h 00 min');
  assert.equal(timeText({ done: true, metadata }, now), 'ended 30 min ago (ran 30 min)');
  assert.equal(timeText({ done: true, metadata: { createTime: 'garbage' } }, now), '—');
  assert.equal(timeText({}, now), 'running');
});

test('errors read as text, never as [object Object]', () => {
  const apiError = Object.assign(new Error('Request had invalid authentication credentials.'), {
    kind: 'api', status: 'UNAUTHENTICATED', code: 16, httpStatus: 401,
  });
  assert.equal(errorSummary(apiError), 'UNAUTHENTICATED (HTTP 401): Request had invalid authentication credentials.');
  const network = Object.assign(new Error('connection refused'), { kind: 'network', status: 'UNAVAILABLE', code: 14 });
  assert.equal(errorSummary(network), 'UNAVAILABLE, network: connection refused');
  assert.equal(errorSummary(new TypeError('boom')), 'boom');
  // The package's own "STATUS (HTTP n): " prefix is not repeated.
  const prefixed = Object.assign(new Error('UNIMPLEMENTED (HTTP 501): Operation is not implemented.'), {
    kind: 'api', status: 'UNIMPLEMENTED', code: 12, httpStatus: 501,
  });
  assert.equal(errorSummary(prefixed), 'UNIMPLEMENTED (HTTP 501): Operation is not implemented.');
  assert.equal(serverMessage(prefixed), 'Operation is not implemented.');
  assert.equal(serverMessage({ message: 'NOT_FOUND (HTTP 404)' }), 'NOT_FOUND (HTTP 404)');
  assert.equal(answeredText(prefixed), 'it answered UNIMPLEMENTED, HTTP 501');
  assert.equal(answeredText({ status: 'NOT_FOUND' }), 'it answered NOT_FOUND');
  assert.equal(errorSummary({ some: 'object' }), 'unexpected error');
  assert.equal(errorSummary(undefined), 'unexpected error');
});

test('an unsupported cancel is UNIMPLEMENTED or the front end HTML 404, not the API NOT_FOUND', () => {
  assert.equal(isCancelUnsupported({ kind: 'api', status: 'UNIMPLEMENTED', code: 12, httpStatus: 501 }), true);
  assert.equal(isCancelUnsupported({ kind: 'api', status: 'NOT_FOUND', code: 5, httpStatus: 404, body: '<!DOCTYPE html>' }), true);
  assert.equal(isCancelUnsupported({ kind: 'api', status: 'NOT_FOUND', code: 5, httpStatus: 404 }), false);
  assert.equal(isCancelUnsupported({ kind: 'network', status: 'UNAVAILABLE' }), false);
});

test('error details: ErrorInfo, RetryInfo, Help links (http only), and the rest as JSON', () => {
  const details = describeDetails([
    { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'R', domain: 'd.example', metadata: { k: 'v' } },
    { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '1.5s' },
    { '@type': 'type.googleapis.com/google.rpc.Help', links: [
      { description: 'Docs', url: 'https://example.com/a' },
      { description: 'Evil', url: 'javascript:alert(1)' },
    ] },
    { '@type': 'type.googleapis.com/google.rpc.QuotaFailure', violations: [] },
  ]);
  assert.deepEqual(details, [
    { type: 'ErrorInfo', reason: 'R', domain: 'd.example', metadata: { k: 'v' } },
    { type: 'RetryInfo', delayMs: 1500, delay: '1 s' },
    { type: 'Help', links: [{ description: 'Docs', url: 'https://example.com/a' }, { description: 'Evil', url: undefined }] },
    { type: 'QuotaFailure', json: JSON.stringify({ '@type': 'type.googleapis.com/google.rpc.QuotaFailure', violations: [] }, null, 2) },
  ]);
  assert.deepEqual(describeDetails('not a list'), []);
  assert.equal(parseProtoDuration('30s'), 30_000);
  assert.equal(parseProtoDuration('0.400s'), 400);
  assert.equal(parseProtoDuration('soon'), undefined);
  assert.equal(safeUrl('data:text/html,x'), undefined);
});

test('polling backs off while nothing changes and snaps back on a change', () => {
  const delays = [];
  let delay = 3000;
  for (const changed of [false, false, false, false, false, true, false]) {
    delay = nextPollDelay(delay, changed, 3000, 30000);
    delays.push(delay);
  }
  assert.deepEqual(delays, [6000, 12000, 24000, 30000, 30000, 3000, 6000]);
});

test('the fingerprint ignores the ever-moving updateTime and catches state changes', () => {
  const running = { name: 'operations/a', metadata: { updateTime: '2026-12-03T11:00:00Z' } };
  const later = { name: 'operations/a', metadata: { updateTime: '2026-12-03T11:00:05Z' } };
  const cancelled = { name: 'operations/a', done: true, error: { code: 1 } };
  assert.equal(fingerprint([running]), fingerprint([later]));
  assert.notEqual(fingerprint([running]), fingerprint([cancelled]));
  assert.notEqual(fingerprint([running]), fingerprint([running, { name: 'operations/b' }]));
});

test('cancel outcomes in a row', () => {
  assert.equal(outcomeText({ kind: 'cancelled' }).tone, 'ok');
  assert.equal(outcomeText({ kind: 'unsupported' }).text, 'Cancel unsupported by this endpoint');
  assert.equal(outcomeText({ kind: 'requested' }, { done: true, error: { code: 1 } }).text, 'Cancel confirmed: cancelled');
  assert.equal(outcomeText({ kind: 'requested' }, { done: true, response: {} }).text, 'Cancel requested; it ended succeeded anyway');
  assert.match(outcomeText({ kind: 'error', error: { kind: 'api', status: 'INTERNAL', httpStatus: 500, message: 'x' } }).text,
    /^Cancel failed: INTERNAL \(HTTP 500\): x$/);
});
