/**
 * The pipeline remembers validated documents by text, least recently used first out: portals'
 * documents, sent again and again, stay while a burst of one-off queries passes through.
 */
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DEFAULT_LIMITS } from '../../src/config';
import { buildSchema } from '../../src/graphql/build-schema';
import type { Loaders } from '../../src/graphql/loaders';
import { createPipeline } from '../../src/graphql/pipeline';
import { TransportFacts } from '../../src/graphql/pipeline-types';
import { PUBLIC_VIEWER } from '../../src/domain/access/role';
import { silentLogger } from '../../src/log/logger';
import type { ChangeFeed } from '../../src/subscriptions/change-feed';

it('keeps a document sent between one-off queries when the cache is full', async () => {
  const pipeline = createPipeline({
    schema: await buildSchema(),
    dataSource: new DataSource({ type: 'postgres' }),
    log: silentLogger,
    live: {} as ChangeFeed<Loaders>,
    limits: DEFAULT_LIMITS,
    introspection: true,
    documentCacheSize: 3,
  });
  const facts: TransportFacts = { transport: 'http', method: 'POST' };
  const cached = (query: string) =>
    pipeline.documentStore.get(`schema:${createHash('sha256').update(query).digest('hex')}`);
  const hot = '{ sdgs { id title } }';
  for (let i = 0; i < 20; i++) {
    pipeline.prepare(PUBLIC_VIEWER, { query: hot }, facts);
    pipeline.prepare(PUBLIC_VIEWER, { query: `{ sdgs { id } one${i}: sdgs { title } }` }, facts);
    expect(await cached(hot)).toBeDefined();
  }
});
