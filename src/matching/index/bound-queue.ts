/**
 * The best-first search's frontier (rank.ts): superblocks and blocks of rows by the bound on
 * their best score, the highest first. A binary max-heap over parallel typed arrays (bounds and a
 * packed position), grown by doubling; one per ranking.
 */
export class BoundQueue {
  private bounds: Float64Array = new Float64Array(256);
  private items: Float64Array = new Float64Array(256);
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Adds an item (a non-negative integer below 2^53) with its bound. */
  push(bound: number, item: number): void {
    if (this.count === this.bounds.length) {
      this.bounds = grown(this.bounds);
      this.items = grown(this.items);
    }
    const { bounds, items } = this;
    let i = this.count++;
    while (i > 0) {
      const up = (i - 1) >> 1;
      if (bounds[up] >= bound) break;
      bounds[i] = bounds[up];
      items[i] = items[up];
      i = up;
    }
    bounds[i] = bound;
    items[i] = item;
  }

  /** The highest bound queued (−∞ when empty). */
  peekBound(): number {
    return this.count > 0 ? this.bounds[0] : -Infinity;
  }

  /** Removes the item with the highest bound and answers it (the queue must not be empty). */
  pop(): number {
    const { bounds, items } = this;
    const top = items[0];
    const n = --this.count;
    const bound = bounds[n];
    const item = items[n];
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const c = l + 1 < n && bounds[l + 1] > bounds[l] ? l + 1 : l;
      if (bounds[c] <= bound) break;
      bounds[i] = bounds[c];
      items[i] = items[c];
      i = c;
    }
    bounds[i] = bound;
    items[i] = item;
    return top;
  }
}

function grown(a: Float64Array): Float64Array {
  const next = new Float64Array(a.length * 2);
  next.set(a);
  return next;
}
