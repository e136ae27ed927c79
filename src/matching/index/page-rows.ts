/**
 * The rows a suggestion page shows (partners and schools), kept in memory beside the match index
 * and current the same way: every relayed change that touches a stakeholder forgets it here in the
 * same write that updates the index (load-index.ts), on every instance. A row read from the
 * database while such a change was applied is served but not kept, so a stale row is never cached.
 */
import { LRUCache } from 'lru-cache';

/** Options of {@link PageRows}. */
export interface PageRowsOptions {
  /**
   * Rows kept (the least recently used go first).
   * @default 50000
   */
  max?: number;
}

/** A bounded cache of page rows by id, invalidated by relayed changes. */
export class PageRows<T extends { id: string }> {
  private readonly rows: LRUCache<string, T>;
  /** Moves with every change forgotten: a read that saw it move keeps nothing. */
  private changes = 0;

  constructor(options: PageRowsOptions = {}) {
    this.rows = new LRUCache<string, T>({ max: options.max ?? 50_000 });
  }

  /** The rows of `ids` that exist, from memory, reading the others with `read` (one call). */
  async load(ids: readonly string[], read: (ids: string[]) => Promise<T[]>): Promise<T[]> {
    const missing = [...new Set(ids.filter((id) => !this.rows.has(id)))];
    if (missing.length) {
      const before = this.changes;
      const found = await read(missing);
      const kept = this.changes === before;
      for (const row of found) {
        // Shared by every request from here on: frozen, so no reader can change it for the others.
        if (kept) this.rows.set(row.id, Object.freeze(row));
      }
      if (!kept) return this.pick(ids, new Map(found.map((row) => [row.id, row])));
    }
    return this.pick(ids, new Map());
  }

  /** Forgets rows a relayed change touched. */
  forget(ids: Iterable<string>): void {
    this.changes++;
    for (const id of ids) this.rows.delete(id);
  }

  /** Forgets everything (the index was reloaded). */
  clear(): void {
    this.changes++;
    this.rows.clear();
  }

  /** Rows held now. */
  get size(): number {
    return this.rows.size;
  }

  private pick(ids: readonly string[], fresh: Map<string, T>): T[] {
    const out: T[] = [];
    for (const id of ids) {
      const row = fresh.get(id) ?? this.rows.get(id);
      if (row) out.push(row);
    }
    return out;
  }
}
