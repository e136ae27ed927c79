// A writer that dies between its commit and any publication: it creates a stakeholder through
// the domain service (the row and its outbox change commit together), then kills itself with
// SIGKILL — no relay, no bus message, no clean-up. Argument: a JSON CreateStakeholderCommand.
// Uses the build the jest global setup makes.
require('reflect-metadata');
const { createDataSource } = require('../../dist/src/db/data-source.js');
const { createStakeholder } = require('../../dist/src/domain/stakeholder/stakeholder.service.js');

(async () => {
  const dataSource = createDataSource({ url: process.env.DATABASE_URL });
  await dataSource.initialize();
  const created = await createStakeholder(dataSource.manager, JSON.parse(process.argv[2]));
  process.stdout.write(`${created.id}\n`, () => process.kill(process.pid, 'SIGKILL'));
})();
