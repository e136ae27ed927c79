import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Evidence only from the party it is about: a partnership records which key sent it (and, for a
 * proposal, which approved it and when it went out), which key answered and whether that answer
 * counts as the partner's own, whether its sender was entitled to count a silence, and which key
 * completed it. Each event records its key too. Rows written before this migration are filled
 * from the activity log where it names the key; what it cannot name stays NULL ("not recorded"),
 * which the track record reads as it always did.
 */
export class TrackEvidence1795400000023 implements MigrationInterface {
  name = 'TrackEvidence1795400000023';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE partnership
        ADD COLUMN invited_by text,
        ADD COLUMN approved_by text,
        ADD COLUMN approved_at timestamptz(3),
        ADD COLUMN entitled boolean,
        ADD COLUMN answered_by text,
        ADD COLUMN answer_counts boolean,
        ADD COLUMN completed_by text`);
    await q.query(`ALTER TABLE partnership_event ADD COLUMN actor_key_id text, ADD COLUMN counts boolean`);
    // Who did what, from the audit trail (its first entry per action and partnership).
    for (const [actions, set] of [
      [`'INVITE', 'PROPOSE'`, 'invited_by = a.key'],
      [`'APPROVE'`, 'approved_by = a.key, approved_at = a.at'],
      [`'ACCEPT', 'DECLINE'`, 'answered_by = a.key'],
      [`'COMPLETE'`, 'completed_by = a.key'],
    ]) {
      await q.query(`
        UPDATE partnership p SET ${set} FROM (
          SELECT DISTINCT ON (partnership_id) partnership_id, actor_key_id AS key, at FROM activity
          WHERE action IN (${actions}) AND partnership_id IS NOT NULL AND actor_key_id IS NOT NULL
          ORDER BY partnership_id, id) a
        WHERE a.partnership_id = p.id`);
    }
    // The rules of partnership/evidence.ts, applied to what the audit trail names.
    await q.query(`
      UPDATE partnership p SET answer_counts = p.answered_by = 'env:ADMIN_API_KEY' OR EXISTS (
        SELECT 1 FROM api_key k WHERE k.id::text = p.answered_by AND (k.role = 'ADMIN' OR (
          k.role IN ('COORDINATOR', 'PORTAL')
          AND p.answered_by IS DISTINCT FROM p.invited_by AND p.answered_by IS DISTINCT FROM p.approved_by
          AND EXISTS (SELECT 1 FROM hub_member m
            WHERE m.stakeholder_id = p.stakeholder_id AND m.hub_id = ANY(k.hub_ids)))))
      WHERE p.answered_by IS NOT NULL`);
    await q.query(`
      UPDATE partnership p SET entitled = (p.approved_by IS NULL AND (p.invited_by = 'env:ADMIN_API_KEY'
          OR EXISTS (SELECT 1 FROM api_key k WHERE k.id::text = p.invited_by AND k.role = 'ADMIN')))
        OR EXISTS (SELECT 1 FROM challenge c JOIN hub_member m ON m.stakeholder_id = p.stakeholder_id
          WHERE c.id = p.challenge_id AND (m.hub_id = c.hub_id OR (c.hub_id IS NULL AND m.hub_id IN (
            SELECT hub_id FROM hub_member WHERE stakeholder_id = c.school_id))))
      WHERE coalesce(p.approved_by, p.invited_by) IS NOT NULL AND p.status <> 'PROPOSED'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE partnership_event DROP COLUMN actor_key_id, DROP COLUMN counts`);
    await q.query(`
      ALTER TABLE partnership
        DROP COLUMN invited_by, DROP COLUMN approved_by, DROP COLUMN approved_at, DROP COLUMN entitled,
        DROP COLUMN answered_by, DROP COLUMN answer_counts, DROP COLUMN completed_by`);
  }
}
