import { Logger } from '../log/logger';
import { EventBus, Listeners } from './event-bus';
import { BusMessage, CHANNEL, parseMessage } from './topics';

/** Redis pub/sub, for deployments that already run Redis (REDIS_URL); its client is loaded only then. */
export async function createRedisBus(url: string, log: Logger): Promise<EventBus> {
  const { Redis } = await import('ioredis');
  const listeners = new Listeners();
  const sub = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 });
  const pub = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 });
  let ready = false;
  let stopping = false;
  sub.on('message', (_channel: string, payload: string) => {
    const message = parseMessage(payload);
    if (message) listeners.emit(message);
  });
  sub.on('ready', () => {
    // ioredis resubscribes by itself; a second "ready" means we were cut off for a while.
    if (ready) {
      log.info('event bus reconnected');
      listeners.reconnected();
    }
    ready = true;
  });
  const onError = (error: Error) => (stopping ? log.debug : log.warn)('event bus error', { error: error.message });
  sub.on('error', onError);
  pub.on('error', onError);
  await sub.connect();
  await pub.connect();
  await sub.subscribe(CHANNEL);
  return {
    publish: async (message: BusMessage) => {
      await pub.publish(CHANNEL, JSON.stringify(message));
    },
    subscribe: (l) => listeners.add(l),
    onReconnect: (l) => listeners.addReconnect(l),
    stopping() {
      stopping = true;
    },
    async close() {
      sub.disconnect();
      pub.disconnect();
    },
  };
}
