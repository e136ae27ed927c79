/**
 * Team building: greedy weighted set cover. Each step adds the candidate that raises the
 * coverage of the needed expertise (by credit) and of the wanted kinds the most; ties go to the
 * better match score, then the smaller id. Stops at `size` or when nobody adds anything.
 */

/** Value of covering one more wanted kind, next to one fully covered expertise tag (1). */
export const KIND_GAIN = 0.5;

export interface TeamCandidate<K> {
  id: string;
  kind: K;
  score: number;
  /** Best credit this candidate earns per needed expertise id. */
  credits: ReadonlyMap<number, number>;
}

export interface Team<T> {
  members: T[];
  coveredNeeds: number[];
  missingNeeds: number[];
  coveredKinds: unknown[];
  missingKinds: unknown[];
}

export function greedyTeam<K, T extends TeamCandidate<K>>(
  candidates: readonly T[],
  neededIds: readonly number[],
  wantedKinds: readonly K[],
  size: number,
): Team<T> & { coveredKinds: K[]; missingKinds: K[] } {
  const best = new Map<number, number>(neededIds.map((id) => [id, 0]));
  const kinds = new Set<K>();
  const members: T[] = [];
  const pool = [...candidates];
  const nothingToCover = neededIds.length === 0 && wantedKinds.length === 0;
  const gain = (c: T) => {
    let g = 0;
    for (const id of neededIds) g += Math.max(0, (c.credits.get(id) ?? 0) - best.get(id)!);
    if (wantedKinds.includes(c.kind) && !kinds.has(c.kind)) g += KIND_GAIN;
    return g;
  };
  while (members.length < size && pool.length > 0) {
    let pick = -1;
    let pickGain = 0;
    pool.forEach((c, i) => {
      const g = nothingToCover ? 0 : gain(c);
      const better =
        pick < 0 ||
        g > pickGain + 1e-12 ||
        (Math.abs(g - pickGain) <= 1e-12 &&
          (c.score > pool[pick].score || (c.score === pool[pick].score && c.id < pool[pick].id)));
      if (better) {
        pick = i;
        pickGain = g;
      }
    });
    if (!nothingToCover && pickGain <= 0) break;
    const chosen = pool.splice(pick, 1)[0];
    members.push(chosen);
    kinds.add(chosen.kind);
    for (const id of neededIds) best.set(id, Math.max(best.get(id)!, chosen.credits.get(id) ?? 0));
  }
  return {
    members,
    coveredNeeds: neededIds.filter((id) => best.get(id)! > 0),
    missingNeeds: neededIds.filter((id) => best.get(id)! <= 0),
    coveredKinds: [...kinds],
    missingKinds: wantedKinds.filter((k) => !kinds.has(k)),
  };
}
