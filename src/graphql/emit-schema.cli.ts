import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema } from './build-schema';
import { printSchemaSdl } from './print-schema';

/** `npm run schema:emit`: writes schema/schema.graphql from the code. */
async function main(): Promise<void> {
  const file = path.resolve(process.cwd(), 'schema', 'schema.graphql');
  writeFileSync(file, printSchemaSdl(await buildSchema()));
  process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
