import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema } from '../../src/graphql/build-schema';
import { printSchemaSdl } from '../../src/graphql/print-schema';

describe('schema/schema.graphql', () => {
  it('is what the code emits (run `npm run schema:emit` after changing the API)', async () => {
    const committed = readFileSync(path.join(__dirname, '..', '..', 'schema', 'schema.graphql'), 'utf8');
    expect(printSchemaSdl(await buildSchema())).toBe(committed);
  });
});
