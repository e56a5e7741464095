// Components: Salesforce's LWC recommended rules (TypeScript variant). Scripts: typescript-eslint, type-aware.
const lwcConfig = require('@salesforce/eslint-config-lwc');
const tseslint = require('typescript-eslint');

// TypeScript LWCs: the package's (platform), the operator console's and the gallery's (LWC OSS, in the browser).
const LWC_TS = ['force-app/**/lwc/**/*.ts', 'scripts/console/app/**/*.ts', 'scripts/gallery/app/**/*.ts'];
const LWC_TESTS = ['force-app/**/lwc/**/__tests__/**/*.ts', 'scripts/console/app/**/__tests__/**/*.ts'];

module.exports = [
  {
    ignores: [
      'node_modules/**',
      'coverage/**',
      'reports/**',
      'dist/**',
      '.sf/**',
      '.sfdx/**',
      '.bench/**',
      '.tightknit-sync/**',
      'force-app/**/lwc/**/*.js',
      'force-app/test/jest-mocks/**',
      '**/__tests__/data/**',
      'scripts/**/*.js',
      '*.config.js',
      'bin/**',
    ],
  },
  ...lwcConfig.configs.recommendedTs.map((c) => ({ ...c, files: LWC_TS })),
  {
    // The LWC rules, but parsed by typescript-eslint: Babel's parser reports type names as undefined
    // and type-only imports as unused. TypeScript itself checks names (npm run typecheck).
    files: LWC_TS,
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      'no-undef': 'off',
      'no-unused-vars': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: LWC_TESTS,
    languageOptions: {
      globals: {
        jest: 'readonly',
        describe: 'readonly',
        it: 'readonly',
        expect: 'readonly',
        beforeEach: 'readonly',
        afterEach: 'readonly',
        beforeAll: 'readonly',
        afterAll: 'readonly',
        test: 'readonly',
      },
    },
  },
  ...tseslint.configs.recommendedTypeChecked.map((c) => ({
    ...c,
    files: ['scripts/**/*.ts'],
    ignores: ['scripts/console/app/**', 'scripts/gallery/app/**'],
  })),
  {
    files: ['scripts/**/*.ts'],
    ignores: ['scripts/console/app/**', 'scripts/gallery/app/**'],
    languageOptions: { parserOptions: { project: './scripts/tsconfig.json', tsconfigRootDir: __dirname } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['scripts/**/__tests__/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
];
