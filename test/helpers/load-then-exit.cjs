// Loads the match index once and closes the pool, then leaves the process to end on its own: it
// must, with nothing left running (a timer the driver left behind would hold it for minutes).
// Uses the build the jest global setup makes.
require('reflect-metadata');
const { createDataSource } = require('../../dist/src/db/data-source.js');
const { loadMatchIndex } = require('../../dist/src/matching/index/load-index.js');

(async () => {
  // A long statement timeout: the driver's read timeout is 5 s longer.
  const dataSource = createDataSource({ url: process.env.DATABASE_URL, statementTimeoutMs: 600000 });
  await dataSource.initialize();
  const index = await loadMatchIndex(dataSource);
  await dataSource.destroy();
  process.stdout.write(`loaded ${index.size}\n`);
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
