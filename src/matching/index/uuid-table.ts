/**
 * Row numbers by UUID without a JavaScript string per row: the 16 bytes of each id in one
 * buffer, and an open-addressing hash table of row numbers keyed by the id's first 4 bytes
 * (random in v4 UUIDs). About 24 bytes a row instead of ~90 for a Map of strings. The bytes are
 * shared with the ranking workers (PostgreSQL's uuid order breaks ties); the table is not.
 */

import { grow, sharedArray } from './shared-columns';

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

// Each character code's value as a hex digit (either case); 255 for anything else.
const HEX_VALUE = new Uint8Array(128).fill(255);
for (let i = 0; i < 16; i++) {
  HEX_VALUE['0123456789abcdef'.charCodeAt(i)] = i;
  HEX_VALUE['0123456789ABCDEF'.charCodeAt(i)] = i;
}

const hexValue = (code: number) => (code < 128 ? HEX_VALUE[code] : 255);

/**
 * Writes a UUID's 16 bytes at `at` (hex digits in either case, a dash before any pair); false for
 * a string that is not one. A million ids are written at each load: a table, not `parseInt`.
 */
function parseUuidInto(target: Uint8Array, at: number, id: string): boolean {
  let j = 0;
  for (let i = 0; i < 16; i++) {
    if (id.charCodeAt(j) === 45) j++; // '-'
    if (j + 1 >= id.length) return false;
    const hi = hexValue(id.charCodeAt(j));
    const lo = hexValue(id.charCodeAt(j + 1));
    if (hi === 255 || lo === 255) return false;
    target[at + i] = (hi << 4) | lo;
    j += 2;
  }
  return j === id.length;
}

/** Writes a UUID's 16 bytes at `at`; throws for a string that is not a UUID. */
export function writeUuid(target: Uint8Array, at: number, id: string): void {
  if (!parseUuidInto(target, at, id)) throw new Error(`not a UUID: ${JSON.stringify(id.slice(0, 40))}`);
}

/** Reads a UUID back, lowercase, with dashes. */
export function readUuid(source: Uint8Array, at: number): string {
  let s = '';
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) s += '-';
    s += HEX[source[at + i]];
  }
  return s;
}

/** Compares two stored UUIDs bytewise: PostgreSQL's order for the uuid type. */
export function compareUuids(bytes: Uint8Array, a: number, b: number): number {
  const x = a * 16;
  const y = b * 16;
  for (let i = 0; i < 16; i++) {
    const d = bytes[x + i] - bytes[y + i];
    if (d !== 0) return d;
  }
  return 0;
}

/** UUIDs of rows 0…n−1 and the way back from a UUID to its row. */
export class UuidTable {
  bytes: Uint8Array;
  private slots: Int32Array;
  private mask: number;
  private count = 0;
  private readonly scratch = new Uint8Array(16);

  constructor(capacity = 1024) {
    this.bytes = sharedArray(Uint8Array, capacity * 16);
    const size = 1 << Math.ceil(Math.log2(Math.max(16, capacity * 2)));
    this.slots = new Int32Array(size).fill(-1);
    this.mask = size - 1;
  }

  get size(): number {
    return this.count;
  }

  /** The row of an id, or −1. */
  rowOf(id: string): number {
    const s = this.scratch;
    if (!parseUuidInto(s, 0, id)) return -1;
    return this.rowOfBytes(s, 0);
  }

  /** The row of the id whose 16 bytes are at `at` in `source`, or −1. */
  rowOfBytes(source: Uint8Array, at: number): number {
    for (let h = this.hash(source, at); ; h = (h + 1) & this.mask) {
      const row = this.slots[h];
      if (row < 0) return -1;
      if (this.equals(row, source, at)) return row;
    }
  }

  idOf(row: number): string {
    return readUuid(this.bytes, row * 16);
  }

  /** Makes room for `rows` ids in all, at once (a load that knows its count). */
  reserve(rows: number): void {
    if (rows * 16 > this.bytes.length) this.bytes = grow(this.bytes, rows * 16);
    const size = 1 << Math.ceil(Math.log2(Math.max(16, rows * 2)));
    if (size > this.slots.length) this.rehash(size);
  }

  /** Adds an id as the next row (the caller knows it is new); returns its row. */
  add(id: string): number {
    writeUuid(this.scratch, 0, id);
    return this.addBytes(this.scratch, 0);
  }

  /** Adds the id whose 16 bytes are at `at` in `source` as the next row (the caller knows it is new). */
  addBytes(source: Uint8Array, at: number): number {
    const row = this.count;
    if (row * 16 + 16 > this.bytes.length) {
      this.bytes = grow(this.bytes, Math.max(this.bytes.length * 2, 16 * 1024));
    }
    for (let i = 0; i < 16; i++) this.bytes[row * 16 + i] = source[at + i];
    this.count++;
    if (this.count * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    else this.place(row);
    return row;
  }

  /** Moves the id of each of the first `rows` rows to row `to[row]` (a permutation of them); lookups follow. */
  renumber(to: Int32Array, rows: number): void {
    const bytes = sharedArray(Uint8Array, this.bytes.length);
    bytes.set(this.bytes.subarray(rows * 16), rows * 16);
    // Four words a row.
    const [from, into] = [new Uint32Array(this.bytes.buffer, 0, rows * 4), new Uint32Array(bytes.buffer, 0, rows * 4)];
    for (let row = 0; row < rows; row++) for (let w = 0; w < 4; w++) into[to[row] * 4 + w] = from[row * 4 + w];
    this.bytes = bytes;
    for (let h = 0; h < this.slots.length; h++) if (this.slots[h] >= 0) this.slots[h] = to[this.slots[h]];
  }

  /** Bytes the table holds. */
  get byteLength(): number {
    return this.bytes.byteLength + this.slots.byteLength;
  }

  private hash(b: Uint8Array, at: number): number {
    return ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) & this.mask;
  }

  private equals(row: number, s: Uint8Array, from: number): boolean {
    const at = row * 16;
    for (let i = 0; i < 16; i++) if (this.bytes[at + i] !== s[from + i]) return false;
    return true;
  }

  private place(row: number): void {
    let h = this.hash(this.bytes, row * 16);
    while (this.slots[h] >= 0) h = (h + 1) & this.mask;
    this.slots[h] = row;
  }

  private rehash(size: number): void {
    this.slots = new Int32Array(size).fill(-1);
    this.mask = size - 1;
    for (let row = 0; row < this.count; row++) this.place(row);
  }
}
