/**
 * The match index under writes: a random sequence of writes, each refreshed into a live index,
 * must leave it equal to a fresh load; and rows written after the load (which only widen the
 * blocks ranking skips by) rank exactly as the brute force (score-match.ts on rows read straight
 * from PostgreSQL) does.
 */
import fc from 'fast-check';
import { Client } from 'pg';
import { MatchWeights } from '../../src/matching/combine';
import { COMPONENTS, DEFAULT_WEIGHTS } from '../../src/matching/components/registry';
import { CHECK_SLOTS } from '../../src/matching/safeguarding';
import { KINDS } from '../../src/matching/index/column-codes';
import { loadMatchIndex, refreshIndex } from '../../src/matching/index/load-index';
import { MatchIndex } from '../../src/matching/index/match-index';
import { rankPartnersOf } from '../../src/matching/index/rank-on-index';
import { publishTrackPrior } from '../../src/matching/index/track-prior';
import { DEFAULT_MIN_SCORE } from '../../src/matching/match.service';
import { suggestPartnersOnIndex } from '../../src/matching/suggest.service';
import { bruteForce } from '../helpers/brute-force';
import { TestDatabase } from '../helpers/database';
import { MatchNetwork, useMatchNetwork, WEIGHTS } from '../helpers/match-network';

let db: TestDatabase, index: MatchIndex, challengeIds: string[];
let load: MatchNetwork['load'], tagIds: MatchNetwork['tagIds'];
useMatchNetwork((network) => ({ db, index, challengeIds, load, tagIds } = network));

/** The logical content of an index: what a fresh load and a live one must agree on. */
function snapshot(ix: MatchIndex) {
  const rows: Record<string, unknown> = {};
  for (let row = 0; row < ix.size; row++) {
    rows[ix.ids.idOf(row)] = {
      kind: ix.kind[row],
      lat: ix.lat[row],
      lon: ix.lon[row],
      sdg: ix.sdgMask[row],
      levels: ix.levelMask[row],
      contexts: ix.scoredContexts[row],
      capacity: ix.capacity[row],
      accepted: ix.accepted[row],
      alive: ix.alive[row],
      region: ix.regions[ix.region[row]],
      country: ix.countries[ix.country[row]],
      tags: [...ix.tagsOf(row)].sort(),
      languages: ix.languagesOf(row).sort(),
      track: [ix.trackTenths[row], ix.trackObservations[row], ix.dueInvitations[row], ix.completed[row]],
      checks: [...ix.checkDays.subarray(row * CHECK_SLOTS, (row + 1) * CHECK_SLOTS)],
    };
  }
  const challenges: Record<string, unknown> = {};
  for (const [id, c] of ix.challenges) {
    challenges[id] = {
      ...c,
      // A memo filled by ranking, not content.
      schoolRow: undefined,
      linkTable: undefined,
      linksByTag: undefined,
      links: [...c.links].sort((a, b) => a.needId - b.needId || a.tagId - b.tagId),
      active: [...c.active].sort(),
      dismissed: [...c.dismissed].sort(),
    };
  }
  return { rows, challenges, trackPrior: ix.trackPrior };
}

describe('kept current by refreshes', () => {
  it('equals a freshly loaded index after any sequence of writes', async () => {
    const ids = async (sql: string) => (await db.dataSource.query<{ id: string }[]>(sql)).map((r) => r.id);
    const stakeholders = await ids(
      `SELECT id FROM stakeholder WHERE erased_at IS NULL AND kind <> 'SCHOOL' ORDER BY id LIMIT 300`,
    );
    const write = fc.oneof(
      fc.record({
        op: fc.constant('capacity' as const),
        s: fc.constantFrom(...stakeholders),
        n: fc.integer({ min: 0, max: 4 }),
      }),
      fc.record({
        op: fc.constant('profile' as const),
        s: fc.constantFrom(...stakeholders),
        sdg: fc.integer({ min: 1, max: 17 }),
      }),
      fc.record({ op: fc.constant('erase' as const), s: fc.constantFrom(...stakeholders) }),
      fc.record({
        op: fc.constant('invite' as const),
        s: fc.constantFrom(...stakeholders),
        c: fc.constantFrom(...challengeIds),
      }),
      fc.record({ op: fc.constant('accept' as const), c: fc.constantFrom(...challengeIds) }),
      fc.record({
        op: fc.constant('challenge' as const),
        c: fc.constantFrom(...challengeIds),
        km: fc.integer({ min: 5, max: 200 }),
      }),
      fc.record({
        op: fc.constant('check' as const),
        s: fc.constantFrom(...stakeholders),
        type: fc.constantFrom('VOG', 'UK_DBS_ENHANCED'),
        days: fc.integer({ min: 0, max: 2000 }),
        then: fc.constantFrom('verify' as const, 'leave' as const, 'withdraw' as const),
      }),
      fc.record({
        op: fc.constant('contact' as const),
        c: fc.constantFrom(...challengeIds),
        contact: fc.constantFrom('NONE', 'SUPERVISED', 'UNSUPERVISED', 'REGULAR'),
      }),
      fc.record({
        op: fc.constant('newTag' as const),
        s: fc.constantFrom(...stakeholders),
        n: fc.integer({ min: 0, max: 1e6 }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(write, { minLength: 1, maxLength: 12 }), async (writes) => {
        for (const w of writes) {
          const q = <T = unknown[]>(sql: string, p: unknown[]) => db.dataSource.query<T>(sql, p);
          switch (w.op) {
            case 'capacity':
              await q('UPDATE stakeholder SET capacity = $2 WHERE id = $1', [w.s, w.n]);
              await refreshIndex(index, db.dataSource, { stakeholderId: w.s });
              break;
            case 'profile':
              await q(
                `UPDATE stakeholder SET sdg_ids = ARRAY[$2]::smallint[], languages = '{fr,nl}', education_levels = '{3}'
                 WHERE id = $1`,
                [w.s, w.sdg],
              );
              await refreshIndex(index, db.dataSource, { stakeholderId: w.s });
              break;
            case 'erase':
              await q(
                `UPDATE stakeholder SET erased_at = now(), capacity = 0, sdg_ids = '{}', expertise_ids = '{}'
                 WHERE id = $1`,
                [w.s],
              );
              await refreshIndex(index, db.dataSource, { stakeholderId: w.s });
              break;
            case 'invite': {
              const [p] = await q<{ id: string }[]>(
                `INSERT INTO partnership (challenge_id, stakeholder_id, status) VALUES ($1, $2, 'INVITED')
                ON CONFLICT DO NOTHING RETURNING id`,
                [w.c, w.s],
              );
              if (p)
                await refreshIndex(index, db.dataSource, { partnership: { challengeId: w.c, stakeholderId: w.s } });
              break;
            }
            case 'accept': {
              // TypeORM answers an UPDATE … RETURNING with [rows, count].
              const [[p]] = await q<[{ challenge_id: string; stakeholder_id: string }[], number]>(
                `UPDATE partnership SET status = 'ACCEPTED' WHERE id = (SELECT id FROM partnership
                WHERE challenge_id = $1 AND status = 'INVITED' LIMIT 1) RETURNING challenge_id, stakeholder_id`,
                [w.c],
              );
              if (p)
                await refreshIndex(index, db.dataSource, {
                  partnership: { challengeId: p.challenge_id, stakeholderId: p.stakeholder_id },
                });
              break;
            }
            case 'challenge':
              await q('UPDATE challenge SET radius_km = $2, latitude = latitude + 0.01 WHERE id = $1', [w.c, w.km]);
              await refreshIndex(index, db.dataSource, { challengeId: w.c });
              break;
            case 'check': {
              const [k] = await q<{ id: string }[]>(
                `INSERT INTO safeguarding_check (stakeholder_id, type, scope, issued_on, verified_at)
                 VALUES ($1, $2, 'PERSON', current_date - $3::int, CASE WHEN $4 THEN now() END) RETURNING id`,
                [w.s, w.type, w.days, w.then === 'verify'],
              );
              if (w.then === 'withdraw') await q('DELETE FROM safeguarding_check WHERE id = $1', [k.id]);
              await refreshIndex(index, db.dataSource, { stakeholderId: w.s });
              break;
            }
            case 'contact':
              await q('UPDATE challenge SET pupil_contact = $2 WHERE id = $1', [w.c, w.contact]);
              await refreshIndex(index, db.dataSource, { challengeId: w.c });
              break;
            case 'newTag': {
              const [tag] = await q<{ id: number }[]>(
                `INSERT INTO expertise (slug, label) VALUES ($1, $1)
                 ON CONFLICT (slug) DO UPDATE SET label = EXCLUDED.label
                RETURNING id`,
                [`hydrology-${w.n}`],
              );
              await q('UPDATE stakeholder SET expertise_ids = array_append(expertise_ids, $2) WHERE id = $1', [
                w.s,
                tag.id,
              ]);
              await refreshIndex(index, db.dataSource, { stakeholderId: w.s });
              break;
            }
          }
        }
        // Writes keep the evidence exact but leave the published prior alone (stable scores); the
        // scheduled refresh publishes it, as a fresh load does: after it, the two indexes agree.
        await index.lock.write(() => publishTrackPrior(index));
        expect(snapshot(index)).toEqual(snapshot(await loadMatchIndex(db.dataSource)));
      }),
      { numRuns: 8 },
    );
  }, 180_000);
});

describe('rows written after the load', () => {
  // Ranking skips blocks of rows by summaries made tight at the load (index/blocks.ts); rows written
  // since only widen them. Partners moved from afar to a challenge's door with what it needs, new
  // ones beside it, others changing kind into what it wants and the best moving away: each lands
  // in a block summarised for other rows, and must still be found — or left out — exactly.
  it('still ranks as the brute force: new stakeholders, moved ones, kind changes', async () => {
    // The brute force's prior is today's evidence: publish it, as the scheduled refresh does.
    await index.lock.write(() => publishTrackPrior(index));
    const q = <T>(sql: string, p: unknown[] = []) => db.dataSource.query<T>(sql, p);
    const challenges = await q<{ id: string; wanted: string[] }[]>(
      `SELECT c.id, c.wanted_kinds AS wanted FROM challenge c
       WHERE c.latitude IS NOT NULL AND c.phase <> 'COMPLETED' ORDER BY c.external_id LIMIT 8`,
    );
    const kindFor = (wanted: string[], n: number) =>
      wanted.filter((k) => k !== 'FAMILY' && k !== 'SCHOOL')[n % Math.max(1, wanted.length)] ?? 'UNIVERSITY';
    const changed: string[] = [];
    for (const [n, { id, wanted }] of challenges.entries()) {
      const here = `(SELECT latitude, longitude, sdg_ids, expertise_needed_ids AS tags, region_code FROM challenge
                     WHERE id = $1)`;
      // Three partners of a wanted kind from over 500 km away, moved next door with its SDGs and tags.
      // TypeORM answers an UPDATE … RETURNING with [rows, count].
      const [moved] = await q<[{ id: string }[], number]>(
        `UPDATE stakeholder s SET latitude = c.latitude + 0.01 * (s.capacity + 1), longitude = c.longitude,
           sdg_ids = c.sdg_ids, expertise_ids = c.tags, capacity = 4
         FROM ${here} c
         WHERE s.id IN (SELECT s2.id FROM stakeholder s2, ${here} c2
           WHERE s2.kind = $2 AND s2.erased_at IS NULL AND s2.latitude IS NOT NULL
             AND earth_distance(ll_to_earth(s2.latitude, s2.longitude), ll_to_earth(c2.latitude, c2.longitude)) > 500000
           ORDER BY s2.external_id LIMIT 3)
         RETURNING s.id`,
        [id, kindFor(wanted, n)],
      );
      // Three new ones beside it, one without a location.
      const added = await q<{ id: string }[]>(
        `INSERT INTO stakeholder (kind, name, latitude, longitude, country_code, sdg_ids, expertise_ids, capacity)
         SELECT $2, 'Newcomer ' || k || ' of ' || $1, CASE WHEN k < 3 THEN c.latitude - 0.02 * k END,
           CASE WHEN k < 3 THEN c.longitude END, (SELECT country_code FROM stakeholder
             WHERE id = (SELECT school_id FROM challenge WHERE id = $1)), c.sdg_ids, c.tags, 2
         FROM ${here} c, generate_series(1, 3) k RETURNING id`,
        [id, kindFor(wanted, n + 1)],
      );
      // Three near ones change kind into a wanted one; its best partner so far moves away.
      const [turned] = await q<[{ id: string }[], number]>(
        `UPDATE stakeholder SET kind = $2 WHERE id IN (SELECT s.id FROM stakeholder s, ${here} c
           WHERE s.kind NOT IN ('SCHOOL', 'FAMILY', $2) AND s.erased_at IS NULL AND s.latitude IS NOT NULL
           ORDER BY (s.latitude - c.latitude) ^ 2 + (s.longitude - c.longitude) ^ 2 LIMIT 3)
         RETURNING id`,
        [id, kindFor(wanted, n + 2)],
      );
      const [best] = await bruteForce(db.dataSource, id, DEFAULT_WEIGHTS);
      if (best) await q('UPDATE stakeholder SET latitude = -latitude, longitude = -longitude WHERE id = $1', [best.id]);
      changed.push(...[...moved, ...added, ...turned].map((r) => r.id), ...(best ? [best.id] : []));
    }
    await refreshIndex(index, db.dataSource, { stakeholderIds: changed });
    const weights: MatchWeights[] = [DEFAULT_WEIGHTS, WEIGHTS[1 + COMPONENTS.indexOf('proximity')]];
    for (const { id } of challenges) {
      for (const w of weights) {
        for (const minScore of [DEFAULT_MIN_SCORE, 0]) {
          const reference = await bruteForce(db.dataSource, id, w, null, minScore);
          const page = await suggestPartnersOnIndex(
            index,
            { challengeId: id, weights: w, first: 100, minScore },
            load,
            tagIds,
          );
          expect(page.total).toBe(reference.length);
          const shown = new Set(page.matches.map((m) => m.stakeholderId));
          const referenceOf = new Map(reference.map((r) => [r.id, r]));
          for (const m of page.matches)
            expect(Math.abs(m.score - referenceOf.get(m.stakeholderId)!.score)).toBeLessThan(1e-9);
          // Every one of the reference's first 80 is on the page (promotions move at most ten in).
          for (const r of reference.slice(0, 80)) expect([r.id, shown.has(r.id)]).toEqual([r.id, true]);
        }
        // No floor: every qualifying partner counts, the best `keep` by (score, id), and each kind's best.
        const reference = await bruteForce(db.dataSource, id, w, null, -Infinity);
        const ranked = await rankPartnersOf(index, id, w, 15, {}, -Infinity);
        expect(ranked.total).toBe(reference.length);
        expect(ranked.top.map((r) => index.ids.idOf(r.row))).toEqual(reference.slice(0, 15).map((r) => r.id));
        ranked.top.forEach((r, i) => expect(Math.abs(r.score - reference[i].score)).toBeLessThan(1e-9));
        for (const [k, r] of ranked.bestOfKind)
          expect(index.ids.idOf(r.row)).toBe(reference.find((x) => x.kind === String(KINDS[k]))!.id);
        expect(ranked.bestOfKind.size).toBe(new Set(reference.map((r) => r.kind)).size);
      }
    }
  }, 180_000);
});

describe('refreshes of one index from several places', () => {
  it('apply in the order they read: one that read earlier never writes over one that read later', async () => {
    const [{ id, capacity }]: { id: string; capacity: number }[] = await db.dataSource.query(
      "SELECT id, capacity FROM stakeholder WHERE kind = 'UNIVERSITY' AND erased_at IS NULL ORDER BY id LIMIT 1",
    );
    const capacityNow = () => index.capacity[index.rowOf(id)];
    const setCapacity = (n: number) =>
      db.dataSource.query('UPDATE stakeholder SET capacity = $2 WHERE id = $1', [id, n]);
    // The first refresh's read of the stakeholder is held after it returned, until `release`.
    let release = () => undefined as void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let reads = 0;
    const query = Client.prototype.query;
    jest.spyOn(Client.prototype, 'query').mockImplementation(function (this: Client, ...args: unknown[]) {
      const run = (query as (...a: unknown[]) => unknown).apply(this, args);
      const text = (args[0] as { text?: unknown } | undefined)?.text;
      if (typeof text !== 'string' || !text.includes('WITH taken AS') || !text.includes('ANY($1::uuid[])')) return run;
      reads += 1;
      return reads === 1 ? (run as Promise<unknown>).then((rows) => held.then(() => rows)) : run;
    });
    try {
      await setCapacity(3);
      const earlier = refreshIndex(index, db.dataSource, { stakeholderId: id });
      while (reads < 1) await new Promise((r) => setTimeout(r, 5));
      await setCapacity(5);
      const later = refreshIndex(index, db.dataSource, { stakeholderId: id });
      // Unordered, the later refresh reads (5) and writes at once; ordered, it waits for the earlier.
      for (let turn = 0; turn < 50 && reads < 2; turn++) await new Promise((r) => setTimeout(r, 10));
      release();
      await Promise.all([earlier, later]);
      expect(reads).toBe(2);
      expect(capacityNow()).toBe(5);
    } finally {
      release();
      jest.restoreAllMocks();
      await setCapacity(capacity);
      await refreshIndex(index, db.dataSource, { stakeholderId: id });
    }
  });
});
