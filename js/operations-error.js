// The error every function of route-optimization-operations rejects with.
// Rust builds the fields; this file only exists so the class can extend Error.
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
