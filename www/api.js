// The console's one import of the package (its browser entry, initialised at
// import): every other module of the console imports from here.
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
} from '/pkg/browser.js';
