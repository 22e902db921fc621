// Pure helpers of the console: no DOM, no network, so Node can test them.

export const STATES = ['running', 'succeeded', 'cancelled', 'failed', 'unknown'];

/** running, succeeded, cancelled, failed or unknown. */
export function stateOf(operation) {
  if (!operation || typeof operation !== 'object') return 'unknown';
  if (!operation.done) return 'running';
  if (operation.error) return operation.error.code === 1 ? 'cancelled' : 'failed';
  return operation.response ? 'succeeded' : 'unknown';
}

/** `projects/p/locations/l/operations/123…789` → `p · …456789`; other names keep their tail. */
export function shortName(name) {
  const parts = String(name).split('/');
  const id = parts.at(-1) ?? '';
  const shortId = id.length > 10 ? `…${id.slice(-8)}` : id;
  const project = parts[0] === 'projects' && parts.length > 2 ? parts[1] : '';
  return project ? `${project} · ${shortId}` : shortId || String(name);
}

/** Milliseconds since the epoch, or undefined for a missing or unreadable timestamp. */
export function parseTime(text) {
  if (typeof text !== 'string') return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/** 45 s, 12 min, 3 h 05 min, 2 d 4 h. */
export function formatDuration(ms) {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${h} h ${String(min % 60).padStart(2, '0')} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

/** What the time column says: how long a running job has run, or how long ago a finished one ended. */
export function timeText(operation, now) {
  const created = parseTime(operation?.metadata?.createTime);
  const updated = parseTime(operation?.metadata?.updateTime);
  if (!operation?.done) return created === undefined ? 'running' : `running for ${formatDuration(now - created)}`;
  if (updated === undefined) return created === undefined ? '—' : `started ${formatDuration(now - created)} ago`;
  const ran = created === undefined ? '' : ` (ran ${formatDuration(updated - created)})`;
  return `ended ${formatDuration(now - updated)} ago${ran}`;
}

/** An error's message without the "STATUS (HTTP n): " the package puts before the server's words. */
export function serverMessage(error) {
  const message = String(error?.message ?? '');
  return message.replace(/^[A-Z_]+ \(HTTP \d+\)(: |$)/, '') || message || 'no message';
}

/** A readable one-line account of any error; never "[object Object]". */
export function errorSummary(error) {
  if (error && typeof error === 'object' && typeof error.kind === 'string') {
    const where = error.httpStatus === undefined ? '' : ` (HTTP ${error.httpStatus})`;
    const what = error.kind === 'api' ? error.status ?? 'UNKNOWN' : `${error.status ?? 'UNKNOWN'}, ${error.kind}`;
    return `${what}${where}: ${serverMessage(error)}`;
  }
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === 'string') return error;
  return 'unexpected error';
}

/** "it answered UNIMPLEMENTED, HTTP 501": why a feature is off, in a few words. */
export function answeredText(error) {
  const status = error?.status ?? 'an error';
  return error?.httpStatus === undefined ? `it answered ${status}` : `it answered ${status}, HTTP ${error.httpStatus}`;
}

/** Whether an API error means the endpoint has no such method (the public service's answer for list and cancel). */
export function isUnimplemented(error) {
  return error?.kind === 'api' && (error.status === 'UNIMPLEMENTED' || error.code === 12);
}

/**
 * Whether a failed cancel means "this endpoint cannot cancel it": UNIMPLEMENTED,
 * or the front end's HTML 404 for a route it does not serve (not the API's JSON NOT_FOUND).
 */
export function isCancelUnsupported(error) {
  return isUnimplemented(error) || (error?.kind === 'api' && error.httpStatus === 404 && typeof error.body === 'string');
}

/** Whether retrying with the same credentials is pointless. */
export function isAuthError(error) {
  return error?.kind === 'api' && (error.status === 'UNAUTHENTICATED' || error.status === 'PERMISSION_DENIED');
}

/** `"30s"` / `"0.400s"` (protobuf Duration JSON) → milliseconds, or undefined. */
export function parseProtoDuration(text) {
  const match = /^(-?\d+(?:\.\d+)?)s$/.exec(String(text ?? ''));
  return match ? Math.round(Number(match[1]) * 1000) : undefined;
}

/** A URL safe to put in an href: http(s) only. */
export function safeUrl(text) {
  try {
    const url = new URL(String(text));
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The detail messages of a google.rpc.Status, each as
 * {type: 'ErrorInfo', reason, domain, metadata} | {type: 'RetryInfo', delayMs, delay}
 * | {type: 'Help', links: [{description, url}]} | {type, json} for the rest.
 */
export function describeDetails(details) {
  if (!Array.isArray(details)) return [];
  return details.map((detail) => {
    const type = String(detail?.['@type'] ?? '').split('/').at(-1).replace(/^google\.rpc\./, '') || 'detail';
    if (type === 'ErrorInfo') {
      return { type, reason: String(detail.reason ?? ''), domain: String(detail.domain ?? ''), metadata: detail.metadata ?? {} };
    }
    if (type === 'RetryInfo') {
      const delayMs = parseProtoDuration(detail.retryDelay);
      return { type, delayMs, delay: delayMs === undefined ? String(detail.retryDelay ?? '') : formatDuration(delayMs) };
    }
    if (type === 'Help' && Array.isArray(detail.links)) {
      const links = detail.links.map((l) => ({ description: String(l?.description || l?.url || 'link'), url: safeUrl(l?.url) }));
      return { type, links };
    }
    return { type, json: JSON.stringify(detail, null, 2) };
  });
}

/** The text and tone of a cancel outcome shown in a row. */
export function outcomeText(outcome, operation) {
  const state = stateOf(operation);
  switch (outcome?.kind) {
    case 'cancelling': return { text: 'Cancelling…', tone: 'info' };
    case 'queued': return { text: 'Queued for cancel…', tone: 'info' };
    case 'cancelled': return { text: 'Cancel confirmed: cancelled', tone: 'ok' };
    case 'completed': return { text: 'Completed anyway: the cancel came too late', tone: 'neutral' };
    case 'failed': return { text: 'Failed before the cancel took effect', tone: 'neutral' };
    case 'pending': return { text: 'Cancel accepted, still running', tone: 'info' };
    case 'unsupported': return { text: 'Cancel unsupported by this endpoint', tone: 'muted' };
    case 'not-found': return { text: 'Not found: deleted or never existed', tone: 'neutral' };
    case 'requested':
      if (state === 'cancelled') return { text: 'Cancel confirmed: cancelled', tone: 'ok' };
      if (state === 'running') return { text: 'Cancel requested, waiting for it to settle…', tone: 'info' };
      return { text: `Cancel requested; it ended ${state} anyway`, tone: 'neutral' };
    case 'stopped':
      // Stopped before its answer came: it may have been sent; the state read afterwards tells.
      if (state === 'cancelled') return { text: 'Cancelled: its request was in flight when the bulk cancel stopped', tone: 'ok' };
      if (state === 'running') return { text: 'Not cancelled: the bulk cancel was stopped', tone: 'muted' };
      return { text: `Bulk cancel stopped; it ended ${state}`, tone: 'neutral' };
    case 'error': return { text: `Cancel failed: ${errorSummary(outcome.error)}`, tone: 'error' };
    default: return { text: '', tone: 'neutral' };
  }
}

/** Newest first, then by name. */
export function byNewest(a, b) {
  const ta = parseTime(a.metadata?.createTime) ?? 0;
  const tb = parseTime(b.metadata?.createTime) ?? 0;
  return tb - ta || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

/** What changes when something worth showing changes (not the ever-moving updateTime of running jobs). */
export function fingerprint(operations) {
  return operations.map((op) => `${op.name}:${stateOf(op)}:${op.error?.code ?? ''}`).sort().join('\n');
}

/** The next polling delay: back to the base when something changed, else doubled up to the cap. */
export function nextPollDelay(current, changed, base = 3000, max = 30000) {
  return changed ? base : Math.min(Math.max(current, base) * 2, max);
}
