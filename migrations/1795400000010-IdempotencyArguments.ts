import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An idempotency key remembers a hash of the arguments it was first used with, so a replay with
 * other arguments is refused instead of silently answering the first call. Keys stored before
 * this migration have none and keep matching any arguments.
 */
export class IdempotencyArguments1795400000010 implements MigrationInterface {
  name = 'IdempotencyArguments1795400000010';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE idempotency_key ADD COLUMN arguments_hash text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE idempotency_key DROP COLUMN arguments_hash`);
  }
}
