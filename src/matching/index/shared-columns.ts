/**
 * The match index's columns as ranking workers see them: typed arrays over `SharedArrayBuffer`s,
 * so a worker reads the very memory the index writes, with no copy. Only the index writes, and
 * only while no ranking is in flight (index-lock.ts), so every ranking reads one version.
 */

/** A typed array class the index stores columns in. */
export type ColumnArray = Float64Array | Int32Array | Uint32Array | Uint16Array | Uint8Array;
export type ColumnClass<T extends ColumnArray> = { new (buffer: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number };

/** A zero-filled typed array of `length` over a fresh `SharedArrayBuffer`. */
export function sharedArray<T extends ColumnArray>(Class: ColumnClass<T>, length: number): T {
  return new Class(new SharedArrayBuffer(Math.max(1, length) * Class.BYTES_PER_ELEMENT));
}

/**
 * The array itself when it holds `size` elements, else a shared copy grown by at least half
 * (so appends stay amortised O(1)). A new array means a new buffer: the index's generation moves.
 */
export function grow<T extends ColumnArray>(a: T, size: number): T {
  if (a.length >= size) return a;
  const Class = a.constructor as ColumnClass<T>;
  const next = sharedArray(Class, Math.max(size, Math.ceil(a.length * 1.5)));
  next.set(a);
  return next;
}

/**
 * Every column ranking reads, by name: what is sent to a worker (the arrays are shared, not
 * copied, when cloned into a message). The match index has the same fields, so the ranking
 * kernel runs on either.
 */
export interface Columns {
  kind: Uint8Array;
  lat: Float64Array;
  lon: Float64Array;
  sdgMask: Uint32Array;
  levelMask: Uint16Array;
  scoredContexts: Uint8Array;
  trackTenths: Int32Array;
  trackObservations: Uint16Array;
  capacity: Int32Array;
  accepted: Int32Array;
  alive: Uint8Array;
  region: Uint16Array;
  country: Uint16Array;
  area: Uint8Array;
  /** Per row, one issued day per check type (safeguarding.ts's slots) of verified safeguarding checks (0: none). */
  checkDays: Uint16Array;
  tagStart: Uint32Array;
  tagEnd: Uint32Array;
  tagPool: Int32Array;
  langStart: Uint32Array;
  langEnd: Uint32Array;
  langPool: Uint8Array;
  /** Rows of each kind: the first `kindCount[k]` of `kindRows[k]`. */
  kindRows: Int32Array[];
  kindCount: Int32Array;
  /** Each kind's block summaries, a block per `BLOCK_SIZE` entries of its list (blocks.ts). */
  kindBlocks: Float64Array[];
  /** Each kind's superblock summaries, one per 2^`SUPER_SHIFT` entries of its list, covering its blocks' rows. */
  kindSupers: Float64Array[];
  /** The 16 bytes of each row's UUID, for PostgreSQL's tie order. */
  idBytes: Uint8Array;
  /** The network's track evidence: [outcome tenths, observations] (the prior of every record). */
  trackTotals: Float64Array;
}

/** The names of a {@link Columns}' fields, in one list (what a snapshot copies). */
export const COLUMN_NAMES = [
  'kind',
  'lat',
  'lon',
  'sdgMask',
  'levelMask',
  'scoredContexts',
  'trackTenths',
  'trackObservations',
  'capacity',
  'accepted',
  'alive',
  'region',
  'country',
  'area',
  'checkDays',
  'tagStart',
  'tagEnd',
  'tagPool',
  'langStart',
  'langEnd',
  'langPool',
  'kindRows',
  'kindCount',
  'kindBlocks',
  'kindSupers',
  'idBytes',
  'trackTotals',
] as const satisfies readonly (keyof Columns)[];

/** Number of set bits. */
export function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Whether two rows share a language; null when either states none (preference-fit's signal). */
export function sharesLanguage(cols: Columns, a: number, b: number): boolean | null {
  const { langStart, langEnd, langPool } = cols;
  if (langStart[a] === langEnd[a] || langStart[b] === langEnd[b]) return null;
  for (let i = langStart[a]; i < langEnd[a]; i++) {
    for (let j = langStart[b]; j < langEnd[b]; j++) if (langPool[i] === langPool[j]) return true;
  }
  return false;
}
