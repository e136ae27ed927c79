import { silentLogger } from '../log/logger';
import { createPgBus } from './pg-bus';
import { createRedisBus } from './redis-bus';
import { BusMessage } from './topics';

/**
 * Sends one message to every running instance and leaves: for command-line tools (import, seed)
 * whose writes, in the outbox, running servers should relay now rather than at their next poll.
 * @param databaseUrl the database the servers listen on (PostgreSQL NOTIFY), unless `redisUrl` is set
 */
export async function announce(message: BusMessage, databaseUrl: string, redisUrl?: string): Promise<void> {
  const bus = redisUrl ? await createRedisBus(redisUrl, silentLogger) : await createPgBus(databaseUrl, silentLogger);
  try {
    await bus.publish(message);
  } finally {
    await bus.close();
  }
}
