// Loads the built package (pkg/) in Node and captures the wasm instance's
// linear memory, whatever way the entry instantiates it.
import { existsSync, readFileSync } from 'node:fs';

const pkg = new URL('../../pkg/', import.meta.url);

export async function loadPackage() {
  let memory;
  const grab = (instance) => {
    const found = Object.values(instance?.exports ?? {}).find((e) => e instanceof WebAssembly.Memory);
    if (found) memory = found;
  };
  const { Instance, instantiate, instantiateStreaming } = WebAssembly;
  WebAssembly.Instance = new Proxy(Instance, {
    construct(target, args, newTarget) {
      const instance = Reflect.construct(target, args, newTarget);
      grab(instance);
      return instance;
    },
  });
  WebAssembly.instantiate = async (...args) => {
    const result = await instantiate(...args);
    grab(result instanceof Instance ? result : result.instance);
    return result;
  };
  if (instantiateStreaming) {
    WebAssembly.instantiateStreaming = async (...args) => {
      const result = await instantiateStreaming(...args);
      grab(result.instance);
      return result;
    };
  }
  try {
    let api;
    if (existsSync(new URL('node.js', pkg))) {
      // The package's Node entry initialises itself at import.
      api = await import(new URL('node.js', pkg));
    } else if (existsSync(new URL('web/index.js', pkg))) {
      api = await import(new URL('web/index.js', pkg));
      const wasm = readFileSync(new URL('web/route_optimization_operations_bg.wasm', pkg));
      await api.default({ module_or_path: wasm });
    } else {
      throw new Error('pkg/ is missing: run `npm run build` first');
    }
    if (!memory) throw new Error('the wasm memory of the package was not found');
    return { api, memory };
  } finally {
    Object.assign(WebAssembly, { Instance, instantiate, instantiateStreaming });
  }
}

/** Starts an emulator of our own on a free port; resolves to {url, stop}. */
export async function startEmulator(args = []) {
  const { spawn } = await import('node:child_process');
  const binary = new URL('../../target/debug/operations-emulator', import.meta.url);
  if (!existsSync(binary)) throw new Error('build the emulator first: cargo build -p operations-emulator');
  const child = spawn(binary.pathname, ['--port', '0', '--quiet', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolve, reject) => {
    let seen = '';
    child.stdout.on('data', (chunk) => {
      seen += chunk;
      const match = /^listening on (\S+)/m.exec(seen);
      if (match) resolve(match[1]);
    });
    child.on('exit', (code) => reject(new Error(`the emulator exited (${code}) before listening`)));
  });
  child.stdout.resume();
  return { url, stop: () => child.kill() };
}
