// The minimal console: cancel an operation and show what became of it.
import { cancelOperation, getOperation } from '/pkg/browser.js';

const $ = (id) => document.getElementById(id);
const show = (id, value) => { $(id).textContent = typeof value === 'string' ? value : JSON.stringify(value, null, 2); };
const badge = (id, text, cls) => { $(id).textContent = text; $(id).className = `badge ${cls}`; };

function options() {
  return { endpoint: $('endpoint').value.trim(), timeoutMs: 15000 };
}

function stateOf(operation) {
  if (!operation.done) return 'running';
  if (operation.error) return operation.error.code === 1 ? 'cancelled' : 'failed';
  return operation.response ? 'succeeded' : 'done';
}

function showError(error) {
  $('error').hidden = false;
  show('error-status', error.status ?? 'UNKNOWN');
  show('error-http', error.httpStatus === undefined ? 'no response' : String(error.httpStatus));
  show('error-kind', error.kind ?? 'unknown');
  show('error-message', error.message ?? String(error));
  const unsupported = error.status === 'UNIMPLEMENTED';
  badge('outcome', unsupported ? 'This endpoint does not support cancelling operations.' : `Failed: ${error.status}`, 'error');
}

async function refresh(name) {
  const operation = await getOperation(name, $('token').value, options());
  show('operation', operation);
  const state = stateOf(operation);
  badge('state', state, state);
  return operation;
}

async function busy(work) {
  const buttons = document.querySelectorAll('button');
  buttons.forEach((b) => { b.disabled = true; });
  $('error').hidden = true;
  try {
    await work();
  } catch (error) {
    showError(error);
  } finally {
    buttons.forEach((b) => { b.disabled = false; });
  }
}

$('cancel-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const name = $('name').value.trim();
  busy(async () => {
    badge('outcome', 'Cancelling…', 'running');
    const status = await cancelOperation(name, $('token').value, options());
    show('status', status);
    badge('outcome', `Cancel accepted: ${status.status}`, 'ok');
    await refresh(name);
  });
});

$('get').addEventListener('click', () => {
  busy(async () => {
    await refresh($('name').value.trim());
    badge('outcome', 'Operation read.', 'ok');
  });
});

// The demo job goes through plain fetch: starting jobs is not this package's business.
$('demo').addEventListener('click', () => {
  busy(async () => {
    const url = `${options().endpoint.replace(/\/+$/, '')}/v1/projects/demo-project/locations/global:batchOptimizeTours`;
    const response = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${$('token').value}`, 'content-type': 'application/json' },
      body: JSON.stringify({ modelConfigs: [] }),
    });
    const body = await response.json().catch(() => ({}));
    if (!response.ok || typeof body.name !== 'string') {
      throw { status: body.error?.status ?? 'UNKNOWN', httpStatus: response.status, kind: 'api', message: body.error?.message ?? 'could not start a job' };
    }
    $('name').value = body.name;
    show('operation', body);
    badge('state', stateOf(body), stateOf(body));
    badge('outcome', 'Demo job started.', 'ok');
  });
});

const config = await fetch('/config.json').then((r) => r.json()).catch(() => ({}));
$('endpoint').value = config.endpoint ?? 'https://routeoptimization.googleapis.com';
$('token').value = config.token ?? '';
document.body.dataset.ready = 'true';
