/**
 * Blocks: each kind's row list (`kindRows[k]`) cut into runs of {@link BLOCK_SIZE} entries, each
 * with a summary of its rows (SDGs, tags, bounding box, reach, contexts, track, whether any has
 * room) in one shared `Float64Array` per kind, so ranking can bound a whole block's best score and
 * skip it (block-bound.ts). A summary only has to cover its rows, never to be tight: writes widen
 * it, and a full load sorts each list (by country, place, SDGs) so that near rows share blocks and
 * then computes tight summaries afresh. Only the index writes here, under its lock.
 */
import { trackOf } from '../track';
import { Columns, grow, popcount, sharedArray } from './shared-columns';

/**
 * Rows per block, as a shift: a position's block is `at >> BLOCK_SHIFT`. 16 rows: at 100k and 1M
 * generated stakeholders, 32 left half again as many rows to score, 8 spent more on bounds than it saved.
 */
export const BLOCK_SHIFT = 4;
/** Rows per block. */
export const BLOCK_SIZE = 1 << BLOCK_SHIFT;
/**
 * Rows per superblock, as a shift: 16 blocks (256 rows) share a summary of the same layout that
 * covers them all, so ranking rules out a run of blocks far from the challenge with one bound.
 */
export const SUPER_SHIFT = 8;

/** Where each field of a block's summary sits, at `block * STRIDE + field`. */
export const SDG_OR = 0;
/** Fewest SDGs any of its rows states. */
export const SDG_MIN = 1;
/** Its rows' tags hashed into 64 bits (`tag & 63`), low and high halves. */
export const TAG_LO = 2;
export const TAG_HI = 3;
/** Bounding box of its located rows (+∞/−∞ when none is located). */
export const MIN_LAT = 4;
export const MAX_LAT = 5;
export const MIN_LON = 6;
export const MAX_LON = 7;
/** 1 when some row has no location. */
export const UNLOCATED = 8;
/** Widest reach (a position in AREAS). */
export const MAX_AREA = 9;
/** The one country (or region) number of all its rows, else {@link MIXED} ({@link EMPTY} before any row). */
export const COUNTRY = 10;
export const REGION = 11;
export const MAX_CONTEXTS = 12;
/**
 * Highest track value of its rows at a prior of 0 and of 1: a row's track is linear in the
 * prior (track.ts), so at any prior in [0, 1] no row exceeds the line between them.
 */
export const TRACK_AT_0 = 13;
export const TRACK_AT_1 = 14;
/** 1 when some row was written alive with room (capacity above its accepted partnerships). */
export const OPEN = 15;
/** Numbers per block. */
export const STRIDE = 16;

/** A country or region field before the block has a row. */
export const EMPTY = -1;
/** A country or region field of a block whose rows are in more than one. */
export const MIXED = -2;

/**
 * Summaries kept per kind: a block's per {@link BLOCK_SIZE} entries of its list, a superblock's
 * per 2^{@link SUPER_SHIFT}; a row's summaries are those of `pos >> BLOCK_SHIFT` and `pos >> SUPER_SHIFT`.
 */
const LEVELS = [
  ['kindBlocks', BLOCK_SHIFT],
  ['kindSupers', SUPER_SHIFT],
] as const;

/** What the index keeps to maintain blocks: the columns, and each row's position in its kind's list. */
export interface KindLists extends Columns {
  /** Position of each row in its kind's list (meaningless for a row of no known kind). */
  kindPos: Int32Array;
}

/** Summaries of no rows at all: what a block starts from before it is widened. */
function resetBlock(blocks: Float64Array, b: number): void {
  const o = b * STRIDE;
  blocks.fill(0, o, o + STRIDE);
  blocks[o + SDG_MIN] = Infinity;
  blocks[o + MIN_LAT] = Infinity;
  blocks[o + MAX_LAT] = -Infinity;
  blocks[o + MIN_LON] = Infinity;
  blocks[o + MAX_LON] = -Infinity;
  blocks[o + COUNTRY] = EMPTY;
  blocks[o + REGION] = EMPTY;
  blocks[o + TRACK_AT_0] = -Infinity;
  blocks[o + TRACK_AT_1] = -Infinity;
}

const merge = (was: number, value: number) => (was === EMPTY || was === value ? value : MIXED);

/** Widens block `b` so that its summary covers `row` as the columns hold it now. */
export function widenBlock(cols: Columns, blocks: Float64Array, b: number, row: number): void {
  const o = b * STRIDE;
  const mask = cols.sdgMask[row];
  blocks[o + SDG_OR] = (blocks[o + SDG_OR] | mask) >>> 0;
  blocks[o + SDG_MIN] = Math.min(blocks[o + SDG_MIN], popcount(mask));
  let lo = blocks[o + TAG_LO];
  let hi = blocks[o + TAG_HI];
  for (let i = cols.tagStart[row]; i < cols.tagEnd[row]; i++) {
    const bit = cols.tagPool[i] & 63;
    if (bit < 32) lo = (lo | (1 << bit)) >>> 0;
    else hi = (hi | (1 << (bit - 32))) >>> 0;
  }
  blocks[o + TAG_LO] = lo;
  blocks[o + TAG_HI] = hi;
  const lat = cols.lat[row];
  const lon = cols.lon[row];
  if (Number.isNaN(lat) || Number.isNaN(lon)) blocks[o + UNLOCATED] = 1;
  else {
    blocks[o + MIN_LAT] = Math.min(blocks[o + MIN_LAT], lat);
    blocks[o + MAX_LAT] = Math.max(blocks[o + MAX_LAT], lat);
    blocks[o + MIN_LON] = Math.min(blocks[o + MIN_LON], lon);
    blocks[o + MAX_LON] = Math.max(blocks[o + MAX_LON], lon);
  }
  blocks[o + MAX_AREA] = Math.max(blocks[o + MAX_AREA], cols.area[row]);
  blocks[o + COUNTRY] = merge(blocks[o + COUNTRY], cols.country[row]);
  blocks[o + REGION] = merge(blocks[o + REGION], cols.region[row]);
  blocks[o + MAX_CONTEXTS] = Math.max(blocks[o + MAX_CONTEXTS], cols.scoredContexts[row]);
  const tenths = cols.trackTenths[row];
  const observations = cols.trackObservations[row];
  blocks[o + TRACK_AT_0] = Math.max(blocks[o + TRACK_AT_0], trackOf(tenths, observations, 0));
  blocks[o + TRACK_AT_1] = Math.max(blocks[o + TRACK_AT_1], trackOf(tenths, observations, 1));
  if (cols.alive[row] !== 0 && cols.capacity[row] > 0 && cols.accepted[row] < cols.capacity[row]) blocks[o + OPEN] = 1;
}

/** Room for `count` empty blocks, shared. */
export function emptyBlocks(count: number): Float64Array {
  const blocks = sharedArray(Float64Array, Math.max(1, count) * STRIDE);
  for (let b = 0; b < Math.max(1, count); b++) resetBlock(blocks, b);
  return blocks;
}

/** Kind `k`'s summaries of one level, grown (by half, so appends stay amortised O(1)) to hold number `b`. */
function blocksFor(ix: KindLists, level: 'kindBlocks' | 'kindSupers', k: number, b: number): Float64Array {
  const had = ix[level][k].length / STRIDE;
  if (had <= b) {
    const next = emptyBlocks(Math.max(b + 1, Math.ceil(had * 1.5)));
    next.set(ix[level][k]);
    ix[level][k] = next;
  }
  return ix[level][k];
}

/** Widens the summaries at position `at` of kind `k`'s list (its block's and superblock's) to cover `row`. */
function widenAt(ix: KindLists, k: number, at: number, row: number): void {
  for (const [level, shift] of LEVELS) widenBlock(ix, blocksFor(ix, level, k, at >> shift), at >> shift, row);
}

/** Widens the summaries that hold `row` (its columns written) to cover it. */
export function widenForRow(ix: KindLists, row: number): void {
  const k = ix.kind[row];
  if (k >= ix.kindRows.length) return;
  widenAt(ix, k, ix.kindPos[row], row);
}

/**
 * Moves a row from kind `from`'s list (−1: none) to the end of kind `to`'s. The list's last row
 * takes its place (swap-remove), and that block (and superblock) is widened for it; the row's own
 * new ones are widened by {@link widenForRow} once its columns are written.
 */
export function placeInKind(ix: KindLists, row: number, from: number, to: number): void {
  const kinds = ix.kindRows.length;
  if (from >= 0 && from < kinds) {
    const at = ix.kindPos[row];
    const last = --ix.kindCount[from];
    const moved = ix.kindRows[from][last];
    ix.kindRows[from][at] = moved;
    ix.kindPos[moved] = at;
    if (moved !== row) widenAt(ix, from, at, moved);
  }
  if (to < 0 || to >= kinds) return;
  const at = ix.kindCount[to]++;
  ix.kindRows[to] = grow(ix.kindRows[to], at + 1);
  ix.kindRows[to][at] = row;
  ix.kindPos[row] = at;
  // The first row of a block (or superblock): what it held before (rows since moved away) no longer counts.
  for (const [level, shift] of LEVELS) {
    const blocks = blocksFor(ix, level, to, at >> shift);
    if ((at & ((1 << shift) - 1)) === 0) resetBlock(blocks, at >> shift);
  }
}

/** A 20-bit Z-order code of a 0.5° cell, so that a run of rows in code order stays in one small area. */
function cellCode(lat: number, lon: number): number {
  if (Number.isNaN(lat) || Number.isNaN(lon)) return (1 << 20) - 1;
  const y = Math.min(1023, Math.max(0, Math.floor((lat + 90) * 2)));
  const x = Math.min(1023, Math.max(0, Math.floor((lon + 180) * 2)));
  let code = 0;
  for (let bit = 0; bit < 10; bit++) code |= (((y >> bit) & 1) << (2 * bit + 1)) | (((x >> bit) & 1) << (2 * bit));
  return code;
}

/**
 * Sorts each kind's list so that blocks are tight — by country, then 0.5° cell in Z-order (rows
 * without a location last), then SDG mask — and records each row's position. After a full load;
 * the order of a list is free (ranking's answers do not depend on it). The summaries follow, once
 * the rows are renumbered in this order ({@link summariseBlocks}).
 */
export function sortKindLists(ix: KindLists): void {
  // country (16 bits) · cell (20) · SDGs 1–17 (17): 53 bits, an exact double.
  const key = new Float64Array(ix.kind.length);
  for (let k = 0; k < ix.kindRows.length; k++) {
    const count = ix.kindCount[k];
    const rows = ix.kindRows[k].subarray(0, count);
    for (const row of rows) {
      key[row] =
        ix.country[row] * 2 ** 37 + cellCode(ix.lat[row], ix.lon[row]) * 2 ** 17 + ((ix.sdgMask[row] >>> 1) & 0x1ffff);
    }
    sortRowsByKey(rows, key);
    for (let at = 0; at < count; at++) ix.kindPos[rows[at]] = at;
  }
}

/**
 * Computes every block's summary, and every superblock's, afresh. After {@link sortKindLists}
 * and the renumbering that follows it (row-order.ts): a block's rows are then neighbours in every
 * column, read in memory order (before it, each row read missed the cache once per column).
 */
export function summariseBlocks(ix: KindLists): void {
  for (let k = 0; k < ix.kindRows.length; k++) {
    const count = ix.kindCount[k];
    const rows = ix.kindRows[k];
    const blocks = (ix.kindBlocks[k] = emptyBlocks(Math.ceil(count / BLOCK_SIZE)));
    for (let at = 0; at < count; at++) widenBlock(ix, blocks, at >> BLOCK_SHIFT, rows[at]);
    const supers = (ix.kindSupers[k] = emptyBlocks(Math.ceil(count / (1 << SUPER_SHIFT))));
    for (let b = 0; b < blocks.length / STRIDE; b++) mergeBlock(blocks, b, supers, b >> (SUPER_SHIFT - BLOCK_SHIFT));
  }
}

/** Bits of a key each counting pass of {@link sortRowsByKey} orders by. */
const RADIX_BITS = 14;

/**
 * Sorts `rows` by `key[row]` (whole numbers below 2^56), equal keys by row, in place: the rows in
 * ascending order first, then four stable counting passes of 14 bits, lowest first: linear in the
 * rows, where a comparison sort called its comparator some twenty times a row at a 1,000,000 load.
 */
export function sortRowsByKey(rows: Int32Array, key: Float64Array): void {
  if (rows.length < 2) return;
  rows.sort();
  // Each row's key as two words of 28 bits, read by the passes two digits each.
  const low = new Uint32Array(key.length);
  const high = new Uint32Array(key.length);
  for (const row of rows) {
    high[row] = Math.floor(key[row] / 2 ** 28);
    low[row] = key[row] - high[row] * 2 ** 28;
  }
  const spare = new Int32Array(rows.length);
  const counts = new Int32Array(1 << RADIX_BITS);
  countingPass(rows, spare, low, 0, counts);
  countingPass(spare, rows, low, RADIX_BITS, counts);
  countingPass(rows, spare, high, 0, counts);
  countingPass(spare, rows, high, RADIX_BITS, counts);
}

/** Moves `from` into `into` ordered by the digit of `word[row]` at `shift`, keeping the order of equal digits. */
function countingPass(from: Int32Array, into: Int32Array, word: Uint32Array, shift: number, counts: Int32Array) {
  const mask = (1 << RADIX_BITS) - 1;
  counts.fill(0);
  for (let i = 0; i < from.length; i++) counts[(word[from[i]] >>> shift) & mask]++;
  for (let digit = 0, sum = 0; digit < counts.length; digit++) {
    const n = counts[digit];
    counts[digit] = sum;
    sum += n;
  }
  for (let i = 0; i < from.length; i++) {
    const row = from[i];
    into[counts[(word[row] >>> shift) & mask]++] = row;
  }
}

/** Widens summary `to` of `into` to cover every row summary `b` of `blocks` covers. */
function mergeBlock(blocks: Float64Array, b: number, into: Float64Array, to: number): void {
  const o = b * STRIDE;
  const t = to * STRIDE;
  for (const field of [SDG_OR, TAG_LO, TAG_HI]) into[t + field] = (into[t + field] | blocks[o + field]) >>> 0;
  for (const field of [SDG_MIN, MIN_LAT, MIN_LON]) into[t + field] = Math.min(into[t + field], blocks[o + field]);
  for (const field of [MAX_LAT, MAX_LON, UNLOCATED, MAX_AREA, MAX_CONTEXTS, TRACK_AT_0, TRACK_AT_1, OPEN]) {
    into[t + field] = Math.max(into[t + field], blocks[o + field]);
  }
  for (const field of [COUNTRY, REGION]) {
    if (blocks[o + field] !== EMPTY) into[t + field] = merge(into[t + field], blocks[o + field]);
  }
}
