// The console's one import of the package: every other module imports from here.
import init from '/pkg/web/index.js';

await init();

export {
  cancelOperation,
  getOperation,
  deleteOperation,
  listOperations,
  iterateOperations,
  waitOperation,
  cancelAndConfirm,
  cancelOperations,
  OperationsClient,
  OperationsError,
} from '/pkg/web/index.js';
