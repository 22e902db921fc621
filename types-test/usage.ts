// Uses the package as a user would; `tsc --noEmit --strict -p types-test`
// must accept it. Each @ts-expect-error marks a misuse the types must refuse
// (tsc fails if the line compiles after all).
import {
  cancelAndConfirm,
  cancelOperation,
  cancelOperations,
  deleteOperation,
  getOperation,
  iterateOperations,
  listOperations,
  OperationsClient,
  OperationsError,
  waitOperation,
  type CancelOutcome,
  type CancelResult,
  type ListPage,
  type Operation,
  type OperationsErrorKind,
  type Status,
} from 'route-optimization-operations';

const name = 'projects/p/locations/global/operations/1';
const endpoint = 'http://127.0.0.1:8787';
const token = 'local-dev-token';

export async function usage(signal: AbortSignal): Promise<void> {
  const status: Status = await cancelOperation(name, token, { endpoint, signal, timeoutMs: 5000, retry: false });
  const code: number = status.code;
  const statusName: string = status.status;
  const details: object[] = status.details;
  console.log(code, statusName, details);

  const op: Operation = await getOperation(name, async ({ forceRefresh }) => (forceRefresh ? 'fresh' : token));
  if (op.done && op.error?.code === 1) console.log('cancelled', op.error.message);
  const metadata: object | undefined = op.metadata;
  console.log(metadata);

  await deleteOperation(name, token, { quotaProject: 'billing-project', userAgent: 'console/1.0' });

  const page: ListPage = await listOperations(token, { filter: 'done = false', pageSize: 50, pageToken: '' });
  const next: string = page.nextPageToken;
  console.log(next, page.unreachable.length, page.operations.map((o) => o.name));

  for await (const each of iterateOperations(token, { endpoint })) {
    const done: boolean = each.done;
    console.log(done);
  }

  const finished: Operation = await waitOperation(name, token, {
    timeoutMs: 60000,
    initialDelayMs: 500,
    maxDelayMs: 10000,
    onPoll: (o) => console.log(o.done),
  });
  console.log(finished.response);

  const outcome: CancelOutcome = await cancelAndConfirm(name, token, { timeoutMs: 30000 });
  switch (outcome.outcome) {
    case 'cancelled':
    case 'completed':
    case 'failed':
    case 'pending':
    case 'unsupported':
    case 'not-found':
      console.log(outcome.status.status, outcome.operation?.done);
      break;
    default: {
      const unreachable: never = outcome.outcome;
      throw new Error(unreachable);
    }
  }

  const results: CancelResult[] = await cancelOperations([name], token, {
    concurrency: 16,
    signal,
    onProgress: ({ done, failed, total }) => console.log(done, failed, total),
  });
  for (const result of results) {
    if (result.ok) console.log(result.name, result.status.code, result.started);
    else console.log(result.name, result.error.kind, result.error.httpStatus, result.started ? "may have been sent" : "not sent");
  }

  const client = new OperationsClient({ token, endpoint, retry: { maxAttempts: 3, initialDelayMs: 100 } });
  await client.cancel(name);
  await client.get(name, { timeoutMs: 1000 });
  await client.delete(name);
  await client.list({ pageSize: 10 });
  for await (const each of client.iterate()) console.log(each.name);
  await client.wait(name);
  await client.cancelAndConfirm(name);
  await client.cancelMany([name], { concurrency: 4 });
  client.free();

  try {
    await cancelOperation(name, token);
  } catch (error) {
    if (error instanceof OperationsError) {
      const kind: OperationsErrorKind = error.kind;
      const retryable: boolean = error.retryable;
      const httpStatus: number | undefined = error.httpStatus;
      const delay: number | undefined = error.retryDelayMs;
      const body: string | undefined = error.body;
      const message: string = error.message;
      console.log(kind, retryable, httpStatus, delay, body, message, error.details, error.code, error.status);
      if (error.kind === 'aborted' || error.kind === 'timeout' || error.kind === 'network') return;
      // @ts-expect-error: not a kind the package produces
      if (error.kind === 'panic') return;
    }
  }
}

// @ts-expect-error: the name is required
cancelOperation();
// @ts-expect-error: names are strings
getOperation(42, token);
// @ts-expect-error: a token is required
listOperations();
// @ts-expect-error: options are typed
cancelOperation(name, token, { timeoutMs: 'soon' });
// @ts-expect-error: the client needs a token
new OperationsClient({ endpoint });
// @ts-expect-error: a signal belongs to each call, not to the client
new OperationsClient({ token, signal: new AbortController().signal });
const frozen: readonly string[] = [name];
void cancelOperations(frozen, token);
// @ts-expect-error: outcomes are a closed union
const wrong: CancelOutcome['outcome'] = 'maybe';
console.log(wrong);
