import {
  partnershipScenario,
  revocationScenario,
  sharedBudgetScenario,
  twoInstanceScenario,
} from '../helpers/two-instances';

// Runs with `npm run test:external` (CI), which needs a Redis server at REDIS_URL; `npm test`
// stays free of anything a fresh machine lacks.
describe('two server instances on one database', () => {
  it('deliver events across instances through Redis', async () => {
    const url = process.env.REDIS_URL;
    if (!url) throw new Error('REDIS_URL must point at a Redis server for the external suite');
    await twoInstanceScenario({ REDIS_URL: url }, 'redis');
  }, 60000);

  it('close a revoked key’s sockets on every instance through Redis', async () => {
    const url = process.env.REDIS_URL;
    if (!url) throw new Error('REDIS_URL must point at a Redis server for the external suite');
    await revocationScenario({ REDIS_URL: url });
  }, 60000);

  it('push partnership status changes across instances through Redis', async () => {
    const url = process.env.REDIS_URL;
    if (!url) throw new Error('REDIS_URL must point at a Redis server for the external suite');
    await partnershipScenario({ REDIS_URL: url });
  }, 60000);

  it('share one request budget per caller through Redis (the 7th of 6 is refused on either instance)', async () => {
    const url = process.env.REDIS_URL;
    if (!url) throw new Error('REDIS_URL must point at a Redis server for the external suite');
    expect(await sharedBudgetScenario({ REDIS_URL: url })).toEqual([429, 429]);
  }, 60000);

  it('count alone without Redis (the control: the same requests all pass)', async () => {
    expect(await sharedBudgetScenario({ REDIS_URL: '' })).toEqual([200, 200]);
  }, 60000);
});
