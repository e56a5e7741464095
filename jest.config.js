// One jest run, three projects: the package's LWC components (sfdx-lwc-jest), the operator console's
// LWC OSS components (same transformer, jsdom) and the Node code under scripts/.
const { jestConfig } = require('@salesforce/sfdx-lwc-jest/config');

const lwc = {
  ...jestConfig,
  displayName: 'lwc',
  testMatch: ['<rootDir>/force-app/**/__tests__/**/*.test.ts'],
  moduleNameMapper: {
    '^lightning/navigation$': '<rootDir>/force-app/test/jest-mocks/lightning/navigation',
    '^lightning/platformShowToastEvent$': '<rootDir>/force-app/test/jest-mocks/lightning/platformShowToastEvent',
  },
  collectCoverageFrom: ['<rootDir>/force-app/**/lwc/**/*.ts', '!<rootDir>/force-app/**/__tests__/**'],
};

const consoleApp = {
  ...jestConfig,
  displayName: 'console',
  testMatch: ['<rootDir>/scripts/console/app/**/__tests__/**/*.test.ts'],
  moduleNameMapper: {
    '^tk/contract$': '<rootDir>/scripts/console/contract.ts',
    '^tk/(\\w+)$': '<rootDir>/scripts/console/app/modules/tk/$1/$1',
  },
  collectCoverageFrom: ['<rootDir>/scripts/console/app/**/*.ts', '!<rootDir>/scripts/console/app/**/__tests__/**'],
};

const ESM_ONLY = '(commander|node-pg-migrate|pg-boss|serialize-error|non-error|openid-client|oauth4webapi|jose)';

const node = {
  displayName: 'scripts',
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/scripts/**/__tests__/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/scripts/console/app/'],
  // commander 15 and the server mode's PostgreSQL tools ship only ES modules; Node 22.12+ requires them
  // natively, jest's module system does not.
  transform: {
    [`^.+\\.ts$|/node_modules/${ESM_ONLY}/.+\\.js$`]: [
      '@swc/jest',
      { jsc: { target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!${ESM_ONLY}/)`],
  setupFiles: ['<rootDir>/scripts/test-support/symbol-dispose.js'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  collectCoverageFrom: [
    '<rootDir>/scripts/**/*.ts',
    '!<rootDir>/scripts/**/__tests__/**',
    '!<rootDir>/scripts/bench/**',
    '!<rootDir>/scripts/console/app/**',
  ],
};

module.exports = {
  projects: [lwc, consoleApp, node],
  coverageReporters: ['text-summary', 'json-summary', 'lcov'],
  reporters: ['default', ['<rootDir>/scripts/test-summary-reporter.js', { outputFile: 'reports/test-summary.json' }]],
  testTimeout: 60000,
};
