/**
 * A start after an import a tool wrote (its changes pending: nobody relayed them) loads the
 * imported rows once: it relays the import's changes — every match stored — without reading their
 * rows into its index again. What it holds then answers exactly as a fresh load does, and a change
 * written after its load is still read into it.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDataSource } from '../../src/db/data-source';
import { writeNetworkCsv } from '../../src/db/synthetic-network';
import { importRecords, readRecords } from '../../src/domain/import/import.service';
import { DEFAULT_WEIGHTS } from '../../src/matching/components/registry';
import * as loadIndex from '../../src/matching/index/load-index';
import { MatchIndex } from '../../src/matching/index/match-index';
import { prepareChallenge } from '../../src/matching/index/prepared-challenge';
import { rankPartners } from '../../src/matching/index/rank';
import { UpdateStakeholderDocument } from '../generated/graphql';
import { expectStatesOfBruteForce } from '../helpers/brute-force';
import { expectData, startTestServer, TestServer } from '../helpers/server';
import { EVENT_FLOOR } from '../../src/subscriptions/topics';

let first: TestServer;
let second: TestServer | undefined;
beforeAll(async () => {
  first = await startTestServer();
}, 60_000);
afterAll(async () => {
  await second?.stop();
  await first?.stop();
});

/** Every open challenge's best 30 and total, by id (rows differ between a live index and a fresh load). */
function answers(ix: MatchIndex) {
  return [...ix.challenges.values()]
    .sort((a, b) => (a.id < b.id ? -1 : 1))
    .map((c) => {
      const { top, total } = rankPartners(ix, prepareChallenge(ix, c), DEFAULT_WEIGHTS, 30, {}, 0.2);
      return { id: c.id, total, top: top.map((r) => [ix.ids.idOf(r.row), r.score]) };
    });
}

it('relays an import pending at its start without reading its rows again, as a fresh load answers', async () => {
  // Written as `npm run import` writes (a data source of its own, no relay on it, no announcement).
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'start-after-import-')), 'net.csv');
  writeNetworkCsv(file, { stakeholders: 3000, challenges: 30, seed: 31 });
  const tool = createDataSource({ url: first.db.url, poolSize: 2 });
  await tool.initialize();
  try {
    expect((await importRecords(tool, readRecords(readFileSync(file, 'utf8'), 'csv'))).failed).toBe(0);
  } finally {
    await tool.destroy();
  }
  const [{ pending }]: { pending: number }[] = await first.db.dataSource.query(
    'SELECT count(*)::int AS pending FROM outbox WHERE relayed_seq IS NULL',
  );
  expect(pending).toBeGreaterThan(1);
  const imported = new Set(
    ((await first.db.dataSource.query(`SELECT id FROM stakeholder`)) as { id: string }[]).map((r) => r.id),
  );
  const challenges = ((await first.db.dataSource.query(`SELECT id FROM challenge`)) as { id: string }[]).map(
    (r) => r.id,
  );

  const refresh = jest.spyOn(loadIndex, 'refreshIndex');
  try {
    second = await startTestServer({ sameDatabaseAs: first });
    // The start relayed everything (the relay's turn, one at a time: the first server had nothing).
    const [{ left }]: { left: number }[] = await first.db.dataSource.query(
      'SELECT count(*)::int AS left FROM outbox WHERE relayed_seq IS NULL',
    );
    expect(left).toBe(0);
    const reread = refresh.mock.calls
      .filter(([index]) => index === second!.live.index)
      .flatMap(([, , change]) => [
        ...('stakeholderIds' in change ? change.stakeholderIds : []),
        ...('stakeholderId' in change ? [change.stakeholderId] : []),
        ...('challengeIds' in change ? change.challengeIds : []),
      ]);
    expect(reread.filter((id) => imported.has(id) || challenges.includes(id))).toEqual([]);
  } finally {
    refresh.mockRestore();
  }
  // Every pair the relay stored is the brute force's (the relay matched on what the load read).
  expect(await expectStatesOfBruteForce(first.db.dataSource, challenges, DEFAULT_WEIGHTS, EVENT_FLOOR)).toBeGreaterThan(
    20,
  );
  const fresh = await loadIndex.loadMatchIndex(first.db.dataSource);
  expect(answers(second!.live.index)).toEqual(answers(fresh));

  // A change after the load is read as ever (here on the first server; the second tails it).
  const [partner] = [...imported];
  expectData(await first.admin(UpdateStakeholderDocument, { id: partner, input: { sdgs: [1, 2, 3], capacity: 9 } }));
  await second!.live.settle();
  const after = await loadIndex.loadMatchIndex(first.db.dataSource);
  expect(answers(second!.live.index)).toEqual(answers(after));
  const row = second!.live.index.rowOf(partner);
  expect(second!.live.index.capacity[row]).toBe(9);
});
