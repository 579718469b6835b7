/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  globalSetup: '<rootDir>/test/global-setup.js',
  roots: ['<rootDir>/test', '<rootDir>/generated-plugins'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  moduleNameMapper: {
    '^devlake-ts$': '<rootDir>/src/index.ts',
    '^devlake-ts/testing$': '<rootDir>/src/testing/index.ts',
    '^devlake-ts/devlake$': '<rootDir>/src/devlake/index.ts',
  },
  // Database tests share one Postgres server; two workers match CI's two cores.
  maxWorkers: 2,
  testTimeout: 60000,
};
