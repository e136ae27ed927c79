import { partnershipScenario, revocationScenario, twoInstanceScenario } from '../helpers/two-instances';

describe('two server instances on one database', () => {
  it('deliver events across instances through PostgreSQL LISTEN/NOTIFY', async () => {
    await twoInstanceScenario({ REDIS_URL: '' }, 'postgres');
  }, 60000);

  it('close a revoked key’s sockets on every instance, not only the one that revoked it', async () => {
    await revocationScenario({ REDIS_URL: '' });
  }, 60000);

  it('push partnership changes to the hub’s coordinators on the other instance, and to nobody else', async () => {
    await partnershipScenario({ REDIS_URL: '' });
  }, 60000);
});
