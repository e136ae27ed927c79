import { Client } from 'pg';
import { Logger } from '../log/logger';
import { EventBus, Listeners } from './event-bus';
import { BusMessage, CHANNEL, parseMessage } from './topics';

/**
 * LISTEN/NOTIFY on the service's own database: no extra component, works with the embedded
 * server and any shared one. One dedicated connection listens; it reconnects with backoff and
 * then tells the dispatcher to catch up from the event log.
 */
export async function createPgBus(url: string, log: Logger): Promise<EventBus> {
  const listeners = new Listeners();
  let closed = false;
  let stopping = false;
  let client: Client | undefined;
  /** The connection messages are sent on, once connected; a failed or lost one is made anew. */
  let publisher: Promise<Client> | undefined;
  const connectPublisher = (): Promise<Client> => {
    const c = new Client({ connectionString: url, application_name: 'matchmaker-notify' });
    const ready = c.connect().then(() => c);
    const forget = () => {
      if (publisher === ready) publisher = undefined;
    };
    c.on('error', forget);
    // A connection that never came up is not kept: a query on it would wait for it forever.
    ready.catch(forget);
    return ready;
  };

  const connect = async (): Promise<void> => {
    const c = new Client({ connectionString: url, application_name: 'matchmaker-listen' });
    c.on('notification', (n) => {
      const message = n.payload ? parseMessage(n.payload) : undefined;
      if (message) listeners.emit(message);
    });
    c.on('error', (error) => {
      if (stopping || closed) return log.debug('event bus connection closed while stopping', { error: error.message });
      log.warn('event bus connection lost', { error: error.message });
      void reconnect();
    });
    await c.connect();
    await c.query(`LISTEN ${CHANNEL}`);
    client = c;
  };

  let reconnecting = false;
  const reconnect = async (): Promise<void> => {
    if (closed || stopping || reconnecting) return;
    reconnecting = true;
    await client?.end().catch((error) => log.debug('lost event bus connection ended', { error: String(error) }));
    client = undefined;
    for (let attempt = 0; !closed && !stopping; attempt++) {
      await new Promise((r) => setTimeout(r, Math.min(5000, 100 * 2 ** attempt)));
      try {
        await connect();
        log.info('event bus reconnected');
        listeners.reconnected();
        break;
      } catch {
        // keep trying until closed
      }
    }
    reconnecting = false;
  };

  await connect();
  return {
    async publish(message: BusMessage) {
      const c = await (publisher ??= connectPublisher());
      await c.query('SELECT pg_notify($1, $2)', [CHANNEL, JSON.stringify(message)]);
    },
    subscribe: (l) => listeners.add(l),
    onReconnect: (l) => listeners.addReconnect(l),
    stopping() {
      stopping = true;
    },
    async close() {
      closed = true;
      // Closing: a connection that already broke has nothing left to end.
      const ended = (error: unknown) => log.debug('event bus connection ended', { error: String(error) });
      await client?.end().catch(ended);
      await publisher?.then((c) => c.end()).catch(ended);
    },
  };
}
