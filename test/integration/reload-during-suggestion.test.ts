/**
 * A reload while serving (an instance the outbox was pruned past reads everything again) replaces
 * every row of the index, in another order. A suggestion ranks under the index's lock, then reads
 * the rows it found (their ids, their facts for the explanations) after awaiting their page rows:
 * a reload in between must not pair one stakeholder's score with another's facts. Each suggestion
 * here meets a reload at exactly that point and must answer as a fresh index does.
 */
import { loadMatchIndex, refreshIndex } from '../../src/matching/index/load-index';
import { LAYOUT_TRIES } from '../../src/matching/index/rank-on-index';
import { MatchIndex } from '../../src/matching/index/match-index';
import {
  matchOfPairOnIndex,
  suggestChallengesOnIndex,
  suggestPartnersOnIndex,
  suggestTeamOnIndex,
} from '../../src/matching/suggest.service';
import { DomainErrorCode } from '../../src/domain/errors';
import { loadStakeholders, seedMatchNetwork, tagIdsOf } from '../helpers/match-network';
import { createTestDatabase, TestDatabase } from '../helpers/database';

let db: TestDatabase;
let challengeIds: string[];
beforeAll(async () => {
  db = await createTestDatabase();
  challengeIds = await seedMatchNetwork(db.dataSource);
}, 120_000);
afterAll(async () => {
  await db?.drop();
});

/** An index with the rows taken in one by one, newest id first: its rows are in another order than a load's. */
async function indexOutOfOrder(): Promise<MatchIndex> {
  const index = new MatchIndex();
  const all: { id: string }[] = await db.dataSource.query('SELECT id FROM stakeholder ORDER BY id DESC');
  await refreshIndex(index, db.dataSource, { stakeholderIds: all.map((r) => r.id) });
  await refreshIndex(index, db.dataSource, { challengeIds });
  index.loaded = true;
  return index;
}

/** Page rows read as a page reads them; the first read (of `reloads`) waits for a reload of the whole index. */
function loadReloading(index: MatchIndex, reloads = 1) {
  let left = reloads;
  return async (ids: string[]) => {
    if (left-- > 0) await refreshIndex(index, db.dataSource, { all: true });
    return loadStakeholders(db.dataSource, ids);
  };
}

describe('a reload between a ranking and its rows', () => {
  const load = (ids: string[]) => loadStakeholders(db.dataSource, ids);
  const tagIds = (slugs: string[]) => tagIdsOf(db.dataSource, slugs);

  it('leaves every suggestion as a fresh index answers it', async () => {
    const fresh = await loadMatchIndex(db.dataSource);
    const stakeholder = (await db.dataSource.query(
      `SELECT id FROM stakeholder WHERE kind = 'UNIVERSITY' AND erased_at IS NULL ORDER BY external_id LIMIT 1`,
    )) as { id: string }[];
    for (const challengeId of challengeIds.slice(0, 6)) {
      const args = { challengeId, first: 12, filter: { kinds: ['UNIVERSITY', 'INDUSTRY'] } } as never;
      type Ask = (ix: MatchIndex, l: typeof load) => Promise<unknown>;
      const pages: [string, Ask][] = [
        ['suggestPartners', (ix, l) => suggestPartnersOnIndex(ix, args, l, tagIds)],
        ['suggestTeam', (ix, l) => suggestTeamOnIndex(ix, challengeId, 5, l)],
        ['matchOfPair', (ix, l) => matchOfPairOnIndex(ix, challengeId, stakeholder[0].id, l)],
      ];
      for (const [name, ask] of pages) {
        const index = await indexOutOfOrder();
        const reloaded = await ask(index, loadReloading(index));
        expect([name, reloaded]).toEqual([name, await ask(fresh, load)]);
      }
    }
    const index = await indexOutOfOrder();
    const reverse = await suggestChallengesOnIndex(index, { stakeholderId: stakeholder[0].id }, loadReloading(index));
    expect(reverse).toEqual(await suggestChallengesOnIndex(fresh, { stakeholderId: stakeholder[0].id }, load));
  }, 120_000);

  it('gives up with SERVICE_UNAVAILABLE when the index reloads at every try', async () => {
    const index = await indexOutOfOrder();
    const asked = suggestPartnersOnIndex(
      index,
      { challengeId: challengeIds[0], first: 5 },
      loadReloading(index, LAYOUT_TRIES),
      tagIds,
    );
    await expect(asked).rejects.toMatchObject({ code: DomainErrorCode.ServiceUnavailable });
  }, 60_000);
});
