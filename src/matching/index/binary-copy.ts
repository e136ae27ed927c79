/**
 * PostgreSQL's binary COPY format, read as it streams in: the index's load reads a million rows
 * this way, without the driver's text parsing (a string per field, parsed again into numbers and
 * arrays: half of a text load's CPU and most of its garbage). Fields are read by position as
 * int4, float8, text, bool, uuid, int2[]/int4[] and text[]; an array of another element type is
 * refused, not misread. Short texts are shared strings, and nothing is allocated per tuple.
 * See https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.4.
 */

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const INT2_OID = 21;
const INT4_OID = 23;
const TEXT_OID = 25;

/** One tuple's fields: where each starts in `buffer`, and its length (−1: NULL). */
export class BinaryTuple {
  buffer: Buffer = Buffer.alloc(0);
  readonly starts: number[] = [];
  readonly lengths: number[] = [];

  isNull(field: number): boolean {
    return this.lengths[field] < 0;
  }

  int4(field: number): number {
    return this.buffer.readInt32BE(this.starts[field]);
  }

  float8OrNull(field: number): number | null {
    return this.isNull(field) ? null : this.buffer.readDoubleBE(this.starts[field]);
  }

  bool(field: number): boolean {
    return this.buffer[this.starts[field]] !== 0;
  }

  /** The field's 16 bytes (a uuid), where they start in {@link buffer}. */
  uuidAt(field: number): number {
    if (this.lengths[field] !== 16) throw new Error(`field ${field} is not a uuid`);
    return this.starts[field];
  }

  /** Short text (codes, labels) as one shared string per spelling: no new string for a value seen before. */
  codeOrNull(field: number): string | null {
    return this.isNull(field) ? null : this.code(this.starts[field], this.lengths[field]);
  }

  /** An int2[] or int4[] as the OR of `1 << element`, unsigned (SDG and level masks). */
  bitMask(field: number): number {
    let mask = 0;
    this.elements(field, false, (at, length) => {
      mask |= 1 << (length === 2 ? this.buffer.readInt16BE(at) : this.buffer.readInt32BE(at));
    });
    return mask >>> 0;
  }

  /** An int2[] or int4[] into `target` (emptied first). */
  intsInto(field: number, target: number[]): number[] {
    target.length = 0;
    this.elements(field, false, (at, length) =>
      target.push(length === 2 ? this.buffer.readInt16BE(at) : this.buffer.readInt32BE(at)),
    );
    return target;
  }

  /** A text[] of short codes into `target` (emptied first), each as {@link codeOrNull} gives it. */
  codesInto(field: number, target: string[]): string[] {
    target.length = 0;
    this.elements(field, true, (at, length) => target.push(this.code(at, length)));
    return target;
  }

  private readonly codes = new Map<number, string[]>();

  private code(at: number, length: number): string {
    const b = this.buffer;
    if (length > 32) return b.toString('utf8', at, at + length);
    let h = length;
    for (let i = 0; i < length; i++) h = Math.imul(h ^ b[at + i], 16777619);
    const seen = this.codes.get(h);
    if (seen) for (const s of seen) if (sameAscii(s, b, at, length)) return s;
    const s = b.toString('utf8', at, at + length);
    // Only plain ASCII is shared (its bytes are its characters); anything else is read each time.
    if (sameAscii(s, b, at, length)) this.codes.set(h, [...(seen ?? []), s]);
    return s;
  }

  // The elements of a one-dimensional array (or none: empty) of text, or of int2/int4 (`text` false).
  private elements(field: number, text: boolean, each: (at: number, length: number) => void): void {
    if (this.isNull(field)) return;
    const b = this.buffer;
    let at = this.starts[field];
    const dims = b.readInt32BE(at);
    const element = b.readUInt32BE(at + 8);
    if (text ? element !== TEXT_OID : element !== INT4_OID && element !== INT2_OID)
      throw new Error(`field ${field}: an array of type ${element}, read as ${text ? 'text' : 'integers'}`);
    if (dims === 0) return;
    if (dims !== 1) throw new Error(`field ${field}: an array of ${dims} dimensions`);
    const count = b.readInt32BE(at + 12);
    at += 20;
    for (let k = 0; k < count; k++) {
      const length = b.readInt32BE(at);
      at += 4;
      if (length < 0) throw new Error(`field ${field}: NULL in an array`);
      each(at, length);
      at += length;
    }
  }
}

function sameAscii(s: string, b: Buffer, at: number, length: number): boolean {
  if (s.length !== length) return false;
  for (let i = 0; i < length; i++) if (s.charCodeAt(i) !== b[at + i] || b[at + i] > 127) return false;
  return true;
}

/**
 * Reads tuples out of the chunks of a binary COPY as they arrive (a tuple may straddle chunks).
 * `push` calls `onTuple` for each whole tuple in order (the tuple object is reused: read it then)
 * and returns how many it read; `end` checks that the stream ended where the format says.
 */
export class BinaryCopyReader {
  private pending: Buffer = Buffer.alloc(0);
  private headerRead = false;
  private ended = false;
  private readonly tuple = new BinaryTuple();

  constructor(private readonly fields: number) {}

  push(chunk: Buffer, onTuple: (tuple: BinaryTuple) => void): number {
    const b = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    let at = 0;
    if (!this.headerRead) {
      if (b.length < SIGNATURE.length + 8) {
        this.pending = b;
        return 0;
      }
      if (!b.subarray(0, SIGNATURE.length).equals(SIGNATURE)) throw new Error('not a binary COPY stream');
      const extension = b.readInt32BE(SIGNATURE.length + 4);
      at = SIGNATURE.length + 8 + extension;
      this.headerRead = true;
    }
    const t = this.tuple;
    t.buffer = b;
    let read = 0;
    while (at + 2 <= b.length) {
      const count = b.readInt16BE(at);
      if (count === -1) {
        this.ended = true;
        at += 2;
        break;
      }
      if (this.ended) throw new Error('data after the end of a binary COPY');
      if (count !== this.fields) throw new Error(`a tuple of ${count} fields, expected ${this.fields}`);
      // The whole tuple first: its fields' lengths say where it ends.
      let p = at + 2;
      let whole = true;
      for (let f = 0; f < count; f++) {
        if (p + 4 > b.length) {
          whole = false;
          break;
        }
        const length = b.readInt32BE(p);
        t.starts[f] = p + 4;
        t.lengths[f] = length;
        p += 4 + Math.max(0, length);
        if (p > b.length) {
          whole = false;
          break;
        }
      }
      if (!whole) break;
      onTuple(t);
      read++;
      at = p;
    }
    this.pending = at < b.length ? Buffer.from(b.subarray(at)) : Buffer.alloc(0);
    return read;
  }

  /** Throws unless the trailer was read and nothing is left over. */
  end(): void {
    if (!this.ended || this.pending.length) throw new Error('binary COPY stream ended early');
  }
}
