/** The external suite: tests against services given by the environment (REDIS_URL). */
const base = require('./jest.config');

module.exports = { ...base, roots: ['<rootDir>/test/external'], testPathIgnorePatterns: ['/node_modules/'] };
