// Browser bundle entry: the package's browser build (fetches its .wasm).
import { cancelOperation } from '../../pkg/browser.js';

export const cancel = (base, name, token) => cancelOperation(name, token, { endpoint: base });
