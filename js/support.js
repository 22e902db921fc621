// JS-side pieces of route-optimization-operations that Rust cannot express:
// a class that extends Error, and an async generator.

/** The error every function of the package rejects with. Rust fills the fields. */
export class OperationsError extends Error {
  constructor(message, fields = {}) {
    super(message);
    this.name = 'OperationsError';
    this.kind = fields.kind ?? 'api';
    this.code = fields.code ?? 2;
    this.status = fields.status ?? 'UNKNOWN';
    this.httpStatus = fields.httpStatus;
    this.details = fields.details ?? [];
    this.retryable = fields.retryable ?? false;
    if (fields.body !== undefined) this.body = fields.body;
    if (fields.retryDelayMs !== undefined) this.retryDelayMs = fields.retryDelayMs;
  }
}

/** Empty pages in a row, each with a new token, after which iterate() gives up. */
export const MAX_EMPTY_PAGES = 100;

/**
 * Yields every operation of every page. `listPage(pageToken)` returns a
 * promise of a ListPage. Stops when the next page token is absent or empty;
 * fails rather than loop when the server hands back a token already used, or
 * MAX_EMPTY_PAGES empty pages in a row.
 */
export async function* iterate(listPage, pageToken) {
  const seen = new Set([pageToken]);
  const refuse = (message) =>
    new OperationsError(`${message}; stopping instead of looping`, {
      kind: 'bad-response', code: 2, status: 'UNKNOWN', details: [], retryable: false,
    });
  let empty = 0;
  for (;;) {
    const page = await listPage(pageToken);
    yield* page.operations;
    pageToken = page.nextPageToken;
    if (!pageToken) return;
    if (seen.has(pageToken)) throw refuse('the server returned a page token that was already used');
    seen.add(pageToken);
    empty = page.operations.length ? 0 : empty + 1;
    if (empty >= MAX_EMPTY_PAGES) {
      throw refuse(`the server returned ${empty} empty pages in a row, each with a new page token`);
    }
  }
}
