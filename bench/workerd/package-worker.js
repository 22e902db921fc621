// Worker for the workerd cold start: one cancel through the package's
// Cloudflare Workers entry (which imports the .wasm as a compiled module).
import { cancelOperation } from '../../pkg/workerd.js';

export default {
  async fetch(_request, env) {
    const status = await cancelOperation('operations/1', env.TOKEN, { endpoint: env.BASE });
    return new Response(JSON.stringify(status));
  },
};
