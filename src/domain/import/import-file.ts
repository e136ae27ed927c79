/**
 * Reading an import file: CSV (its delimiter found in the header row) or JSON, each cell checked
 * as text and neutralised against spreadsheet formulas.
 */
import { badInput } from '../errors';
import { neutraliseFormula, textFault } from '../text';
import { CsvDelimiter, detectCsvDialect, parseCsv } from './csv';
import { Record } from './import-row';

/** An imported cell as text: NUL bytes and lone surrogates refused, a spreadsheet formula neutralised. */
function cell(value: string | undefined, where = 'a cell'): string | undefined {
  if (value === undefined) return undefined;
  const fault = textFault(value);
  if (fault) throw badInput('input.content', `${where} ${fault}`);
  return neutraliseFormula(value);
}

type Scalar = string | number | boolean;
const isScalar = (v: unknown): v is Scalar => ['string', 'number', 'boolean'].includes(typeof v);

/** One JSON record as text cells: scalars and lists of scalars only, anything else refused. */
function jsonRecord(item: unknown, n: number): Record {
  if (!item || typeof item !== 'object' || Array.isArray(item)) {
    throw badInput('input.content', `record ${n} must be an object of columns`);
  }
  return Object.fromEntries(
    Object.entries(item).map(([k, v]) => {
      if (v === null || v === undefined) return [k, undefined];
      if (isScalar(v)) return [k, cell(String(v), `record ${n}: ${k}`)];
      if (Array.isArray(v) && v.every(isScalar)) return [k, cell(v.join(';'), `record ${n}: ${k}`)];
      throw badInput('input.content', `record ${n}: ${k} must be text, a number, a boolean or a list of them`);
    }),
  );
}

/** An import file as read: its records, and how it was written. */
export interface ImportFile {
  records: { line: number; record: Record }[];
  /** The CSV delimiter found in the header row; null for JSON. */
  delimiter: CsvDelimiter | null;
  /** Whether the file started with a UTF-8 byte-order mark (skipped). */
  byteOrderMark: boolean;
}

/**
 * Reads an import file: CSV with a header row (its delimiter, `,` `;` or tab, read from that row)
 * or JSON (an array of objects); a UTF-8 byte-order mark before either is skipped.
 */
export function readImportFile(content: string, format: 'csv' | 'json'): ImportFile {
  if (format === 'json') {
    const byteOrderMark = content.charCodeAt(0) === 0xfeff;
    const data = JSON.parse(byteOrderMark ? content.slice(1) : content) as unknown;
    // Anything but a list would import nothing and say so with "0 rows": refused, saying why.
    if (!Array.isArray(data)) {
      const got = data === null ? 'null' : typeof data === 'object' ? 'an object' : typeof data;
      throw badInput('input.content', `must be a JSON array of records (objects of columns), got ${got}`);
    }
    const records = data.map((item: unknown, i) => ({ line: i + 1, record: jsonRecord(item, i + 1) }));
    return { records, delimiter: null, byteOrderMark };
  }
  const { delimiter, byteOrderMark } = detectCsvDialect(content);
  const [header, ...rows] = parseCsv(content, delimiter);
  if (!header) return { records: [], delimiter, byteOrderMark };
  const columns = header.fields.map((c) => c.trim());
  const records = rows.map((row) => ({
    line: row.line,
    record: Object.fromEntries(columns.map((c, i) => [c, cell(row.fields[i], `line ${row.line}: ${c}`)])),
  }));
  return { records, delimiter, byteOrderMark };
}

/** The records of an import file (see {@link readImportFile}). */
export function readRecords(content: string, format: 'csv' | 'json'): { line: number; record: Record }[] {
  return readImportFile(content, format).records;
}
