/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // test/external needs a Redis server and test/browser Debian's Chromium, which a fresh machine
  // lacks: `npm run test:external` and `npm run test:browser` run them (CI does both).
  testPathIgnorePatterns: ['/node_modules/', '/test/external/', '/test/browser/', '\\.tmp\\.'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: { ignoreCodes: [151002] } }] },
  globalSetup: '<rootDir>/test/helpers/global-setup.mjs',
  globalTeardown: '<rootDir>/test/helpers/global-teardown.mjs',
  testTimeout: 60000,
  maxWorkers: 2,
};
