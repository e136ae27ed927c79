import { silentLogger } from '../server/logger';
import { createPgBus } from './pg-bus';
import { createRedisBus } from './redis-bus';
import { BusMessage } from './topics';

/**
 * Sends one message to every running instance and leaves: for command-line tools (import, seed)
 * whose writes the servers' match indexes must hear about.
 * @param databaseUrl the database the servers listen on (PostgreSQL NOTIFY), unless `redisUrl` is set
 */
export async function announce(message: BusMessage, databaseUrl: string, redisUrl?: string): Promise<void> {
  await withBus(databaseUrl, redisUrl, (publish) => publish(message));
}

/** Runs `work` with a way to publish to every running instance, then disconnects. */
export async function withBus(
  databaseUrl: string,
  redisUrl: string | undefined,
  work: (publish: (message: BusMessage) => Promise<void>) => Promise<void>,
): Promise<void> {
  const bus = redisUrl ? await createRedisBus(redisUrl, silentLogger) : await createPgBus(databaseUrl, silentLogger);
  try {
    await work((m) => bus.publish(m));
  } finally {
    await bus.close();
  }
}
