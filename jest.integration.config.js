// Integration tests: real PostgreSQL and Redis on 127.0.0.1 (see README, "Integration tests").
// `npm run test:integration`; `.ci/run` starts the services when they are down.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  // test/integration needs the services; *.e2e.test.ts elsewhere run the app and its policy gates in
  // full (a synth each, with the built-in validator), too slow for `npm test`.
  roots: ['<rootDir>/test'],
  testMatch: ['<rootDir>/test/integration/**/*.test.ts', '<rootDir>/test/**/*.e2e.test.ts'],
  transform: {
    '^.+\\.tsx?$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } } }],
  },
  // Tests share the local servers; running files one at a time keeps them from interfering.
  maxWorkers: 1,
  testTimeout: 60_000,
};
