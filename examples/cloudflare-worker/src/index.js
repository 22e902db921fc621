// A Cloudflare Worker that cancels Route Optimization operations.
//
//   POST /cancel?name=projects/p/locations/global/operations/123
//
// answers 200 with the parsed google.rpc.Status, or an error status (see
// statusFor) with {"error": {kind, code, status, httpStatus, message, details}}.
// The OAuth access token comes from the OPERATIONS_TOKEN secret; the optional
// OPERATIONS_ENDPOINT variable points the Worker elsewhere (e.g. the local
// emulator) and QUOTA_PROJECT names the project billed.
import { cancelOperation, OperationsError } from 'route-optimization-operations';

// The Worker's own HTTP status for a failed cancel: the caller's mistakes and
// the answers that concern the operation pass through; a failure between the
// Worker and the API (its token refused, a proxy's page, a redirect, the
// network) is the Worker's upstream failing: 502, or 504 on a timeout.
function statusFor({ kind, httpStatus }) {
  if (kind === 'invalid-argument') return 400;
  if (kind === 'timeout') return 504;
  if (kind === 'api' && [400, 404, 409, 429, 501].includes(httpStatus)) return httpStatus;
  return 502;
}

const json = (body, status) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname !== '/cancel') {
      return json({ error: { status: 'NOT_FOUND', message: 'POST /cancel?name=<operation name>' } }, 404);
    }
    if (request.method !== 'POST') {
      return json({ error: { status: 'METHOD_NOT_ALLOWED', message: 'use POST' } }, 405);
    }
    if (!env.OPERATIONS_TOKEN) {
      return json({ error: { status: 'FAILED_PRECONDITION', message: 'the OPERATIONS_TOKEN secret is not set' } }, 500);
    }
    const options = {};
    if (env.OPERATIONS_ENDPOINT) options.endpoint = env.OPERATIONS_ENDPOINT;
    if (env.QUOTA_PROJECT) options.quotaProject = env.QUOTA_PROJECT;
    try {
      const status = await cancelOperation(url.searchParams.get('name') ?? '', env.OPERATIONS_TOKEN, options);
      return json(status, 200);
    } catch (error) {
      if (!(error instanceof OperationsError)) throw error;
      const { kind, code, status, httpStatus, message, details } = error;
      return json({ error: { kind, code, status, httpStatus, message, details } }, statusFor(error));
    }
  },
};
