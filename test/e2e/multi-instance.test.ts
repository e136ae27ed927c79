import { twoInstanceScenario } from '../helpers/two-instances';

describe('two server instances on one database', () => {
  it('deliver events across instances through PostgreSQL LISTEN/NOTIFY', async () => {
    await twoInstanceScenario({ REDIS_URL: '' }, 'postgres');
  }, 60000);
});
