// The clients under comparison. Each `create(base)` imports its library (so
// import cost lands in cold start), initialises it against the benchmark
// server at `base` (http://127.0.0.1:PORT) and resolves to `cancel(name)`,
// one `cancel` call on `operations/<id>` with the bearer token.
export const TOKEN = process.env.BENCH_TOKEN ?? 'bench-token';

// google-gax and @googlemaps/routeoptimization take an auth object. This is the
// smallest one they accept: `getRequestHeaders` makes gax use it as the auth
// client, and gax's REST transport sends every request through `auth.fetch`.
// It adds the bearer token and uses the global fetch, as the other clients do.
function minimalAuth() {
  return {
    universeDomain: 'googleapis.com',
    async getRequestHeaders() {
      return new Headers({ authorization: `Bearer ${TOKEN}` });
    },
    async fetch(url, init) {
      const headers = new Headers(init.headers);
      headers.set('authorization', `Bearer ${TOKEN}`);
      return fetch(url, { method: init.method, headers, body: init.body, signal: init.signal });
    },
  };
}

export const clients = {
  // The floor: what any client must do at least.
  fetch: {
    label: 'raw fetch (hand-written)',
    async create(base) {
      return async (name) => {
        const res = await fetch(`${base}/v1/${name}:cancel`, {
          method: 'POST',
          headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
          body: '{}',
        });
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        return res.json();
      };
    },
  },
  package: {
    label: 'route-optimization-operations (pkg/node.js)',
    async create(base) {
      const { cancelOperation } = await import('../pkg/node.js');
      const options = { endpoint: base };
      return (name) => cancelOperation(name, TOKEN, options);
    },
  },
  gax: {
    label: 'google-gax 5.0.8 OperationsClient (REST fallback)',
    async create(base) {
      const { hostname, port, protocol } = new URL(base);
      const gax = (await import('google-gax/fallback')).default;
      const ops = gax.lro({ auth: minimalAuth(), fallback: true }).operationsClient({
        servicePath: hostname, port: Number(port), protocol: protocol.slice(0, -1),
      });
      return (name) => ops.cancelOperation({ name });
    },
  },
  routeoptimization: {
    label: '@googlemaps/routeoptimization 0.5.1 (REST fallback)',
    async create(base) {
      const { hostname, port, protocol } = new URL(base);
      const { RouteOptimizationClient } = (await import('@googlemaps/routeoptimization')).default;
      const client = new RouteOptimizationClient({
        auth: minimalAuth(), fallback: true, apiEndpoint: hostname, port: Number(port), protocol: protocol.slice(0, -1),
      });
      return (name) => client.operationsClient.cancelOperation({ name });
    },
  },
};
