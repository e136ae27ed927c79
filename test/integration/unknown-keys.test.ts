/**
 * Unknown API keys are metered per address before they are looked up, and remembered as unknown
 * for a while: a flood of made-up keys costs neither unbounded database lookups nor unbounded
 * guesses. Good keys never draw on that budget, and a revoked key is never remembered as good.
 */
import { randomBytes } from 'node:crypto';
import { CreateApiKeyDocument, CreateHubDocument, RevokeApiKeyDocument } from '../generated/graphql';
import { bearer, expectData, RELAXED_LIMITS, startTestServer, TestServer } from '../helpers/server';

const PER_MINUTE = 5;
let t: TestServer;
let hubId = '';
let lookups = 0;
let lastAddress = 0;

beforeAll(async () => {
  t = await startTestServer({ limits: { ...RELAXED_LIMITS, trustProxy: true, unknownKeysPerMinute: PER_MINUTE } });
  hubId = expectData(
    await t.admin(CreateHubDocument, { input: { name: 'Gent', coordinators: [{ name: 'An', email: 'an@x.be' }] } }),
  ).createHub.id;
  // Counts key lookups as they reach PostgreSQL (the call goes through unchanged).
  const manager = t.db.dataSource.manager;
  const query = manager.query.bind(manager);
  manager.query = ((...args: Parameters<typeof query>) => {
    if (args[0].includes('secret_hash')) lookups++;
    return query(...args);
  }) as typeof manager.query;
});
afterAll(() => t?.stop());

/** A fresh client address, so that each case starts with a full budget. */
const newAddress = () => `10.0.${Math.floor(++lastAddress / 250)}.${lastAddress % 250}`;
const madeUpKey = () => `osm_${randomBytes(32).toString('base64url')}`;

async function ask(key: string, address: string) {
  const res = await fetch(t.server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': address, ...bearer(key) },
    body: JSON.stringify({ query: '{ viewer { role } }' }),
  });
  const json = (await res.json()) as { errors?: { extensions?: { code?: string } }[] };
  return {
    status: res.status,
    code: json.errors?.[0]?.extensions?.code ?? 'OK',
    retry: res.headers.get('retry-after'),
  };
}

async function goodKey(name: string) {
  const made = expectData(await t.admin(CreateApiKeyDocument, { input: { name, role: 'PORTAL', hubIds: [hubId] } }));
  return { id: made.createApiKey.apiKey.id, secret: made.createApiKey.secret };
}

describe('unknown API keys', () => {
  it.each([
    ['distinct made-up keys', 4 * PER_MINUTE, () => madeUpKey()],
    [
      'one made-up key again and again',
      4 * PER_MINUTE,
      (() => {
        const key = madeUpKey();
        return () => key;
      })(),
    ],
  ])('%s from one address: %i requests cost at most the budget in lookups, then 429', async (_what, n, keyOf) => {
    const address = newAddress();
    const before = lookups;
    const answers: string[] = [];
    for (let i = 0; i < n; i++) {
      const a = await ask(keyOf(), address);
      answers.push(`${a.status} ${a.code}${a.status === 429 && a.retry ? ' retry' : ''}`);
    }
    expect(answers).toEqual([
      ...Array<string>(PER_MINUTE).fill('401 UNAUTHENTICATED'),
      ...Array<string>(n - PER_MINUTE).fill('429 RATE_LIMITED retry'),
    ]);
    expect(lookups - before).toBeLessThanOrEqual(PER_MINUTE);
  });

  it('looks one unknown key up once, whichever addresses send it', async () => {
    const key = madeUpKey();
    const before = lookups;
    for (let i = 0; i < 3 * PER_MINUTE; i++) expect((await ask(key, newAddress())).status).toBe(401);
    expect(lookups - before).toBe(1);
  });

  it('never counts good keys against the address, nor refuses them from another address', async () => {
    const { secret } = await goodKey('portal');
    const address = newAddress();
    for (let i = 0; i < 3 * PER_MINUTE; i++) expect((await ask(secret, address)).code).toBe('OK');
    // The address's budget for unknown keys is still whole.
    for (let i = 0; i < PER_MINUTE; i++) expect((await ask(madeUpKey(), address)).status).toBe(401);
    expect((await ask(madeUpKey(), address)).status).toBe(429);
    expect((await ask(secret, newAddress())).code).toBe('OK');
  });

  it('refuses a revoked key at once, and takes a key created after a flood at once', async () => {
    const address = newAddress();
    const { id, secret } = await goodKey('revoked soon');
    expect((await ask(secret, address)).code).toBe('OK');
    expectData(await t.admin(RevokeApiKeyDocument, { id }));
    expect((await ask(secret, address)).status).toBe(401);
    const other = newAddress();
    for (let i = 0; i < PER_MINUTE; i++) await ask(madeUpKey(), other);
    const fresh = await goodKey('created after the flood');
    expect((await ask(fresh.secret, newAddress())).code).toBe('OK');
  });
});
