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

/**
 * Yields every operation of every page. `listPage(pageToken)` returns a
 * promise of a ListPage. Stops when the next page token is absent or empty;
 * fails rather than loop when the server hands back a token already used.
 */
export async function* iterate(listPage, pageToken) {
  const seen = new Set([pageToken]);
  for (;;) {
    const page = await listPage(pageToken);
    yield* page.operations;
    pageToken = page.nextPageToken;
    if (!pageToken) return;
    if (seen.has(pageToken)) {
      throw new OperationsError(
        'the server returned a page token that was already used; stopping instead of looping',
        { kind: 'bad-response', code: 2, status: 'UNKNOWN', details: [], retryable: false },
      );
    }
    seen.add(pageToken);
  }
}
