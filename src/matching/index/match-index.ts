/**
 * The match index: this instance's in-memory read model of everything ranking needs, in
 * columns (typed arrays, one slot per stakeholder) so that scoring a candidate touches a few
 * numbers and no objects. PostgreSQL stays the system of record: the index is loaded from it
 * and every change is re-read from it (see load-index.ts); it can always be rebuilt.
 */
import { dueInvitations, EMPTY_RECORD, evidence, NEUTRAL, trackOf, UNANSWERED_AFTER_DAYS } from '../track';
import { ServiceArea, StakeholderKind } from '../../domain/enums';
import { CHECK_SLOTS } from '../safeguarding';
import { contextsCount, scoredContexts } from '../inclusion';
import { serviceAreaOf } from '../reach';
import { UuidTable } from './uuid-table';
import { IndexLock } from './index-lock';
import type { RankPool } from '../workers/rank-pool';
import type { Stakeholder } from '../../domain/stakeholder/stakeholder.entity';
import { PageRows } from './page-rows';
import { compactSlices, wasteful } from './slice-pool';
import { renumberRows, ROW_COLUMNS, rowColumnsOf } from './row-order';
import { Columns, COLUMN_NAMES, grow, sharedArray, sharesLanguage } from './shared-columns';
import { emptyBlocks, placeInKind, sortKindLists, summariseBlocks, widenForRow } from './blocks';
import { AREAS, KINDS, kindNo, PRIOR_SLOT } from './column-codes';
import { ChallengeFacts, StakeholderFacts } from './index-facts';

/** Column generations handed out in this process (unique across indexes, so a worker never mixes two). */
let generations = 0;

/** Options of a {@link MatchIndex}. */
export interface MatchIndexOptions {
  /**
   * Days after which an unanswered invitation counts against a partner's track record.
   * @default 14
   */
  unansweredAfterDays?: number;
}

/** How {@link MatchIndex.setStakeholder} writes a row. */
export interface SetStakeholderOptions {
  /**
   * Widen the row's block summary now (a full load summarises every block at its end instead).
   * @default true
   */
  summarise?: boolean;
  /**
   * The id as 16 bytes (a binary load), used instead of the facts' `id`.
   * @default undefined
   */
  idBytes?: Uint8Array;
  /**
   * Where the id's bytes start in `idBytes`.
   * @default 0
   */
  idAt?: number;
}

/** The columns of every stakeholder, and the challenges. */
export class MatchIndex implements Columns {
  readonly unansweredAfterDays: number;
  readonly ids = new UuidTable(1024);
  kind = sharedArray(Uint8Array, 1024);
  lat = sharedArray(Float64Array, 1024);
  lon = sharedArray(Float64Array, 1024);
  sdgMask = sharedArray(Uint32Array, 1024);
  levelMask = sharedArray(Uint16Array, 1024);
  /** Contexts that count in the score (a family's never do), read by ranking. */
  scoredContexts = sharedArray(Uint8Array, 1024);
  /** Its contexts in order (inclusion.ts's `contextsCode`), read by explanations only. */
  contexts = sharedArray(Uint8Array, 1024);
  /** Track record evidence per row (outcomes in tenths, observations), and the counts its reasons cite. */
  trackTenths = sharedArray(Int32Array, 1024);
  trackObservations = sharedArray(Uint16Array, 1024);
  /**
   * The network's evidence, exact on every write: [outcome tenths, observations, published prior]. Only a
   * load and the scheduled refresh publish the prior (track-prior.ts): a write never moves another score.
   */
  trackTotals = sharedArray(Float64Array, 3);
  dueInvitations = sharedArray(Uint16Array, 1024);
  /** Due invitations accepted and declined (the rest went unanswered): what reasons say of answers. */
  acceptedAnswers = sharedArray(Uint16Array, 1024);
  declinedAnswers = sharedArray(Uint16Array, 1024);
  completed = sharedArray(Uint16Array, 1024);
  capacity = sharedArray(Int32Array, 1024);
  /** Accepted partnerships plus open invitations: a row qualifies while below its capacity (availability.ts). */
  accepted = sharedArray(Int32Array, 1024);
  /** 1 for a live stakeholder; erased and deleted ones stay as rows that never qualify. */
  alive = sharedArray(Uint8Array, 1024);
  region = sharedArray(Uint16Array, 1024);
  country = sharedArray(Uint16Array, 1024);
  /** Reach, as a position in {@link AREAS}. */
  area = sharedArray(Uint8Array, 1024);
  /** Safeguarding: per row, the issued day of its latest verified check of each type (safeguarding.ts). */
  checkDays = sharedArray(Uint16Array, 1024 * CHECK_SLOTS);
  /** Tags and languages: offsets into shared pools; a changed row appends a fresh slice. */
  tagStart = sharedArray(Uint32Array, 1024);
  tagEnd = sharedArray(Uint32Array, 1024);
  tagPool = sharedArray(Int32Array, 4096);
  langStart = sharedArray(Uint32Array, 1024);
  langEnd = sharedArray(Uint32Array, 1024);
  langPool = sharedArray(Uint8Array, 4096);
  private tagUsed = 0;
  private langUsed = 0;
  /** Entries of the pools in some row's current slice (the rest was left behind by rewrites). */
  private tagLive = 0;
  private langLive = 0;
  /** Dictionaries: language codes, region codes and country codes by number (0 means none). */
  readonly languages: string[] = [''];
  readonly regions: string[] = [''];
  readonly countries: string[] = [''];
  private readonly dict = new Map<string, number>();
  readonly challenges = new Map<string, ChallengeFacts>();
  /** Moves whenever a challenge or the tag list is rewritten (what prepared challenges are kept by). */
  challengeVersion = 0;
  /** Highest expertise tag id seen: a higher one is a new tag, which may change challenges' links. */
  maxTagId = 0;
  /** Each region's code with every region inside it (for the `regionCode` filter). */
  regionTree = new Map<string, Set<string>>();

  get size(): number {
    return this.ids.size;
  }

  /** Whether the first load finished (until then /readyz answers 503). */
  loaded = false;

  constructor(options: MatchIndexOptions = {}) {
    this.unansweredAfterDays = options.unansweredAfterDays ?? UNANSWERED_AFTER_DAYS;
    this.trackTotals[PRIOR_SLOT] = NEUTRAL;
  }

  /**
   * Makes room for `rows` stakeholders at once (a full load knows how many it reads): the columns
   * and the id table are sized once, exactly, instead of growing by half again and again as rows
   * arrive — no copies during the load, and no slack of up to a third held afterwards.
   */
  reserveRows(rows: number): void {
    this.lock.assertWritable();
    this.reserve(rows);
    this.ids.reserve(rows);
  }

  /** Takes over a freshly loaded index's contents (after a bulk import), in place; its blocks come sorted. */
  replaceWith(other: MatchIndex): void {
    this.lock.assertWritable();
    const { lock, ranker, pageRows } = this;
    Object.assign(this, other, { lock, ranker, pageRows, layout: this.layout + 1 });
    pageRows.clear();
  }

  /**
   * Moves whenever rows may have moved (a load renumbering them, a reload replacing them): what
   * reads rows across an await checks it (rank-on-index.ts's `onOneLayout`).
   */
  layout = 0;

  /** Guards the shared columns: rankings read under it, writes wait for them (index-lock.ts). */
  lock = new IndexLock();

  /** The worker pool that ranks on this index (absent: rankings run on the calling thread). */
  ranker?: RankPool;

  /** The rows suggestion pages show, kept current with the index (page-rows.ts). */
  pageRows = new PageRows<Stakeholder>();

  /** Row of a stakeholder id, or −1. */
  rowOf(id: string): number {
    return this.ids.rowOf(id);
  }

  /** The prior of every track record: the network's mean outcome (track.ts) as last published. */
  get trackPrior(): number {
    return this.trackTotals[PRIOR_SLOT];
  }

  /** A row's track record value, around the network's prior. */
  trackAt(row: number, prior = this.trackPrior): number {
    return trackOf(this.trackTenths[row], this.trackObservations[row], prior);
  }

  /**
   * Writes (or rewrites) one stakeholder's columns. A full load passes `summarise: false` and
   * calls {@link organize} at its end, which summarises every block afresh (nothing ranks before),
   * and gives the id as its 16 bytes (`idBytes` at `idAt`) rather than as `s.id`.
   */
  setStakeholder(s: StakeholderFacts, options: SetStakeholderOptions = {}): number {
    this.lock.assertWritable();
    const { summarise = true, idBytes, idAt = 0 } = options;
    let row = idBytes ? this.ids.rowOfBytes(idBytes, idAt) : this.ids.rowOf(s.id);
    const isNew = row < 0;
    if (isNew) {
      row = idBytes ? this.ids.addBytes(idBytes, idAt) : this.ids.add(s.id);
      this.reserve(row + 1);
    }
    const k = kindNo(s.kind);
    if (isNew || this.kind[row] !== k) placeInKind(this, row, isNew ? -1 : this.kind[row], k);
    this.kind[row] = k;
    this.lat[row] = s.latitude ?? NaN;
    this.lon[row] = s.longitude ?? NaN;
    this.sdgMask[row] = s.sdgMask;
    this.levelMask[row] = s.levelMask;
    // A family's contexts take no part (inclusion.ts's one rule): neither held nor counted.
    this.contexts[row] = scoredContexts(s.kind, s.contexts);
    this.scoredContexts[row] = contextsCount(this.contexts[row]);
    this.setActivity(row, s, isNew);
    this.capacity[row] = s.capacity;
    this.alive[row] = s.erased ? 0 : 1;
    this.region[row] = this.code(this.regions, 'r', s.regionCode);
    this.country[row] = this.code(
      this.countries,
      'c',
      s.countryCode ?? (s.regionCode ? s.regionCode.slice(0, 2) : null),
    );
    this.area[row] = AREAS.indexOf(serviceAreaOf(s.kind as StakeholderKind, s.serviceArea as ServiceArea | null));
    this.setTags(row, s.expertiseIds);
    this.setLanguages(row, s.languages);
    if (summarise) widenForRow(this, row);
    return row;
  }

  /**
   * A row's room taken, track record and checks: what a stakeholder's partnerships and checks say
   * of it. A full load writes them after the rows (few stakeholders have any), `isNew` false.
   */
  setActivity(row: number, s: Pick<StakeholderFacts, 'accepted' | 'record' | 'checks'>, isNew = false): void {
    this.lock.assertWritable();
    const record = s.record ?? EMPTY_RECORD;
    const { tenths, observations } = evidence(record);
    // The network's totals (its prior) follow every rewrite exactly: whole tenths.
    this.trackTotals[0] += tenths - (isNew ? 0 : this.trackTenths[row]);
    this.trackTotals[1] += observations - (isNew ? 0 : this.trackObservations[row]);
    this.trackTenths[row] = tenths;
    this.trackObservations[row] = Math.min(0xffff, observations);
    this.dueInvitations[row] = Math.min(0xffff, dueInvitations(record));
    this.acceptedAnswers[row] = Math.min(0xffff, record.promptAccepts + record.lateAccepts);
    this.declinedAnswers[row] = Math.min(0xffff, record.declines);
    this.completed[row] = Math.min(0xffff, record.completed);
    this.accepted[row] = s.accepted;
    for (let t = 0; t < CHECK_SLOTS; t++) this.checkDays[row * CHECK_SLOTS + t] = s.checks?.[t] ?? 0;
  }

  /**
   * Rows of each kind (the first `kindCount[k]` of `kindRows[k]`): a challenge that wants some
   * kinds scans only theirs, about a ninth of the rows each.
   */
  kindRows: Int32Array[] = KINDS.map(() => sharedArray(Int32Array, 256));
  kindCount = sharedArray(Int32Array, KINDS.length);
  /** Summaries of each kind's blocks of rows, which ranking skips by (blocks.ts). */
  kindBlocks: Float64Array[] = KINDS.map(() => emptyBlocks(8));
  /** Summaries of each kind's superblocks (16 blocks each). */
  kindSupers: Float64Array[] = KINDS.map(() => emptyBlocks(1));
  /** Each row's position in its kind's list, to find its block (only the index reads it). */
  kindPos = sharedArray(Int32Array, 1024);

  /**
   * Sorts each kind's rows so that blocks are tight, renumbers the rows in that order and rebuilds
   * the pools in it (row-order.ts): a block's rows are neighbours in every column. Then summarises
   * the blocks afresh, reading rows in memory order. After a full load, before any ranking.
   */
  organize(): void {
    this.lock.assertWritable();
    sortKindLists(this);
    renumberRows(this);
    this.layout++;
    for (const c of this.challenges.values()) c.schoolRow = undefined;
    const tags = compactSlices(this.tagPool, this.tagStart, this.tagEnd, this.size, this.tagLive);
    const languages = compactSlices(this.langPool, this.langStart, this.langEnd, this.size, this.langLive);
    [this.tagPool, this.tagUsed, this.langPool, this.langUsed] = [tags.pool, tags.used, languages.pool, languages.used];
    summariseBlocks(this);
  }

  /** A stakeholder that no longer exists never qualifies again. */
  removeStakeholder(id: string): void {
    this.lock.assertWritable();
    const row = this.ids.rowOf(id);
    if (row >= 0) this.alive[row] = 0;
  }

  /** Tags of a row (a view into the pool). */
  tagsOf(row: number): Int32Array {
    return this.tagPool.subarray(this.tagStart[row], this.tagEnd[row]);
  }

  /** Language codes of a row. */
  languagesOf(row: number): string[] {
    const out: string[] = [];
    for (let i = this.langStart[row]; i < this.langEnd[row]; i++) out.push(this.languages[this.langPool[i]]);
    return out;
  }

  /** Whether two rows share a language; null when either states none (preference-fit's signal). */
  sharesLanguage(a: number, b: number): boolean | null {
    return sharesLanguage(this, a, b);
  }

  /** The 16 bytes of each row's UUID (shared). */
  get idBytes(): Uint8Array {
    return this.ids.bytes;
  }

  /**
   * The columns as a plain object of shared arrays, what a ranking worker is sent: the same
   * object (and `generation`) until a column is replaced by a bigger one or the index reloaded.
   */
  columns(): Columns & { generation: number } {
    const last = this.snapshot;
    const perKind = ['kindRows', 'kindBlocks', 'kindSupers'] as const;
    const moved =
      !last ||
      COLUMN_NAMES.some((name) => !(perKind as readonly string[]).includes(name) && last[name] !== this[name]) ||
      perKind.some((name) => this[name].some((a, k) => last[name][k] !== a));
    if (moved) {
      const cols = Object.fromEntries(COLUMN_NAMES.map((name) => [name, this[name]])) as unknown as Columns;
      const lists = {
        kindRows: [...this.kindRows],
        kindBlocks: [...this.kindBlocks],
        kindSupers: [...this.kindSupers],
      };
      this.snapshot = { ...cols, ...lists, generation: ++generations };
    }
    return this.snapshot!;
  }

  private snapshot?: Columns & { generation: number };

  /** Bytes held by the stakeholder columns, pools and id table (the challenges aside). */
  get byteLength(): number {
    // Every typed array the index holds, and each kind's lists and blocks.
    let bytes = this.ids.byteLength;
    for (const value of Object.values(this) as unknown[]) {
      if (ArrayBuffer.isView(value)) bytes += value.byteLength;
      else if (Array.isArray(value) && ArrayBuffer.isView(value[0]))
        for (const a of value as ArrayBufferView[]) bytes += a.byteLength;
    }
    return bytes;
  }

  /** Codes the dictionaries hold (a prepared challenge's country and region numbers depend on them). */
  get dictionarySize(): number {
    return this.dict.size;
  }

  /** Region code number, for filters. */
  regionNo(code: string): number {
    return this.dict.get(`r${code}`) ?? -1;
  }

  /** Country code number; −1 for a country no stakeholder is in. */
  countryNo(code: string): number {
    return this.dict.get(`c${code}`) ?? -1;
  }

  private code(table: string[], prefix: string, value: string | null): number {
    if (!value) return 0;
    const key = prefix + value;
    let n = this.dict.get(key);
    if (n === undefined) {
      n = table.length;
      table.push(value);
      this.dict.set(key, n);
    }
    return n;
  }

  private setTags(row: number, tags: readonly number[]): void {
    this.tagLive += tags.length - (this.tagEnd[row] - this.tagStart[row]);
    if (wasteful(this.tagUsed, this.tagLive)) {
      const c = compactSlices(this.tagPool, this.tagStart, this.tagEnd, this.size, this.tagLive);
      [this.tagPool, this.tagUsed] = [c.pool, c.used];
    }
    const start = this.tagUsed;
    this.tagPool = grow(this.tagPool, start + tags.length);
    for (let i = 0; i < tags.length; i++) this.tagPool[start + i] = tags[i];
    this.tagStart[row] = start;
    this.tagEnd[row] = start + tags.length;
    this.tagUsed += tags.length;
  }

  private setLanguages(row: number, codes: readonly string[]): void {
    this.langLive += codes.length - (this.langEnd[row] - this.langStart[row]);
    if (wasteful(this.langUsed, this.langLive)) {
      const c = compactSlices(this.langPool, this.langStart, this.langEnd, this.size, this.langLive);
      [this.langPool, this.langUsed] = [c.pool, c.used];
    }
    const start = this.langUsed;
    this.langPool = grow(this.langPool, start + codes.length);
    codes.forEach((c, i) => (this.langPool[start + i] = this.code(this.languages, 'l', c)));
    this.langStart[row] = start;
    this.langEnd[row] = start + codes.length;
    this.langUsed += codes.length;
  }

  private reserve(rows: number): void {
    if (rows <= this.rowRoom) return;
    // Each column for itself: growing by half rounds differently for one slot a row than for four.
    const columns = rowColumnsOf(this);
    for (const [name, perRow] of ROW_COLUMNS) columns[name] = grow(columns[name], rows * perRow);
    this.rowRoom = Math.min(...ROW_COLUMNS.map(([name, perRow]) => Math.floor(columns[name].length / perRow)));
  }

  /** Rows every per-row column has room for (a new row within it grows nothing). */
  private rowRoom = 0;
}
