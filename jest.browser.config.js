/** The browser suite: Debian's Chromium driven by playwright-core (`npm run test:browser`). */
const base = require('./jest.config');

module.exports = {
  ...base,
  roots: ['<rootDir>/test/browser'],
  testPathIgnorePatterns: ['/node_modules/'],
  maxWorkers: 1,
};
