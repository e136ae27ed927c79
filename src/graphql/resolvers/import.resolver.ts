import {
  Arg,
  Authorized,
  Ctx,
  Field,
  InputType,
  Int,
  Mutation,
  ObjectType,
  registerEnumType,
  Resolver,
} from 'type-graphql';
import { importRecords, readRecords } from '../../domain/import/import.service';
import { badInput, DomainError } from '../../domain/errors';
import { LIST_BOUNDS } from '../list-bounds';
import { Context } from '../context';
import { MUTATION_ROLES } from '../access';

export enum ImportFormat {
  CSV = 'CSV',
  JSON = 'JSON',
}
registerEnumType(ImportFormat, { name: 'ImportFormat' });

@InputType({ description: 'An import file sent inline (for large files, use `npm run import`)' })
export class ImportStakeholdersInput {
  @Field(() => ImportFormat)
  format: ImportFormat;

  @Field({ description: 'The file: CSV with a header row, or a JSON array of objects (columns in the README)' })
  content: string;

  @Field(() => Boolean, { nullable: true, description: 'Check and count, write nothing' })
  dryRun?: boolean | null;
}

@ObjectType()
export class ImportCounts {
  @Field(() => Int)
  inserted: number;

  @Field(() => Int)
  updated: number;
}

@ObjectType({ description: 'A rejected row: its line in the file, the field and the rule' })
export class ImportRowError {
  @Field(() => Int)
  line: number;

  @Field()
  field: string;

  @Field()
  message: string;
}

@ObjectType()
export class ImportReport {
  @Field()
  dryRun: boolean;

  @Field(() => Int)
  rows: number;

  @Field(() => ImportCounts)
  stakeholders: ImportCounts;

  @Field(() => ImportCounts)
  challenges: ImportCounts;

  @Field(() => Int)
  failed: number;

  @Field(() => [ImportRowError], { description: 'The first 1000 failed rows, by line (`failed` counts them all)' })
  errors: ImportRowError[];
}

@Resolver()
export class ImportResolver {
  @Authorized(MUTATION_ROLES.importStakeholders)
  @Mutation(() => ImportReport, {
    description: 'ADMIN: import stakeholders and challenges; bad rows are reported, good rows go in',
  })
  async importStakeholders(
    @Arg('input', () => ImportStakeholdersInput) input: ImportStakeholdersInput,
    @Ctx() ctx: Context,
  ): Promise<ImportReport> {
    let records;
    try {
      records = readRecords(input.content, input.format === ImportFormat.JSON ? 'json' : 'csv');
    } catch (error) {
      if (error instanceof DomainError) throw error;
      throw badInput('input.content', `must be valid ${input.format}`);
    }
    const report = await importRecords(ctx.dataSource, records, { dryRun: Boolean(input.dryRun) });
    return { ...report, errors: report.errors.slice(0, LIST_BOUNDS['ImportReport.errors'].max) };
  }
}
