import { readFileSync } from 'node:fs';
import path from 'node:path';
import { detectCsvDialect, MAX_HEADER_SCAN, parseCsv } from '../../src/domain/import/csv';
import { readImportFile } from '../../src/domain/import/import-file';

const fixture = (name: string) => readFileSync(path.join(__dirname, '..', 'fixtures', name), 'utf8');

describe('detectCsvDialect', () => {
  it.each([
    ['commas', 'record,externalId,name\nstakeholder,a,b\n', ',', false],
    ['semicolons (Dutch and Belgian spreadsheets)', 'record;externalId;name\r\nstakeholder;a;b\r\n', ';', false],
    ['tabs', 'record\texternalId\tname\nstakeholder\ta\tb\n', '\t', false],
    ['a byte-order mark and semicolons', '\ufeffrecord;externalId;name\n', ';', true],
    ['a byte-order mark and commas', '\ufeffrecord,externalId\n', ',', true],
    ['semicolons, with commas inside a quoted column name', '"a, b, c";d;e\n', ';', false],
    ['commas, with semicolons inside a quoted column name', '"a;b;c;d",e\n', ',', false],
    ['commas, with a quoted name holding a doubled quote and semicolons', '"x "";"" y;z",b,c\n', ',', false],
    [
      'the header only: semicolons in later rows do not count',
      'record,externalId\nstakeholder,"1;2;3;4"\n',
      ',',
      false,
    ],
    ['a single column', 'externalId\na\n', ',', false],
    ['a tie, read as the earlier (comma)', 'a,b;c\n', ',', false],
    ['an empty file', '', ',', false],
    ['a quoted newline inside the header', '"a\nb";c;d\n', ';', false],
  ])('%s', (_, text, delimiter, byteOrderMark) => {
    expect(detectCsvDialect(text)).toEqual({ delimiter, byteOrderMark });
  });

  it('looks at most MAX_HEADER_SCAN characters of a header row', () => {
    const long = `${'x'.repeat(MAX_HEADER_SCAN)};a;b;c\n`;
    expect(detectCsvDialect(long).delimiter).toBe(',');
    expect(detectCsvDialect(`${'x'.repeat(MAX_HEADER_SCAN - 10)};a;b;c\n`).delimiter).toBe(';');
  });

  it('parses with the delimiter it found, keeping delimiters inside quotes', () => {
    expect(parseCsv('a;b\n"1;2";"x, y"\n').map((r) => r.fields)).toEqual([
      ['a', 'b'],
      ['1;2', 'x, y'],
    ]);
    expect(parseCsv('a\tb\n1;2\tx, y\n').map((r) => r.fields)).toEqual([
      ['a', 'b'],
      ['1;2', 'x, y'],
    ]);
  });
});

describe('readImportFile', () => {
  const good = readImportFile(fixture('import-good.csv'), 'csv');

  it.each([
    ['import-good.csv', ',', false],
    ['import-semicolon.csv', ';', false],
    ['import-tab.tsv', '\t', false],
    ['import-bom.csv', ';', true],
  ])('reads %s (delimiter %j, byte-order mark %s) into the same records', (name, delimiter, byteOrderMark) => {
    const file = readImportFile(fixture(name), 'csv');
    expect({ delimiter: file.delimiter, byteOrderMark: file.byteOrderMark }).toEqual({ delimiter, byteOrderMark });
    expect(file.records).toEqual(good.records);
    expect(Object.keys(file.records[0].record)[0]).toBe('record');
  });

  it('skips a byte-order mark before JSON and says so', () => {
    const json = fixture('import.json');
    expect(readImportFile(json, 'json')).toMatchObject({ delimiter: null, byteOrderMark: false });
    const withBom = readImportFile(`\ufeff${json}`, 'json');
    expect(withBom).toMatchObject({ delimiter: null, byteOrderMark: true });
    expect(withBom.records).toEqual(readImportFile(json, 'json').records);
  });
});
