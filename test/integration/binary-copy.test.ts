/**
 * The binary COPY reader the index's load streams a million rows through: what it reads is what
 * PostgreSQL says in text (a table of edge values), however the stream is cut into chunks (every
 * cut of a small stream, and random cuts of a larger one); a stream cut short, a tuple of another
 * width and an array of another type are refused, not misread.
 */
import { Client } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { BinaryCopyReader, BinaryTuple } from '../../src/matching/index/binary-copy';
import { readUuid } from '../../src/matching/index/uuid-table';
import { createTestDatabase, TestDatabase } from '../helpers/database';

let db: TestDatabase;
let client: Client;
beforeAll(async () => {
  db = await createTestDatabase();
  client = new Client({ connectionString: db.url });
  await client.connect();
  await client.query(`CREATE TABLE edge (n int PRIMARY KEY, id uuid, label text, lat float8, small int2[],
    big int4[], codes text[], flag bool, code char(2))`);
  await client.query(`INSERT INTO edge VALUES
    (1, gen_random_uuid(), 'plain', 50.87, '{1,17}', '{2147483647,-5,0}', '{nl,fr}', true, 'BE'),
    (2, gen_random_uuid(), NULL, NULL, '{}', '{}', '{}', false, NULL),
    (3, gen_random_uuid(), 'Zürich – 🧪 lab', -33.5, NULL, NULL, NULL, true, 'CH'),
    (4, gen_random_uuid(), 'plain', -0.0001, '{0}', '{7}', '{nl,nl,"é"}', false, 'BE'),
    (5, gen_random_uuid(), '', 1e300, '{5,5}', '{-2147483648}', '{""}', true, 'NL')`);
  // A larger stream for random cuts: 2,000 rows of mixed shapes.
  await client.query(`INSERT INTO edge SELECT g, gen_random_uuid(), CASE WHEN g % 7 = 0 THEN NULL ELSE 'row ' || g END,
    g / 1000.0, ARRAY[g % 17 + 1]::int2[], ARRAY(SELECT generate_series(1, g % 5)), ARRAY['l' || (g % 3)], g % 2 = 0,
    'C' || (g % 10) FROM generate_series(10, 2009) g`);
});
afterAll(async () => {
  await client?.end();
  await db?.drop();
});

const FIELDS = 'n, id, label, lat, small, big, codes, flag, code';

async function copyOf(where: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of client.query(
    copyTo(`COPY (SELECT ${FIELDS} FROM edge WHERE ${where} ORDER BY n)
    TO STDOUT (FORMAT binary)`),
  ))
    chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A tuple as the index's load reads its fields. */
function decode(t: BinaryTuple) {
  return {
    n: t.int4(0),
    id: readUuid(t.buffer, t.uuidAt(1)),
    label: t.codeOrNull(2),
    lat: t.float8OrNull(3),
    smallMask: t.bitMask(4),
    big: [...t.intsInto(5, [])],
    codes: [...t.codesInto(6, [])],
    flag: t.bool(7),
    code: t.codeOrNull(8),
  };
}

/** The same rows from PostgreSQL's text answer, as the reader should read them. */
async function expected(where: string) {
  const { rows } = await client.query<{
    n: number;
    id: string;
    label: string | null;
    lat: number | null;
    small: number[] | null;
    big: number[] | null;
    codes: string[] | null;
    flag: boolean;
    code: string | null;
  }>(`SELECT ${FIELDS} FROM edge WHERE ${where} ORDER BY n`);
  return rows.map((r) => ({
    n: r.n,
    id: r.id,
    label: r.label,
    lat: r.lat,
    smallMask: (r.small ?? []).reduce((m, x) => m | (1 << x), 0) >>> 0,
    big: r.big ?? [],
    codes: r.codes ?? [],
    flag: r.flag,
    code: r.code,
  }));
}

/** Reads `bytes` cut at `cuts` (positions, ascending). */
function readCut(bytes: Buffer, cuts: number[]) {
  const reader = new BinaryCopyReader(9);
  const rows: ReturnType<typeof decode>[] = [];
  let from = 0;
  for (const to of [...cuts, bytes.length]) {
    reader.push(bytes.subarray(from, to), (t) => rows.push(decode(t)));
    from = to;
  }
  reader.end();
  return rows;
}

describe('the binary COPY reader', () => {
  it('reads each edge value as PostgreSQL says it in text, cut anywhere', async () => {
    const bytes = await copyOf('n < 10');
    const want = await expected('n < 10');
    expect(readCut(bytes, [])).toEqual(want);
    // Every single cut, and every pair of cuts 7 bytes apart: headers, lengths and values split.
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(readCut(bytes, [cut])).toEqual(want);
      if (cut + 7 < bytes.length) expect(readCut(bytes, [cut, cut + 7])).toEqual(want);
    }
  });

  it('reads 2,005 rows the same, cut at random into chunks of 1 to 300 bytes', async () => {
    const bytes = await copyOf('true');
    const want = await expected('true');
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let round = 0; round < 20; round++) {
      const cuts: number[] = [];
      for (let at = 1 + Math.floor(random() * 300); at < bytes.length; at += 1 + Math.floor(random() * 300))
        cuts.push(at);
      expect(readCut(bytes, cuts)).toEqual(want);
    }
  });

  it.each([
    ['a stream cut short', (b: Buffer) => b.subarray(0, b.length - 3), /ended early/],
    ['a stream without its trailer', (b: Buffer) => b.subarray(0, b.length - 2), /ended early/],
    ['another format', (b: Buffer) => Buffer.concat([Buffer.from('COPY'), b.subarray(4)]), /not a binary COPY/],
  ])('refuses %s', async (_, cut, message) => {
    const bytes = cut(await copyOf('n < 10'));
    expect(() => readCut(bytes, [])).toThrow(message);
  });

  it('refuses a tuple of another width, and an array read as another type', async () => {
    const bytes = await copyOf('n < 10');
    expect(() => new BinaryCopyReader(8).push(bytes, () => undefined)).toThrow('a tuple of 9 fields, expected 8');
    const texts = new BinaryCopyReader(9);
    expect(() => texts.push(bytes, (t) => t.intsInto(6, []))).toThrow('an array of type 25, read as integers');
    const ints = new BinaryCopyReader(9);
    expect(() => ints.push(bytes, (t) => t.codesInto(5, []))).toThrow('an array of type 23, read as text');
  });
});

describe('the index’s load over binary COPY', () => {
  it('leaves nothing running: a process that loaded the index and closed its pool ends by itself', async () => {
    const { stdout } = await new Promise<{ stdout: string }>((resolve, reject) =>
      execFile(
        process.execPath,
        [path.join(__dirname, '..', 'helpers', 'load-then-exit.cjs')],
        { env: { ...process.env, DATABASE_URL: db.url }, timeout: 60_000 },
        (error, out) => (error ? reject(error) : resolve({ stdout: out })),
      ),
    );
    expect(stdout.trim()).toBe('loaded 0');
  }, 90_000);
});
