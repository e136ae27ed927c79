/** The bounded heap a ranking keeps its best candidates in. */
import type { Ranked } from './rank';

/** A bounded heap keeping the best `keep` by `cmp` (worst on top). */
export class TopK {
  private readonly items: Ranked[] = [];
  constructor(
    private readonly keep: number,
    private readonly cmp: (a: Ranked, b: Ranked) => number,
  ) {}

  offer(r: Ranked): void {
    const h = this.items;
    if (h.length < this.keep) {
      h.push(r);
      let i = h.length - 1;
      while (i > 0) {
        const up = (i - 1) >> 1;
        if (this.cmp(h[i], h[up]) <= 0) break;
        [h[i], h[up]] = [h[up], h[i]];
        i = up;
      }
    } else if (this.keep > 0 && this.cmp(r, h[0]) < 0) {
      h[0] = r;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const rr = l + 1;
        let m = i;
        if (l < h.length && this.cmp(h[l], h[m]) > 0) m = l;
        if (rr < h.length && this.cmp(h[rr], h[m]) > 0) m = rr;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
  }

  full(): boolean {
    return this.items.length >= this.keep;
  }

  /** The lowest score kept (only meaningful when full). */
  worstScore(): number {
    return this.items.length ? this.items[0].score : -Infinity;
  }

  sorted(): Ranked[] {
    return [...this.items].sort(this.cmp);
  }
}
