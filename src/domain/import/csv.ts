/**
 * CSV through csv-parse and csv-stringify (RFC 4180: commas, quoted fields with commas, newlines
 * and doubled quotes, a byte-order mark from spreadsheet exports). Rows keep the 1-based line
 * they started on, for error reports; every value written is neutralised against spreadsheet
 * formulas.
 */
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { neutraliseFormula } from '../text';

export interface CsvRow {
  line: number;
  fields: string[];
}

export function parseCsv(text: string): CsvRow[] {
  const records = parse(text, {
    bom: true,
    info: true,
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
