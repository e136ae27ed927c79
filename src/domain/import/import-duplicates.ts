/**
 * An import's likely duplicates: stakeholder rows that look like stored stakeholders, or like an
 * earlier new row of the same file, are held back with a warning, unless the row or the import
 * allows them (the rules: stakeholder/duplicates.ts; within the file: file-duplicates.ts).
 */
import { DataSource } from 'typeorm';
import {
  describeDuplicates,
  FamilyVisibility,
  findLikelyDuplicates,
  LikelyDuplicate,
  ruleWords,
} from '../stakeholder/duplicates';
import { RowError, StakeholderRow } from './import-row';
import { FileDuplicate, findFileDuplicates } from './file-duplicates';
import { IMPORT_WRITERS, sideBySide } from './side-by-side';

/**
 * A row held back as a likely duplicate: its line, the field that matched, and the stored ids or
 * the earlier lines of the file it looks like.
 */
export interface RowWarning extends RowError {
  existingIds: string[];
  sameAsLines: number[];
}

/** How {@link importRecords} runs. */
export interface ImportOptions {
  /**
   * Check and count, write nothing.
   * @default false
   */
  dryRun?: boolean;
  /**
   * Rows per transaction.
   * @default IMPORT_BATCH
   */
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
  /**
   * Import rows that look like stored stakeholders too (a row can also say so in its
   * `allowDuplicate` column).
   * @default false
   */
  allowDuplicates?: boolean;
  /**
   * The families whose names the importer may see: only those are compared with, so that no
   * warning names a family to someone who may not see it.
   * @default 'all' (imports are for administrators)
   */
  families?: FamilyVisibility;
}

/**
 * Rows that look like stored stakeholders, held back with a warning each (unless allowed), in
 * slices of `batch` rows: one indexed query per slice (see stakeholder/duplicates.ts).
 */
export async function holdBackDuplicates(
  dataSource: DataSource,
  rows: StakeholderRow[],
  opts: ImportOptions,
  batch: number,
): Promise<{ kept: StakeholderRow[]; held: Map<string, number>; warnings: RowWarning[] }> {
  const kept: StakeholderRow[] = [];
  const held = new Map<string, number>();
  const warnings: RowWarning[] = [];
  const checked = opts.allowDuplicates ? [] : rows.filter((r) => !r.allowDuplicate);
  const flagged = new Map<StakeholderRow, LikelyDuplicate[]>();
  // The stored duplicates' slices two at a time, beside the comparison of the file's rows with each other.
  const slices = Array.from({ length: Math.ceil(checked.length / batch) }, (_, k) =>
    checked.slice(k * batch, (k + 1) * batch),
  );
  const [found, inFile] = await Promise.all([
    sideBySide(slices.length, IMPORT_WRITERS, (k) =>
      findLikelyDuplicates(dataSource.manager, slices[k], opts.families ?? 'all'),
    ),
    opts.allowDuplicates
      ? new Map<StakeholderRow, FileDuplicate[]>()
      : findFileDuplicates(dataSource, rows, batch, (row) => row.allowDuplicate),
  ]);
  found.forEach((duplicates, k) => {
    for (const d of duplicates) {
      const row = slices[k][d.index];
      flagged.set(row, [...(flagged.get(row) ?? []), d]);
    }
  });
  for (const row of rows) {
    const found = flagged.get(row);
    const same = inFile.get(row);
    if (!found && !same) {
      kept.push(row);
      continue;
    }
    held.set(row.externalId, row.line);
    const hold =
      'held back: to import it anyway, set its allowDuplicate column to true (or import with allowDuplicates)';
    warnings.push(
      found
        ? {
            line: row.line,
            field: found[0].rule,
            message: `${found[0].rule} looks like a stored stakeholder: ${describeDuplicates(found)}; ${hold}`,
            existingIds: found.map((d) => d.id),
            sameAsLines: same?.map((d) => d.line) ?? [],
          }
        : {
            line: row.line,
            field: same![0].rule,
            message: `${same![0].rule} looks like ${describeFileDuplicates(same!)}; ${hold}`,
            existingIds: [],
            sameAsLines: same!.map((d) => d.line),
          },
    );
  }
  return { kept, held, warnings };
}

/** 'line 12 of this file ("Waterlab Gent"), the same name within 5 km'. */
function describeFileDuplicates(found: readonly FileDuplicate[]): string {
  return found.map((d) => `line ${d.line} of this file ("${d.name}"), ${ruleWords(d.rule)}`).join('; and ');
}
