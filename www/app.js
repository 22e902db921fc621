// The operations console: list, watch, inspect and cancel long-running
// Route Optimization operations through the package's public API.
import { OperationsClient } from './api.js';
import {
  STATES, byNewest, describeDetails, errorSummary, fingerprint, isAuthError, isCancelUnsupported,
  isUnimplemented, nextPollDelay, outcomeText, serverMessage, shortName, stateOf, timeText, answeredText,
} from './format.js';

const TOKEN_KEY = 'route-optimization-console.token';
const LIST_LIMIT = 5000; // operations read per refresh at most
const POLL_BASE_MS = 3000;
const POLL_MAX_MS = 30000;
const CONFIRM_WAIT_MS = 60000;
const BULK_CONCURRENCY = 6;

const $ = (id) => document.getElementById(id);
const el = (tag, props = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
};

const state = {
  client: null,
  generation: 0, // bumped on every connect: late answers of an older connection are dropped
  connected: false,
  operations: new Map(), // name → latest Operation read
  watched: new Set(), // names opened by hand, polled one by one when the endpoint cannot list
  outcomes: new Map(), // name → cancel outcome shown in the row
  selection: new Set(),
  caps: { list: 'unknown', cancel: 'unknown' }, // 'unknown' | 'yes' | 'no'
  truncated: false,
  page: 0,
  bulk: null, // { controller, total, done, failed, stopped, running }
  poll: { delay: POLL_BASE_MS, timer: 0, nextAt: 0, refreshing: null, fingerprint: '', pausedForAuth: false },
};

// ---------- connection ----------

function connect() {
  const endpoint = $('endpoint').value.trim();
  const token = $('token').value.trim();
  rememberToken();
  state.generation += 1;
  state.connected = false;
  state.operations.clear();
  state.watched.clear();
  state.outcomes.clear();
  state.selection.clear();
  state.caps = { list: 'unknown', cancel: 'unknown' };
  state.page = 0;
  state.poll.pausedForAuth = false;
  state.poll.fingerprint = '';
  state.poll.delay = POLL_BASE_MS;
  state.bulk?.controller.abort();
  state.bulk = null;
  $('bulk-progress-box').hidden = true;
  hideError();
  try {
    // The token lives in this closure and the input only: never a URL, a log or localStorage.
    state.client = new OperationsClient({ endpoint, token, timeoutMs: 15000, retry: { maxAttempts: 3 }, userAgent: 'ops-console/0.1' });
  } catch (error) {
    state.client = null;
    showError(error, 'Cannot connect');
    setConnectionStatus('Not connected: fix the endpoint or the token.');
    render();
    return;
  }
  state.connected = true;
  setConnectionStatus(`Connecting to ${endpoint}…`);
  render();
  refreshNow();
}

function rememberToken() {
  if ($('remember').checked) sessionStorage.setItem(TOKEN_KEY, $('token').value.trim());
  else sessionStorage.removeItem(TOKEN_KEY);
}

function setConnectionStatus(text) {
  $('connection-status').textContent = text;
}

// ---------- refreshing and polling ----------

/** Reads the operations again; resolves to whether anything visible changed. */
function refresh() {
  if (!state.client) return Promise.resolve(false);
  if (state.poll.refreshing?.generation !== state.generation) {
    // One refresh at a time per connection; a new connection does not wait for the old one's.
    const running = doRefresh().finally(() => { if (state.poll.refreshing === running) state.poll.refreshing = null; });
    running.generation = state.generation;
    state.poll.refreshing = running;
  }
  return state.poll.refreshing;
}

async function doRefresh() {
  const generation = state.generation;
  const client = state.client;
  try {
    let operations;
    let truncated = false;
    if (state.caps.list !== 'no') {
      try {
        operations = [];
        for await (const op of client.iterate({ pageSize: 100 })) {
          operations.push(op);
          if (operations.length >= LIST_LIMIT) { truncated = true; break; }
        }
        if (generation !== state.generation) return false;
        state.caps.list = 'yes';
      } catch (error) {
        if (generation !== state.generation) return false;
        if (!isUnimplemented(error)) throw error;
        state.caps.list = 'no';
        state.listError = error;
        operations = undefined;
      }
    }
    if (state.caps.list === 'no') operations = await readWatched(client);
    if (generation !== state.generation) return false;
    state.truncated = truncated;
    const names = new Set(operations.map((op) => op.name));
    if (state.caps.list === 'yes') {
      for (const name of state.operations.keys()) if (!names.has(name)) state.operations.delete(name);
    }
    for (const op of operations) state.operations.set(op.name, op);
    for (const name of state.selection) {
      if (stateOf(state.operations.get(name)) !== 'running') state.selection.delete(name);
    }
    const print = fingerprint([...state.operations.values()]);
    const changed = print !== state.poll.fingerprint;
    state.poll.fingerprint = print;
    state.poll.pausedForAuth = false;
    if ($('error').dataset.source === 'refresh') hideError();
    setConnectionStatus(`Connected to ${$('endpoint').value.trim()} · ${state.operations.size} operation${state.operations.size === 1 ? '' : 's'}${truncated ? ` (the first ${LIST_LIMIT})` : ''} · updated ${new Date().toLocaleTimeString()}`);
    render();
    return changed;
  } catch (error) {
    if (generation !== state.generation) return false;
    if (isAuthError(error)) state.poll.pausedForAuth = true;
    showError(error, 'Could not read the operations', 'refresh');
    setConnectionStatus(`Could not read the operations from ${$('endpoint').value.trim()}.`);
    render();
    return false;
  }
}

/** When the endpoint cannot list: read each operation opened by hand. */
async function readWatched(client) {
  const names = [...state.watched];
  const results = await Promise.allSettled(names.map((name) => client.get(name)));
  const operations = [];
  results.forEach((result, i) => {
    if (result.status === 'fulfilled') operations.push(result.value);
    else if (result.reason?.status === 'NOT_FOUND') {
      state.watched.delete(names[i]);
      state.operations.delete(names[i]);
      state.outcomes.set(names[i], { kind: 'not-found' });
    } else throw result.reason;
  });
  return operations;
}

function schedule() {
  clearTimeout(state.poll.timer);
  state.poll.timer = 0;
  if (pollPausedReason()) return updatePollStatus();
  state.poll.nextAt = Date.now() + state.poll.delay;
  state.poll.timer = setTimeout(async () => {
    const changed = await refresh();
    const busy = state.bulk?.running || [...state.outcomes.values()].some((o) => o.kind === 'cancelling' || o.kind === 'requested');
    state.poll.delay = busy ? POLL_BASE_MS : nextPollDelay(state.poll.delay, changed, POLL_BASE_MS, POLL_MAX_MS);
    schedule();
  }, state.poll.delay);
  updatePollStatus();
}

function pollPausedReason() {
  if (!state.connected) return 'not connected';
  if (!$('auto').checked) return 'off';
  if (document.hidden) return 'paused while the tab is hidden';
  if (state.poll.pausedForAuth) return 'paused: fix the token and press Connect';
  if (state.caps.list === 'no' && state.watched.size === 0) return 'nothing to watch yet';
  return '';
}

function updatePollStatus() {
  const paused = pollPausedReason();
  let text;
  if (paused === 'not connected') text = '';
  else if (paused) text = `Auto-refresh ${paused}.`;
  else {
    const seconds = Math.max(0, Math.ceil((state.poll.nextAt - Date.now()) / 1000));
    const slow = state.poll.delay > POLL_BASE_MS ? ' (slower: nothing changed lately)' : '';
    text = `Next refresh in ${seconds} s${slow}.`;
  }
  $('poll-status').textContent = text;
}

/** Refresh now and restart the polling at its fastest pace. */
async function refreshNow() {
  state.poll.delay = POLL_BASE_MS;
  clearTimeout(state.poll.timer);
  await refresh();
  schedule();
}

// ---------- rendering ----------

const rows = new Map(); // name → row elements, reused so focus survives refreshes

function visibleOperations() {
  const filter = $('filter').value;
  return [...state.operations.values()].filter((op) => filter === 'all' || stateOf(op) === filter).sort(byNewest);
}

function pageSize() {
  return Number($('page-size').value);
}

function render() {
  const matching = visibleOperations();
  const size = pageSize();
  const pages = Math.max(1, Math.ceil(matching.length / size));
  state.page = Math.min(state.page, pages - 1);
  const shown = matching.slice(state.page * size, (state.page + 1) * size);

  const wanted = shown.map((op) => rowFor(op.name));
  for (const [i, op] of shown.entries()) updateRow(wanted[i], op);
  const tbody = $('rows');
  const current = [...tbody.children];
  if (current.length !== wanted.length || current.some((tr, i) => tr !== wanted[i].tr)) {
    tbody.replaceChildren(...wanted.map((r) => r.tr));
  }
  for (const name of rows.keys()) if (!state.operations.has(name)) rows.delete(name);

  const filterName = $('filter').value;
  const empty = $('empty');
  empty.hidden = shown.length > 0;
  if (!state.connected) empty.textContent = 'Connect to an endpoint to see its operations.';
  else if (state.caps.list === 'no' && state.operations.size === 0) empty.textContent = 'This endpoint cannot list operations. Open one by name to watch it here.';
  else if (state.caps.list === 'unknown') empty.textContent = 'Loading…';
  else empty.textContent = filterName === 'all' ? 'No operations.' : `No ${filterName} operations.`;

  $('page-info').textContent = matching.length ? `Page ${state.page + 1} of ${pages} · ${matching.length} operation${matching.length === 1 ? '' : 's'}` : '';
  $('prev').disabled = state.page === 0;
  $('next').disabled = state.page >= pages - 1;
  $('table-caption').textContent = state.caps.list === 'no' ? 'Operations opened by name' : 'Operations';

  const counts = Object.fromEntries(STATES.map((s) => [s, 0]));
  for (const op of state.operations.values()) counts[stateOf(op)] += 1;
  for (const option of $('filter').options) {
    const label = option.value === 'all' ? 'All' : option.value[0].toUpperCase() + option.value.slice(1);
    const n = option.value === 'all' ? state.operations.size : counts[option.value];
    option.textContent = state.connected ? `${label} (${n})` : label;
  }

  renderNotices();
  renderBulk(matching, shown);
  updatePollStatus();
}

function rowFor(name) {
  let row = rows.get(name);
  if (row) return row;
  const short = shortName(name);
  const select = el('input', { type: 'checkbox', className: 'select-one' });
  select.setAttribute('aria-label', `Select operation ${short}`);
  select.addEventListener('change', () => {
    if (select.checked) state.selection.add(name); else state.selection.delete(name);
    render();
  });
  const open = el('button', { type: 'button', className: 'link open', title: name, textContent: short });
  open.setAttribute('aria-label', `Open operation ${name}`);
  open.addEventListener('click', () => openDetails(name));
  const copy = el('button', { type: 'button', className: 'icon copy', textContent: 'Copy', title: 'Copy the full name' });
  copy.setAttribute('aria-label', `Copy the name of operation ${short}`);
  copy.addEventListener('click', () => copyText(name, copy));
  const badge = el('span', { className: 'badge' });
  const time = el('td', { className: 'time' });
  const detail = el('td', { className: 'detail' });
  const cancel = el('button', { type: 'button', className: 'danger small cancel', textContent: 'Cancel' });
  cancel.setAttribute('aria-label', `Cancel operation ${short}`);
  cancel.addEventListener('click', () => cancelOne(name));
  const tr = el('tr', {},
    el('td', { className: 'select' }, select),
    el('td', { className: 'name' }, open, copy),
    el('td', { className: 'state' }, badge),
    time,
    detail,
    el('td', { className: 'actions' }, cancel));
  tr.dataset.name = name;
  const labels = ['Select', 'Name', 'State', 'Time', 'Details', 'Actions'];
  [...tr.children].forEach((cell, i) => { cell.dataset.label = labels[i]; });
  row = { tr, select, badge, time, detail, cancel };
  rows.set(name, row);
  return row;
}

function updateRow(row, op) {
  const opState = stateOf(op);
  row.tr.dataset.state = opState;
  setText(row.badge, opState);
  row.badge.className = `badge ${opState}`;
  setText(row.time, timeText(op, Date.now()));
  row.time.title = op.metadata?.createTime ? `Created ${op.metadata.createTime}` : '';
  const outcome = state.outcomes.get(op.name);
  const lines = [];
  if (outcome) {
    const { text, tone } = outcomeText(outcome, op);
    if (text) lines.push(el('span', { className: `outcome ${tone}`, textContent: text }));
  }
  if (opState === 'failed' && op.error) {
    lines.push(el('span', { className: 'error-text', textContent: `${op.error.status ?? `code ${op.error.code}`}: ${op.error.message || 'no message'}` }));
  }
  const key = lines.map((l) => `${l.className}|${l.textContent}`).join('\n');
  if (row.detail.dataset.key !== key) {
    row.detail.dataset.key = key;
    row.detail.replaceChildren(...lines);
    row.tr.dataset.outcome = outcome?.kind ?? '';
  }
  const running = opState === 'running';
  row.select.disabled = !running || state.caps.cancel === 'no' || Boolean(state.bulk?.running);
  row.select.checked = state.selection.has(op.name);
  const cancelling = outcome?.kind === 'cancelling' || outcome?.kind === 'queued';
  row.cancel.hidden = !running;
  row.cancel.disabled = cancelling || state.caps.cancel === 'no';
  row.cancel.title = state.caps.cancel === 'no' ? 'This endpoint does not support cancelling operations' : running ? '' : 'Only running operations can be cancelled';
}

function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

function renderNotices() {
  const list = $('notice-list');
  list.hidden = state.caps.list !== 'no';
  if (!list.hidden) {
    const why = state.listError ? ` (${answeredText(state.listError)})` : '';
    setText(list, `This endpoint does not support listing operations${why}. Open operations by name to watch them.`);
  }
  const cancel = $('notice-cancel');
  cancel.hidden = state.caps.cancel !== 'no';
  if (!cancel.hidden) {
    const why = state.cancelError ? ` (${answeredText(state.cancelError)})` : '';
    setText(cancel, `This endpoint does not support cancelling operations${why}. Cancel buttons are disabled.`);
  }
}

function renderBulk(matching, shown) {
  const running = state.bulk?.running;
  const unsupported = state.caps.cancel === 'no';
  const selectable = matching.filter((op) => stateOf(op) === 'running');
  setText($('selected-count'), `${state.selection.size} selected`);
  setText($('select-matching'), `Select all running that match (${selectable.length})`);
  $('select-matching').disabled = running || unsupported || selectable.length === 0;
  $('clear-selection').disabled = running || state.selection.size === 0;
  setText($('bulk-cancel'), `Cancel selected (${state.selection.size})`);
  $('bulk-cancel').disabled = running || unsupported || state.selection.size === 0;
  const pageRunning = shown.filter((op) => stateOf(op) === 'running');
  const pageBox = $('select-page');
  pageBox.disabled = running || unsupported || pageRunning.length === 0;
  const picked = pageRunning.filter((op) => state.selection.has(op.name)).length;
  pageBox.checked = pageRunning.length > 0 && picked === pageRunning.length;
  pageBox.indeterminate = picked > 0 && picked < pageRunning.length;
}

// ---------- errors ----------

function showError(error, title, source = 'action') {
  const panel = $('error');
  panel.dataset.source = source;
  $('error-title').textContent = title;
  const isOpsError = error && typeof error === 'object' && typeof error.kind === 'string';
  $('error-status').textContent = isOpsError ? `${error.status ?? 'UNKNOWN'}${error.code === undefined ? '' : ` (code ${error.code})`}` : 'UNKNOWN';
  $('error-http').textContent = isOpsError && error.httpStatus !== undefined ? String(error.httpStatus) : 'no response';
  $('error-message').textContent = isOpsError ? serverMessage(error) : errorSummary(error);
  $('error-kind').textContent = isOpsError ? error.kind : 'unexpected';
  $('error-details').replaceChildren(...renderDetails(isOpsError ? error.details : []));
  panel.hidden = false;
}

function hideError() {
  $('error').hidden = true;
  $('error').dataset.source = '';
}

/** ErrorInfo, RetryInfo and Help details as readable elements; others as JSON. */
function renderDetails(details) {
  return describeDetails(details).map((d) => {
    const box = el('div', { className: `detail-item ${d.type}` });
    box.dataset.type = d.type;
    if (d.type === 'ErrorInfo') {
      const meta = Object.entries(d.metadata).map(([k, v]) => `${k}=${v}`).join(', ');
      box.append(el('strong', { textContent: 'ErrorInfo: ' }), `reason ${d.reason} · domain ${d.domain}`, meta ? ` · ${meta}` : '');
    } else if (d.type === 'RetryInfo') {
      box.append(el('strong', { textContent: 'RetryInfo: ' }), `retry after ${d.delay}`);
    } else if (d.type === 'Help') {
      const list = el('ul');
      for (const link of d.links) {
        list.append(el('li', {}, link.url
          ? el('a', { href: link.url, target: '_blank', rel: 'noopener noreferrer', textContent: link.description })
          : link.description));
      }
      box.append(el('strong', { textContent: 'Help:' }), list);
    } else {
      box.append(el('strong', { textContent: `${d.type}:` }), el('pre', { textContent: d.json }));
    }
    return box;
  });
}

// ---------- cancelling ----------

function confirmDialog(title, text, yesLabel) {
  const dialog = $('confirm');
  $('confirm-title').textContent = title;
  $('confirm-text').textContent = text;
  $('confirm-yes').textContent = yesLabel;
  dialog.returnValue = '';
  dialog.showModal();
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'confirm'), { once: true });
  });
}

async function cancelOne(name) {
  if (!(await confirmDialog('Cancel this operation?', name, 'Cancel operation'))) return;
  const generation = state.generation;
  const client = state.client;
  state.outcomes.set(name, { kind: 'cancelling' });
  render();
  let outcome;
  try {
    const result = await client.cancelAndConfirm(name, { timeoutMs: CONFIRM_WAIT_MS, initialDelayMs: 300, maxDelayMs: 2000 });
    if (generation !== state.generation) return;
    if (result.operation) state.operations.set(name, result.operation);
    outcome = { kind: result.outcome };
    if (result.outcome === 'unsupported') {
      state.caps.cancel = 'no';
      state.cancelError = result.status?.status ? { status: result.status.status } : undefined;
    } else if (result.outcome !== 'not-found') state.caps.cancel = 'yes';
    if (result.outcome === 'not-found') {
      state.operations.delete(name);
      state.watched.delete(name);
    }
  } catch (error) {
    if (generation !== state.generation) return;
    outcome = { kind: 'error', error };
    showError(error, `Could not cancel ${shortName(name)}`);
  }
  state.outcomes.set(name, outcome);
  render();
  refreshNow();
}

async function bulkCancel() {
  const names = [...state.selection];
  if (!names.length) return;
  const ok = await confirmDialog(`Cancel ${names.length} operation${names.length === 1 ? '' : 's'}?`,
    `${names.length} running operation${names.length === 1 ? '' : 's'} will be asked to stop. Cancellation is best effort.`, `Cancel ${names.length}`);
  if (!ok) return;
  const generation = state.generation;
  const client = state.client;
  const controller = new AbortController();
  state.bulk = { controller, total: names.length, done: 0, failed: 0, running: true, stopped: false };
  for (const name of names) state.outcomes.set(name, { kind: 'queued' });
  showProgress();
  render();
  let results = [];
  try {
    results = await client.cancelMany(names, {
      concurrency: BULK_CONCURRENCY,
      signal: controller.signal,
      onProgress: ({ done, failed }) => {
        if (generation !== state.generation) return;
        Object.assign(state.bulk, { done, failed });
        showProgress();
      },
    });
  } catch (error) {
    showError(error, 'The bulk cancel failed');
  }
  if (generation !== state.generation) return;
  let unsupported = 0;
  for (const result of results) {
    if (result.ok) state.outcomes.set(result.name, { kind: 'requested' });
    else if (result.error?.kind === 'aborted') state.outcomes.set(result.name, { kind: 'stopped' });
    else if (isCancelUnsupported(result.error)) {
      unsupported += 1;
      state.cancelError = result.error;
      state.outcomes.set(result.name, { kind: 'unsupported' });
    } else state.outcomes.set(result.name, { kind: 'error', error: result.error });
  }
  if (unsupported) state.caps.cancel = 'no';
  else if (results.some((r) => r.ok)) state.caps.cancel = 'yes';
  const sent = results.filter((r) => r.ok).length;
  const unanswered = results.filter((r) => !r.ok && r.error?.kind === 'aborted').length;
  const failed = results.length - sent - unanswered;
  Object.assign(state.bulk, { running: false, sent, unanswered, failedFinal: failed });
  state.selection.clear();
  showProgress();
  render();
  refreshNow();
}

function showProgress() {
  const bulk = state.bulk;
  if (!bulk) return;
  $('bulk-progress-box').hidden = false;
  const bar = $('bulk-progress');
  bar.max = bulk.total;
  bar.value = bulk.done;
  let text;
  if (bulk.running) text = `${bulk.done} of ${bulk.total} done, ${bulk.failed} failed${bulk.stopped ? ' · stopping…' : ''}`;
  else if (bulk.stopped) text = `Stopped: ${bulk.sent} cancel${bulk.sent === 1 ? '' : 's'} accepted, ${bulk.unanswered} stopped before an answer, ${bulk.failedFinal} failed.`;
  else text = `Finished: ${bulk.sent} of ${bulk.total} cancels accepted, ${bulk.failedFinal} failed.`;
  $('bulk-count').textContent = text;
  $('bulk-progress-box').dataset.state = bulk.running ? 'running' : bulk.stopped ? 'stopped' : 'finished';
  $('bulk-stop').hidden = !bulk.running;
  $('bulk-stop').disabled = bulk.stopped;
}

// ---------- details ----------

let detailsName = '';

async function openDetails(name) {
  detailsName = name;
  const dialog = $('details');
  $('details-name').value = name;
  showDetails(state.operations.get(name));
  if (!dialog.open) dialog.showModal();
  $('details-loading').hidden = false;
  const generation = state.generation;
  try {
    const op = await state.client.get(name);
    if (generation !== state.generation) return;
    state.operations.set(name, op);
    if (detailsName === name) showDetails(op);
    render();
  } catch (error) {
    if (detailsName === name) dialog.close();
    showError(error, `Could not read ${shortName(name)}`);
  } finally {
    $('details-loading').hidden = true;
  }
}

function showDetails(op) {
  const opState = op ? stateOf(op) : 'unknown';
  $('details-title').textContent = `Operation ${shortName(detailsName)}`;
  $('details-state').textContent = op ? opState : 'loading';
  $('details-state').className = `badge ${opState}`;
  $('details-time').textContent = op ? timeText(op, Date.now()) : '';
  const error = op?.error;
  $('details-error').hidden = !error;
  if (error) {
    $('details-error-status').textContent = `${error.status ?? 'UNKNOWN'} (code ${error.code})`;
    $('details-error-message').textContent = error.message || 'no message';
    $('details-error-details').replaceChildren(...renderDetails(error.details));
  }
  $('details-json').textContent = op ? JSON.stringify(op, null, 2) : '';
}

async function copyText(text, button) {
  const before = button.textContent;
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = 'Copied';
  } catch {
    // Without clipboard access, select the text so the operator can copy it.
    const input = $('details-name');
    if (input.value === text && $('details').open) input.select();
    button.textContent = 'Press Ctrl+C';
  }
  setTimeout(() => { button.textContent = before; }, 1500);
}

// ---------- wiring ----------

$('connection').addEventListener('submit', (event) => { event.preventDefault(); connect(); });
$('remember').addEventListener('change', rememberToken);
$('refresh').addEventListener('click', () => refreshNow());
$('auto').addEventListener('change', () => schedule());
$('filter').addEventListener('change', () => { state.page = 0; render(); });
$('page-size').addEventListener('change', () => { state.page = 0; render(); });
$('prev').addEventListener('click', () => { state.page = Math.max(0, state.page - 1); render(); });
$('next').addEventListener('click', () => { state.page += 1; render(); });
$('error-dismiss').addEventListener('click', hideError);
$('select-matching').addEventListener('click', () => {
  for (const op of visibleOperations()) if (stateOf(op) === 'running') state.selection.add(op.name);
  render();
});
$('clear-selection').addEventListener('click', () => { state.selection.clear(); render(); });
$('select-page').addEventListener('change', (event) => {
  const size = pageSize();
  const shown = visibleOperations().slice(state.page * size, (state.page + 1) * size).filter((op) => stateOf(op) === 'running');
  for (const op of shown) {
    if (event.target.checked) state.selection.add(op.name); else state.selection.delete(op.name);
  }
  render();
});
$('bulk-cancel').addEventListener('click', bulkCancel);
$('bulk-stop').addEventListener('click', () => {
  if (!state.bulk?.running) return;
  state.bulk.stopped = true;
  state.bulk.controller.abort();
  showProgress();
});
$('open-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const name = $('open-name').value.trim();
  if (!state.client) return showError(new Error('Connect to an endpoint first.'), 'Not connected');
  if (state.caps.list === 'no') state.watched.add(name);
  openDetails(name).then(() => {
    if (!state.operations.has(name)) state.watched.delete(name);
    schedule();
  });
});
$('details-close').addEventListener('click', () => $('details').close());
$('details-copy').addEventListener('click', () => copyText($('details-name').value, $('details-copy')));
document.addEventListener('visibilitychange', () => {
  if (!document.hidden && state.connected && !state.poll.pausedForAuth) refreshNow();
  else schedule();
});
setInterval(() => {
  for (const [name, row] of rows) {
    const op = state.operations.get(name);
    if (op && row.tr.isConnected) setText(row.time, timeText(op, Date.now()));
  }
  updatePollStatus();
}, 1000);

const config = await fetch('/config.json').then((r) => (r.ok ? r.json() : {})).catch(() => ({}));
$('endpoint').value = config.endpoint ?? 'http://127.0.0.1:8787';
const remembered = sessionStorage.getItem(TOKEN_KEY);
$('remember').checked = remembered !== null;
$('token').value = remembered ?? config.token ?? '';
render();
if ($('endpoint').value && $('token').value) connect();
document.body.dataset.ready = 'true';
