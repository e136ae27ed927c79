import { GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';

/** The committed SDL form of the schema: sorted, so diffs show real changes only. */
export function printSchemaSdl(schema: GraphQLSchema): string {
  return printSchema(lexicographicSortSchema(schema)) + '\n';
}
