/**
 * The next best partners of a challenge after an invitation was declined or expired: the best
 * suggestions not yet contacted for it (never invited, proposed or dismissed on it, whatever came
 * of it), from the same ranking as `suggestPartners`.
 */
import { DataSource } from 'typeorm';
import { publicName } from '../domain/stakeholder/privacy';
import { Stakeholder } from '../domain/stakeholder/stakeholder.entity';
import { MatchIndex } from './index/match-index';
import { suggestPartnersOnIndex } from './suggest.service';
import type { ScoredMatch } from './match.service';

/** Suggestions looked at to find the next best (a page of the ranking). @default 30 */
export const NEXT_BEST_WINDOW = 30;

/** The next `n` best matches for a challenge not yet contacted for it. */
export async function nextBestPartners(
  index: MatchIndex,
  dataSource: DataSource,
  challengeId: string,
  n = 3,
): Promise<ScoredMatch[]> {
  if (!index.loaded || !index.challenges.has(challengeId)) return [];
  const contacted: { id: string }[] = await dataSource.query(
    `SELECT stakeholder_id AS id FROM partnership WHERE challenge_id = $1
     UNION SELECT stakeholder_id FROM dismissal WHERE challenge_id = $1`,
    [challengeId],
  );
  const skip = new Set(contacted.map((r) => r.id));
  const page = await suggestPartnersOnIndex(
    index,
    { challengeId, first: NEXT_BEST_WINDOW },
    (ids) => dataSource.getRepository(Stakeholder).findBy(ids.map((id) => ({ id }))),
    async () => [], // no expertise filter: nothing to resolve
  );
  return page.matches.filter((m) => !skip.has(m.stakeholderId)).slice(0, n);
}

/** Their names, as anyone may see them (a digest's). */
export async function nextBestNames(index: MatchIndex, dataSource: DataSource, challengeId: string) {
  const best = await nextBestPartners(index, dataSource, challengeId);
  if (!best.length) return [];
  const rows = await dataSource.getRepository(Stakeholder).findBy(best.map((b) => ({ id: b.stakeholderId })));
  const byId = new Map(rows.map((r) => [r.id, r]));
  return best
    .map((b) => byId.get(b.stakeholderId))
    .filter((s): s is Stakeholder => !!s)
    .map(publicName);
}
