import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The challenge changes still to relay, found without reading every pending change: the relay
 * leaves an import's challenges out of its stakeholders' matching when their own change comes
 * later (outbox-relay.ts), and an import's pending changes hold thousands of ids each.
 */
export class PendingChallenges1795400000330 implements MigrationInterface {
  name = 'PendingChallenges1795400000330';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX outbox_pending_challenges ON outbox (seq)
      WHERE relayed_seq IS NULL AND (change->>'kind') IN ('challenge', 'challenges')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX outbox_pending_challenges`);
  }
}
