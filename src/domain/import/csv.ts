/**
 * CSV through csv-parse and csv-stringify (RFC 4180: quoted fields with delimiters, newlines
 * and doubled quotes, a byte-order mark from spreadsheet exports). The delimiter is read from the
 * header row: a comma, or the semicolon or tab that spreadsheets in many European locales save
 * with. Rows keep the 1-based line they started on, for error reports; every value written is
 * neutralised against spreadsheet formulas.
 */
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { neutraliseFormula } from '../text';

export interface CsvRow {
  line: number;
  fields: string[];
}

/** The delimiters an import file may use. */
export const CSV_DELIMITERS = [',', ';', '\t'] as const;

/** One of {@link CSV_DELIMITERS}. */
export type CsvDelimiter = (typeof CSV_DELIMITERS)[number];

/** How a CSV file is written, as read from its start. */
export interface CsvDialect {
  delimiter: CsvDelimiter;
  /** Whether it starts with a UTF-8 byte-order mark (which is skipped). */
  byteOrderMark: boolean;
}

/** Most characters of a header row looked at to find its delimiter. */
export const MAX_HEADER_SCAN = 65_536;

/**
 * The delimiter of a file: whichever of `,` `;` and tab occurs most often in its header row,
 * outside quotes (a quoted column name may hold any of them); a header with none, or a tie,
 * is read with the earlier of them in that order (a one-column file stays comma-separated).
 * At most {@link MAX_HEADER_SCAN} characters are looked at.
 */
export function detectCsvDialect(text: string): CsvDialect {
  const byteOrderMark = text.charCodeAt(0) === 0xfeff;
  const counts = new Map<string, number>(CSV_DELIMITERS.map((d) => [d, 0]));
  const end = Math.min(text.length, MAX_HEADER_SCAN);
  let quoted = false;
  for (let i = byteOrderMark ? 1 : 0; i < end; i++) {
    const c = text[i];
    // A doubled quote inside a quoted field toggles twice: still quoted.
    if (c === '"') quoted = !quoted;
    else if (quoted) continue;
    else if (c === '\n' || c === '\r') break;
    else if (counts.has(c)) counts.set(c, counts.get(c)! + 1);
  }
  let delimiter: CsvDelimiter = ',';
  for (const d of CSV_DELIMITERS) if (counts.get(d)! > counts.get(delimiter)!) delimiter = d;
  return { delimiter, byteOrderMark };
}

/** Parses a CSV file with the given delimiter (by default, the one its header row uses). */
export function parseCsv(text: string, delimiter: CsvDelimiter = detectCsvDialect(text).delimiter): CsvRow[] {
  const records = parse(text, {
    bom: true,
    info: true,
    delimiter,
    relax_column_count: true,
    skip_empty_lines: true,
    // Files edited on several systems mix line endings; each one ends a record.
    record_delimiter: ['\r\n', '\n', '\r'],
  }) as unknown as {
    record: string[];
    info: { lines: number };
  }[];
  // csv-parse reports the line a record ends on; a quoted field may span several.
  return records.map(({ record, info }) => ({
    line: info.lines - record.reduce((n, field) => n + (field.match(/\n/g)?.length ?? 0), 0),
    fields: record,
  }));
}

/** One CSV line (with its newline), each value neutralised against spreadsheet formulas. */
export function csvLine(values: readonly unknown[]): string {
  return stringify([values.map((v) => (v === null || v === undefined ? '' : neutraliseFormula(String(v))))]);
}

/** One value as a CSV field: quoted when it needs it, neutralised against spreadsheet formulas. */
export function csvField(value: unknown): string {
  return csvLine([value]).slice(0, -1);
}
