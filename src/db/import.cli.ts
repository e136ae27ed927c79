import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config';
import { CsvDelimiter } from '../domain/import/csv';
import { ImportFile, importRecords, readImportFile } from '../domain/import/import.service';
import { announce } from '../subscriptions/announce';
import { createDataSource } from './data-source';
import { useEmbeddedPostgres } from './embedded-postgres';
import { runMigrations } from './migrate';
import { progress } from './progress';

const USAGE = 'usage: npm run import -- <file.csv|file.json> [--dry-run] [--allow-duplicates]';

const DELIMITER_WORDS: { readonly [K in CsvDelimiter]: string } = { ',': 'comma', ';': 'semicolon', '\t': 'tab' };

/** What was found in the file: "CSV, semicolon-separated, with a UTF-8 byte-order mark". */
function describeFile(file: ImportFile): string {
  const format = file.delimiter ? `CSV, ${DELIMITER_WORDS[file.delimiter]}-separated` : 'JSON';
  return `${format}, ${file.byteOrderMark ? 'with' : 'no'} UTF-8 byte-order mark`;
}

/**
 * `npm run import -- file.csv [--dry-run] [--allow-duplicates]`: loads stakeholders and challenges,
 * reports every bad row and every row held back as a likely duplicate.
 */
async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const file = args.find((a) => !a.startsWith('--'));
  const dryRun = args.includes('--dry-run');
  const allowDuplicates = args.includes('--allow-duplicates');
  if (!file) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const format = path.extname(file).toLowerCase() === '.json' ? 'json' : 'csv';
  let content: string;
  try {
    content = readFileSync(file, 'utf8');
  } catch {
    process.stderr.write(`cannot read ${file}\n${USAGE}\n`);
    return 2;
  }
  let read: ImportFile;
  try {
    read = readImportFile(content, format);
  } catch (error) {
    process.stderr.write(`${file} is not valid ${format.toUpperCase()}: ${(error as Error).message}\n`);
    return 2;
  }
  const config = loadConfig();
  const embedded = config.databaseUrl ? undefined : await useEmbeddedPostgres(config.dataDir);
  const dataSource = createDataSource({ url: config.databaseUrl ?? embedded!.url, statementTimeoutMs: 600000 });
  await dataSource.initialize();
  try {
    await runMigrations(dataSource);
    const started = Date.now();
    const bar = progress(dryRun ? 'checking' : 'importing', read.records.length);
    const report = await importRecords(dataSource, read.records, {
      dryRun,
      allowDuplicates,
      onProgress: (done) => bar(done),
    });
    const seconds = (Date.now() - started) / 1000;
    const out = process.stdout;
    out.write(`${dryRun ? 'Dry run (nothing written): ' : ''}${report.rows} rows in ${seconds.toFixed(1)} s\n`);
    out.write(`  file:         ${describeFile(read)}\n`);
    out.write(`  stakeholders: ${report.stakeholders.inserted} new, ${report.stakeholders.updated} updated\n`);
    out.write(`  challenges:   ${report.challenges.inserted} new, ${report.challenges.updated} updated\n`);
    out.write(`  rejected:     ${report.failed}\n`);
    for (const e of report.errors.slice(0, 200)) out.write(`  line ${e.line}, ${e.field}: ${e.message}\n`);
    if (report.errors.length > 200) out.write(`  … and ${report.errors.length - 200} more\n`);
    out.write(`  held back:    ${report.heldBack} (likely duplicates; --allow-duplicates imports them)\n`);
    for (const w of report.warnings.slice(0, 200)) out.write(`  line ${w.line}, ${w.field}: ${w.message}\n`);
    if (report.warnings.length > 200) out.write(`  … and ${report.warnings.length - 200} more\n`);
    // Every slice went into the outbox with its rows: a running server relays them (matching
    // the new partners and telling subscribers) as soon as it hears this, or at its next poll;
    // if none runs, the next one to start does.
    if (!dryRun) await announce({ kind: 'outbox' }, config.databaseUrl ?? embedded!.url, config.redisUrl);
    return 0;
  } finally {
    await dataSource.destroy();
    await embedded?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`Import failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
