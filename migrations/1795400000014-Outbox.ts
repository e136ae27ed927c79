import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The transactional outbox: every write that matters to matching appends a change here in its
 * own transaction, so a crash after commit loses nothing. A relay (any instance, one at a time,
 * holding the `outbox_relay` row) matches each change, stores its new match events in the same
 * transaction and numbers it (`relayed_seq`, gap-free because numbered under that lock); every
 * instance then applies relayed changes to its match index in that order, catching up from
 * this table after a bus drop or a restart.
 */
export class Outbox1795400000014 implements MigrationInterface {
  name = 'Outbox1795400000014';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE outbox (
        seq bigserial PRIMARY KEY,
        change jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        relayed_seq bigint UNIQUE,
        match_from bigint,
        match_to bigint
      )`);
    await q.query(`CREATE INDEX outbox_unrelayed ON outbox (seq) WHERE relayed_seq IS NULL`);
    await q.query(`
      CREATE TABLE outbox_relay (
        id int PRIMARY KEY CHECK (id = 1),
        relayed bigint NOT NULL
      )`);
    await q.query(`INSERT INTO outbox_relay (id, relayed) VALUES (1, 0)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE outbox_relay`);
    await q.query(`DROP TABLE outbox`);
  }
}
