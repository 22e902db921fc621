// Worker for the workerd cold start: one hand-written fetch cancel (the floor).
export default {
  async fetch(_request, env) {
    const res = await fetch(`${env.BASE}/v1/operations/1:cancel`, {
      method: 'POST',
      headers: { authorization: `Bearer ${env.TOKEN}`, 'content-type': 'application/json' },
      body: '{}',
    });
    return new Response(JSON.stringify(await res.json()), { status: res.status });
  },
};
