/**
 * `preset: 'devlake-ts'` (or `jest --preset devlake-ts`): runs a generated
 * plugin's TypeScript tests in the user's project. TypeScript goes through
 * swc; nothing else is mapped: `devlake-ts` resolves to the installed package.
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  transform: {
    '^.+\\.ts$': [require.resolve('@swc/jest'), { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  // Database tests share one Postgres server; a run migrates fresh databases.
  testTimeout: 60000,
};
