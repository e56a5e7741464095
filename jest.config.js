// One jest run, two projects: the LWC components (sfdx-lwc-jest) and the Node code under scripts/.
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

const node = {
  displayName: 'scripts',
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/scripts/**/__tests__/**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  collectCoverageFrom: [
    '<rootDir>/scripts/**/*.ts',
    '!<rootDir>/scripts/**/__tests__/**',
    '!<rootDir>/scripts/bench/**',
  ],
};

module.exports = {
  projects: [lwc, node],
  coverageReporters: ['text-summary', 'json-summary', 'lcov'],
  reporters: ['default', ['<rootDir>/scripts/test-summary-reporter.js', { outputFile: 'reports/test-summary.json' }]],
  testTimeout: 60000,
};
