/**
 * The layer rules of the sync (docs/architecture.md), checked by `npm run check:layers` in `npm test`.
 * Each rule names who may not import whom; tests, benches and test support are outside the rules unless a
 * rule names them.
 */
const TESTS = '(__tests__|\\.test\\.ts$|^scripts/test-support/)';

/** The modules allowed to start an emulator: the emulators themselves, the demo, the CLI's `emulator`, benches, the gallery and the scratch tools. */
const EMULATOR_USERS = [
  '^scripts/(org|slack)-emulator/',
  '^scripts/sync/ops/demo[^/]*\\.ts$',
  '^scripts/cli/commands/(demo|emulator)\\.ts$',
  '^scripts/bench/',
  '^scripts/gallery/',
  TESTS,
];

module.exports = {
  forbidden: [
    {
      name: 'front-ends-use-the-core-entry',
      comment:
        'The CLI, the console’s server, server mode’s operator console, the demo and the benches use the core ' +
        'through its entry, scripts/sync/index.ts, which loads each part on its first call; nothing else of scripts/sync/ but ' +
        'the leaf domain.ts (names and result shapes, no imports), which the console’s contract reads because ' +
        'the browser build shares it.',
      severity: 'error',
      from: {
        path: '^scripts/(cli|console/server|server/console|bench)/|^scripts/console/[^/]+\\.ts$',
        pathNot: TESTS,
      },
      to: { path: '^scripts/sync/', pathNot: '^scripts/sync/(index|domain)\\.ts$' },
    },
    {
      name: 'store-knows-no-salesforce',
      comment: 'A store keeps community data and bookkeeping; it never talks to Salesforce, a source or the core.',
      severity: 'error',
      from: { path: '^scripts/(sync/store|server/store)/', pathNot: TESTS },
      to: { path: '^scripts/sync/(salesforce|push|connection|ops|sources)/' },
    },
    {
      name: 'sources-know-no-salesforce',
      comment: 'Sources read a community into the store; pushing to Salesforce is the core’s job.',
      severity: 'error',
      from: { path: '^scripts/sync/sources/', pathNot: TESTS },
      to: { path: '^scripts/sync/(salesforce|push|ops)/' },
    },
    {
      name: 'salesforce-client-knows-no-source',
      comment: 'The Salesforce client sends records; it does not know where they came from.',
      severity: 'error',
      from: { path: '^scripts/sync/salesforce/', pathNot: TESTS },
      to: { path: '^scripts/sync/(sources|ops|push)/' },
    },
    {
      name: 'core-knows-no-front-end',
      comment: 'The core serves every front end (CLI, console, server mode) and imports none of them.',
      severity: 'error',
      from: { path: '^scripts/sync/', pathNot: TESTS },
      to: { path: '^scripts/(cli|console|gallery|server|bench|scratch)/' },
    },
    {
      name: 'server-mode-knows-no-front-end',
      comment: 'Server mode is a layer under the CLI: it never imports the CLI or the embedded console.',
      severity: 'error',
      from: { path: '^scripts/server/', pathNot: TESTS },
      to: { path: '^scripts/(cli|console|gallery|bench|scratch)/' },
    },
    {
      name: 'emulators-only-in-tests-benches-and-demo',
      comment: 'The emulators are test doubles: production code reaches them only through the demo.',
      severity: 'error',
      from: { pathNot: EMULATOR_USERS },
      to: { path: '^scripts/(org|slack)-emulator/' },
    },
    {
      name: 'emulators-know-no-sync',
      comment: 'An emulator stands for Salesforce or Slack, so it must not borrow the sync’s own code.',
      severity: 'error',
      from: { path: '^scripts/(org|slack)-emulator/', pathNot: TESTS },
      to: { path: '^scripts/(sync|server|cli|console)/' },
    },
    {
      name: 'no-circular',
      comment:
        'A cycle of imports that run makes two modules one: merge them or move what they share into a third. ' +
        'A cycle through a type-only import is allowed (it does not exist at run time).',
      severity: 'error',
      from: { pathNot: TESTS },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|\\.tools)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'scripts/tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
