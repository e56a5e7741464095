// knip: unused files, exports, types and dependencies (npm run check:knip, part of npm test).
// Entry points are what runs from outside the import graph: the bin, the npm scripts' tsx entries, the
// jest/eslint/prettier configs (knip's plugins read those), and the Lightning Web Components that the
// platform (force-app) or the LWC compiler (the console) loads by name from templates.
const { existsSync, readdirSync } = require('node:fs');
const { join } = require('node:path');

/** The bundles in an LWC module folder: each `<name>/<name>.ts` is loaded by name, never imported by path. */
function bundles(dir) {
  return readdirSync(join(__dirname, dir), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => `${dir}/${e.name}/${e.name}.ts`);
}

const LWC_DIR = 'force-app/main/default/lwc';
const CONSOLE_DIR = 'scripts/console/app/modules/tk';

/** `c/name` and `tk/name` as the LWC compilers and jest's moduleNameMapper resolve them. */
function specifiers(prefix, dir) {
  return Object.fromEntries(bundles(dir).map((file) => [`${prefix}/${file.split('/').at(-2)}`, [file]]));
}

// `npm run build` writes each component's JavaScript beside its TypeScript; knip then resolves `./model` to
// model.js and model.ts looks unused. In a built checkout the components' own files are therefore not
// reported as unused files (npm test runs knip before the build, so a clean checkout, as CI's, checks them).
const COMPONENTS_BUILT = bundles(LWC_DIR).some((file) => existsSync(join(__dirname, file.replace(/\.ts$/, '.js'))));

/** @type {import('knip').KnipConfig} */
module.exports = {
  entry: [
    'bin/*.js',
    // The push benchmark runs each side in a child Node process by path.
    'scripts/bench/push-child.ts',
    'scripts/console/app/main.ts',
    ...bundles(LWC_DIR),
    ...bundles(CONSOLE_DIR),
    // postgres.ts starts it as a child Node process by path (the embedded server outlives a jest worker).
    'scripts/test-support/embedded-postgres-server.ts',
    // node-pg-migrate loads every file of the folder and calls its `up` (scripts/server/db/migrate.ts).
    'scripts/server/db/migrations/*.ts',
    // Server mode's module, required on first use of a server command (scripts/cli/server-mode.ts).
    'scripts/server/index.ts',
    // The CLI's per-tenant helpers, required likewise on first use (cliSupport() in scripts/cli/server-mode.ts).
    'scripts/server/cli-support/index.ts',
    // The gallery's page (bundled by rollup) and its stand-in modules, loaded by name like components.
    'scripts/gallery/app/main.ts',
    ...['force', 'gallery', 'lightning'].flatMap((ns) => bundles(`scripts/gallery/app/modules/${ns}`)),
    // The Apex drift test parses the classes in a child process started by path (scripts/gallery/data/apex-surface.ts).
    'scripts/gallery/data/apex-ast.ts',
  ],
  project: ['scripts/**/*.{ts,js}', 'bin/**/*.js', 'force-app/**/*.{ts,js}', 'types/**/*.ts', '*.config.js'],
  ignoreDependencies: [
    // Modules the Salesforce platform provides to a component at run time (jest maps them to stubs).
    '@salesforce/apex',
    '@salesforce/label',
    'lightning',
    // sfdx-lwc-jest's jest preset names its own dependencies (jest.config.js spreads it).
    /^@lwc\/jest-/,
    'jest-environment-jsdom',
    '@salesforce/wire-service-jest-util',
    // Used by path, not imported: SLDS assets copied by scripts/console/build.ts, the `sf` binary run by
    // scripts/scratch/sf.ts, the Metadata API type definitions read by scripts/checks/metadata/schema.ts.
    '@salesforce-ux/design-system',
    '@salesforce/cli',
    '@salesforce/types',
    // Required through a lazy loader by name (scripts/slack-emulator/events/ws.ts).
    'ws',
  ],
  ignoreIssues: {
    ...(COMPONENTS_BUILT ? { [`${LWC_DIR}/**`]: ['files'] } : {}),
    // Written by `npm run codegen` from the package's metadata: every object and picklist it declares.
    'scripts/generated/**': ['exports', 'types'],
  },
  paths: {
    ...specifiers('c', LWC_DIR),
    ...specifiers('tk', CONSOLE_DIR),
    'tk/contract': ['scripts/console/contract.ts'],
  },
};
