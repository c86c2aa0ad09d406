// Unit tests: no services, no Docker, no network. Integration tests (real Redis and PostgreSQL)
// live in test/integration and run with `npm run test:integration` (jest.integration.config.js).
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // End-to-end checks that run the app or the policy gates in full (*.e2e.test.ts) run with the
  // integration suite: they spawn synths with the built-in validator and would double npm test's time.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/integration/', '\\.e2e\\.test\\.ts$'],
  transform: {
    '^.+\\.tsx?$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } } }],
  },
  setupFilesAfterEnv: ['aws-cdk-lib/testhelpers/jest-autoclean'],
  // Jest's default is one worker fewer than the CPUs: one worker on these 2-core machines. Most of a
  // test file's time is loading aws-cdk-lib and synthesizing, which two workers overlap (measured:
  // 40.6 s with one worker, 28.8 s with two).
  maxWorkers: '100%',
};
