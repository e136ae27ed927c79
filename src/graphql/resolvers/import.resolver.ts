import {
  Arg,
  Authorized,
  Ctx,
  Field,
  ID,
  InputType,
  Int,
  Mutation,
  ObjectType,
  registerEnumType,
  Resolver,
} from 'type-graphql';
import { importRecords, readImportFile } from '../../domain/import/import.service';
import { CsvDelimiter } from '../../domain/import/csv';
import { Role } from '../../domain/access/role';
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

  @Field(() => Boolean, {
    nullable: true,
    description:
      'Import rows that look like stored stakeholders too (one row at a time: its `allowDuplicate` column); ' +
      'without it they are held back and reported in `warnings`',
  })
  allowDuplicates?: boolean | null;
}

/** The delimiter an import found in its CSV header row, by name (a tab reads badly in JSON). */
export enum CsvDelimiterName {
  COMMA = 'COMMA',
  SEMICOLON = 'SEMICOLON',
  TAB = 'TAB',
}
registerEnumType(CsvDelimiterName, { name: 'CsvDelimiter', description: 'The column separator of a CSV file' });

const DELIMITER_NAMES: { readonly [K in CsvDelimiter]: CsvDelimiterName } = {
  ',': CsvDelimiterName.COMMA,
  ';': CsvDelimiterName.SEMICOLON,
  '\t': CsvDelimiterName.TAB,
};

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

/** A row held back as a likely duplicate: of stored stakeholders, or of earlier rows of the file. */
@ObjectType({
  description:
    'A row held back as a likely duplicate: its line, the field that matched, the stored ids or earlier lines',
})
export class ImportRowWarning extends ImportRowError {
  @Field(() => [ID], { description: 'The stored stakeholders it looks like (at most 6)' })
  existingIds: string[];

  @Field(() => [Int], { description: 'Earlier lines of the same file it looks like (at most 6)' })
  sameAsLines: number[];
}

@ObjectType()
export class ImportReport {
  @Field(() => CsvDelimiterName, {
    nullable: true,
    description: 'The delimiter found in the CSV header row (comma, semicolon or tab); null for JSON',
  })
  delimiter: CsvDelimiterName | null;

  @Field({ description: 'Whether the file started with a UTF-8 byte-order mark (skipped)' })
  byteOrderMark: boolean;

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

  @Field(() => Int, { description: 'Stakeholder rows held back as likely duplicates of stored ones' })
  heldBack: number;

  @Field(() => [ImportRowWarning], {
    description: 'The first 500 held-back rows, by line (`heldBack` counts them all)',
  })
  warnings: ImportRowWarning[];
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
    let file;
    try {
      file = readImportFile(input.content, input.format === ImportFormat.JSON ? 'json' : 'csv');
    } catch (error) {
      if (error instanceof DomainError) throw error;
      throw badInput('input.content', `must be valid ${input.format}`);
    }
    const report = await importRecords(ctx.dataSource, file.records, {
      dryRun: Boolean(input.dryRun),
      allowDuplicates: Boolean(input.allowDuplicates),
      // A duplicate warning names only stakeholders the importer may see.
      families: ctx.viewer.role === Role.ADMIN ? 'all' : ctx.viewer.hubIds,
    });
    return {
      ...report,
      delimiter: file.delimiter && DELIMITER_NAMES[file.delimiter],
      byteOrderMark: file.byteOrderMark,
      errors: report.errors.slice(0, LIST_BOUNDS['ImportReport.errors'].max),
      warnings: report.warnings.slice(0, LIST_BOUNDS['ImportReport.warnings'].max),
    };
  }
}
