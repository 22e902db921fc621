// Browser bundle sizes: each bundle/ entry through esbuild for the browser,
// minified, then gzip -9. A client that needs Node built-ins cannot be
// bundled for the browser: it is reported with the built-ins it needs, and
// measured once more with them left external (a lower bound of its size).
import { builtinModules } from 'node:module';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));

const gz = (bytes) => gzipSync(bytes, { level: 9 }).length;
const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

async function bundle(entry, external = []) {
  const result = await build({
    entryPoints: [entry], bundle: true, write: false, minify: true, platform: 'browser', format: 'esm',
    target: 'es2022', logLevel: 'silent', external, outdir: 'out/bundle', absWorkingDir: here,
    // Assets referenced with `new URL(..., import.meta.url)` are fetched at run time, not bundled.
  });
  const js = result.outputFiles.filter((f) => f.path.endsWith('.js'));
  const bytes = Buffer.concat(js.map((f) => Buffer.from(f.contents)));
  return { bytes: bytes.length, gzip: gz(bytes) };
}

export async function browserSizes(entries) {
  const out = {};
  for (const [client, entry] of Object.entries(entries)) {
    try {
      out[client] = { bundled: true, ...(await bundle(entry)) };
    } catch (e) {
      const unresolved = new Set();
      for (const err of e.errors ?? []) {
        const m = /Could not resolve "([^"]+)"/.exec(err.text);
        if (m) unresolved.add(m[1]);
      }
      const nodeBuiltins = [...unresolved].filter((m) => builtins.has(m) || builtins.has(m.split('/')[0]));
      const others = [...unresolved].filter((m) => !nodeBuiltins.includes(m));
      const r = { bundled: false, nodeBuiltins: nodeBuiltins.sort(), otherUnresolved: others, errors: (e.errors ?? []).length };
      if (!unresolved.size) {
        // Not a matter of Node built-ins: the harness is broken, say so.
        throw new Error(`bundling ${entry} failed: ${String(e.message ?? e).slice(0, 1000)}`);
      }
      try {
        Object.assign(r, { withBuiltinsExternal: await bundle(entry, [...unresolved]) });
      } catch (e2) {
        r.withBuiltinsExternal = { error: String(e2.message ?? e2).slice(0, 300) };
      }
      out[client] = r;
    }
  }
  return out;
}

export function wasmGzip(path) {
  const bytes = readFileSync(path);
  return { bytes: bytes.length, gzip: gz(bytes) };
}
