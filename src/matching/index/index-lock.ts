/**
 * One writer, many readers, on the request thread's event loop: rankings in workers read the
 * index's shared columns while they are "in flight"; the index is written only when none is, so
 * each ranking sees one version (never a row half-written, never a write between its rows).
 * Writers go first: once a write waits, new rankings queue behind it, so a stream of requests
 * cannot starve the relay. A write is synchronous and short (a batch of rows already read).
 */
export class IndexLock {
  private readers = 0;
  private writesWaiting = 0;
  private readonly readersWaiting: (() => void)[] = [];
  private readonly writersWaiting: (() => void)[] = [];

  /** Writes applied so far: the index's version (what a ranking read is the version it saw). */
  get version(): number {
    return this.writes;
  }

  private writes = 0;

  /** Rankings in flight now. */
  get inFlight(): number {
    return this.readers;
  }

  /** Runs `read` once no write is pending; writes wait until it settles. */
  async read<T>(read: () => Promise<T>): Promise<T> {
    if (this.writesWaiting > 0) await new Promise<void>((resolve) => this.readersWaiting.push(resolve));
    this.readers++;
    try {
      return await read();
    } finally {
      this.readers--;
      this.wake();
    }
  }

  /** Runs `write` (synchronous) when no ranking is in flight, before any ranking asked after it. */
  async write<T>(write: () => T): Promise<T> {
    if (this.readers > 0 || this.writesWaiting > 0) {
      this.writesWaiting++;
      await new Promise<void>((resolve) => this.writersWaiting.push(resolve));
      this.writesWaiting--;
    }
    try {
      return write();
    } finally {
      this.writes++;
      this.wake();
    }
  }

  /**
   * Throws when a write would race a ranking in flight: the invariant every write keeps. Every
   * write of the index calls it first, so it also counts them (writes made outside {@link write},
   * as a load or a test makes, included).
   */
  assertWritable(): void {
    if (this.readers > 0) throw new Error('The match index was written while a ranking read it');
    this.touches++;
  }

  /**
   * Changes at all since the index was made: moves with every {@link write} and every write the
   * index itself checks with {@link assertWritable}. What a ranking derived from may be kept by.
   */
  get stamp(): string {
    return `${this.writes}.${this.touches}`;
  }

  private touches = 0;

  private wake(): void {
    if (this.readers > 0) return;
    const writer = this.writersWaiting.shift();
    if (writer) return writer();
    for (const reader of this.readersWaiting.splice(0)) reader();
  }
}
