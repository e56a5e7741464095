// Jest runs each test file in its own V8 context. On Node 22, Symbol.dispose is not a V8 built-in: Node
// keeps its own symbol (description 'nodejs.dispose') in the main context, so inside a test context
// `Symbol.dispose` is undefined and undici 8 (jsforce's HTTP client) fails on
// `addAbortListener(...)[Symbol.dispose]` with "removeAbortListener is not a function". Give the test
// context the symbol Node's own modules use. Node 24 has the V8 built-in, shared by every context, and
// this does nothing there.
const { addAbortListener } = require('node:events');

const disposable = addAbortListener(new AbortController().signal, () => {});
const nodeDispose = Object.getOwnPropertySymbols(disposable).find(
  (s) => s.description === 'nodejs.dispose' || s.description === 'Symbol.dispose',
);
if (nodeDispose && Symbol.dispose !== nodeDispose) {
  Object.defineProperty(Symbol, 'dispose', { value: nodeDispose, configurable: true });
}
if (nodeDispose) disposable[nodeDispose]();
