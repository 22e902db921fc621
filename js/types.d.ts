// Types of the route-optimization-operations package; every entry (browser.js, node.js, workerd.js) exports these.

/** A bearer token, or a function that returns one (called before every attempt; with `{forceRefresh: true}` once after a 401). */
export type TokenSource = string | ((options: { forceRefresh: boolean }) => string | Promise<string>);

/** Retry settings; `false` turns retries off. */
export interface RetryOptions {
  /** Most attempts in all, first included (1 to 100). Default 5. */
  maxAttempts?: number;
  /** Ceiling of the first backoff delay. Default 500. */
  initialDelayMs?: number;
  /** Largest backoff delay. Default 30000. */
  maxDelayMs?: number;
  /** Growth of the delay ceiling per attempt (>= 1). Default 2. */
  multiplier?: number;
}

/** Options every call accepts. */
export interface CallOptions {
  /** Base URL of the service. Default: "https://routeoptimization.googleapis.com". */
  endpoint?: string;
  /** Aborts the call, in flight or while it waits; it then rejects with `kind: "aborted"`. */
  signal?: AbortSignal;
  /** Time allowed for one attempt, in milliseconds (1 to 2^31-1). Default: 60000. */
  timeoutMs?: number;
  /** Time allowed for the whole call, retries included. Default: none (attempts are capped). */
  deadlineMs?: number;
  /** Retry policy for UNAVAILABLE, network failures and 429 with RetryInfo/Retry-After. */
  retry?: RetryOptions | boolean;
  /** Project billed for the call, sent as `x-goog-user-project`. */
  quotaProject?: string;
  /** Appended to the `x-goog-api-client` header. */
  userAgent?: string;
}

/** `google.rpc.Status`, with the canonical name of its code. */
export interface Status {
  /** Numeric `google.rpc.Code` (0 = OK, 1 = CANCELLED, 5 = NOT_FOUND, ...). */
  code: number;
  /** Canonical name of `code`, e.g. "OK", "CANCELLED", "NOT_FOUND". */
  status: string;
  message: string;
  /** Detail messages as the server sent them, each with an "@type". */
  details: object[];
}

/** `google.longrunning.Operation`. */
export interface Operation {
  name: string;
  done: boolean;
  metadata?: object;
  /** Set when the operation failed or was cancelled (`error.code === 1`). */
  error?: Status;
  response?: object;
}

export type OperationsErrorKind = "invalid-argument" | "api" | "network" | "timeout" | "aborted" | "bad-response";

/** The error every function rejects with. */
export declare class OperationsError extends Error {
  constructor(message: string, fields?: Partial<OperationsError>);
  readonly name: "OperationsError";
  /** What went wrong; stable, for branching. */
  kind: OperationsErrorKind;
  /** Numeric google.rpc.Code. */
  code: number;
  /** Canonical name of code, e.g. "NOT_FOUND". */
  status: string;
  /** HTTP status, when there was a response. */
  httpStatus?: number;
  /** google.rpc.Status details as the server sent them, each with an "@type". */
  details: object[];
  /** Whether the same call may succeed if repeated. */
  retryable: boolean;
  /** The start (at most 1 KiB) of a body that was not a JSON error envelope. */
  body?: string;
  /** Delay the server asked for before a retry (RetryInfo), in milliseconds. */
  retryDelayMs?: number;
}

export interface ListOptions extends CallOptions {
  /** The collection to list. Default "operations". */
  name?: string;
  /** e.g. "done = false". */
  filter?: string;
  pageSize?: number;
  pageToken?: string;
}

export interface ListPage {
  operations: Operation[];
  /** Empty on the last page. */
  nextPageToken: string;
  unreachable: string[];
}

export interface WaitOptions extends CallOptions {
  /** Time allowed for the whole wait; each request's attempts are also limited to it. Default: no limit. */
  timeoutMs?: number;
  /** First delay between polls. Default 500. */
  initialDelayMs?: number;
  /** Largest delay between polls. Default 10000. */
  maxDelayMs?: number;
  /** Called with every state read. */
  onPoll?: (operation: Operation) => void;
}

export interface ConfirmOptions extends CallOptions {
  /**
   * Time allowed for the whole call, the cancel request and its retries included. Default 60000.
   * Polling cut short by it gives the outcome "pending"; a cancel not answered in time rejects with kind "timeout".
   */
  timeoutMs?: number;
  initialDelayMs?: number;
  maxDelayMs?: number;
}

export type CancelOutcomeKind = "cancelled" | "completed" | "failed" | "pending" | "unsupported" | "not-found";

export interface CancelOutcome {
  outcome: CancelOutcomeKind;
  /** The last state read, when there is one. */
  operation?: Operation;
  /** OK once the cancel was accepted; the server's error for "unsupported" and "not-found". */
  status: Status;
}

export interface BulkProgress {
  done: number;
  total: number;
  failed: number;
}

export interface BulkOptions extends CallOptions {
  /** Requests in flight at most (1 to 256). Default 8. */
  concurrency?: number;
  onProgress?: (progress: BulkProgress) => void;
}

/**
 * One name's result. `started` tells whether its cancel call began (so a
 * request may have reached the server): false for a refused name, and for
 * names not yet started when `signal` fired.
 */
export type CancelResult =
  | { name: string; ok: true; started: true; status: Status }
  | { name: string; ok: false; started: boolean; error: OperationsError };

/** A client's settings: every call option but `signal` (which belongs to each call; a client refuses one). */
export interface ClientConfig extends Omit<CallOptions, "signal"> {
  token: TokenSource;
}

/** Cancels an operation: `POST {endpoint}/v1/{name}:cancel`. Resolves to an OK status. */
export function cancelOperation(name: string, token: TokenSource, options?: CallOptions): Promise<Status>;
/** Reads an operation: `GET {endpoint}/v1/{name}`. */
export function getOperation(name: string, token: TokenSource, options?: CallOptions): Promise<Operation>;
/** Deletes an operation: `DELETE {endpoint}/v1/{name}`. */
export function deleteOperation(name: string, token: TokenSource, options?: CallOptions): Promise<Status>;
/** Reads one page: `GET {endpoint}/v1/operations`. */
export function listOperations(token: TokenSource, options?: ListOptions): Promise<ListPage>;
/**
 * Every operation of every page. Follows empty pages that carry a token; rejects with kind "bad-response"
 * on a token already used, or on 100 empty pages in a row.
 */
export function iterateOperations(token: TokenSource, options?: ListOptions): AsyncIterable<Operation> & AsyncIterator<Operation>;
/** Polls until the operation is done; resolves with it whatever its result. */
export function waitOperation(name: string, token: TokenSource, options?: WaitOptions): Promise<Operation>;
/** Cancels, then polls until the operation's fate is known. */
export function cancelAndConfirm(name: string, token: TokenSource, options?: ConfirmOptions): Promise<CancelOutcome>;
/** Cancels many operations; never rejects because one failed. Results keep the input order. */
export function cancelOperations(names: readonly string[], token: TokenSource, options?: BulkOptions): Promise<CancelResult[]>;

/** The same calls with endpoint, token and policies configured once; per-call options override them. */
export class OperationsClient {
  constructor(config: ClientConfig);
  free(): void;
  cancel(name: string, options?: CallOptions): Promise<Status>;
  get(name: string, options?: CallOptions): Promise<Operation>;
  delete(name: string, options?: CallOptions): Promise<Status>;
  list(options?: ListOptions): Promise<ListPage>;
  iterate(options?: ListOptions): AsyncIterable<Operation> & AsyncIterator<Operation>;
  wait(name: string, options?: WaitOptions): Promise<Operation>;
  cancelAndConfirm(name: string, options?: ConfirmOptions): Promise<CancelOutcome>;
  cancelMany(names: readonly string[], options?: BulkOptions): Promise<CancelResult[]>;
}
