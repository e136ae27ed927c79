/**
 * The PostgreSQL event bus's listening connection: a lost one is an incident worth a warning and
 * a reconnect, but not once a deliberate stop has begun (an embedded database stops on the same
 * SIGTERM as the service, so its connections drop while the service drains). A message sent
 * while the database is away fails, and does not leave a connection behind that never came up.
 */
import { createLogger, silentLogger } from '../../src/log/logger';
import { createPgBus } from '../../src/subscriptions/pg-bus';
import { BusMessage } from '../../src/subscriptions/topics';
import { tcpRelay } from '../helpers/tcp-relay';
import { until } from '../helpers/until';
import { createTestDatabase, TestDatabase } from '../helpers/database';
import { parseRecord } from '../helpers/json';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.drop());

/** A debug-level logger that keeps its lines and tells when a given message arrives. */
function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const waiters: { msg: string; resolve: () => void }[] = [];
  const log = createLogger('debug', {}, (line) => {
    const entry = parseRecord(line);
    lines.push(entry);
    for (const w of waiters.filter((w) => w.msg === entry.msg)) w.resolve();
  });
  const next = (msg: string) =>
    lines.some((l) => l.msg === msg)
      ? Promise.resolve()
      : new Promise<void>((resolve) => waiters.push({ msg, resolve }));
  return { log, lines, next };
}

const terminateListener = (name: string) =>
  db.dataSource.query(
    `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
     WHERE application_name = 'matchmaker-listen' AND datname = $1`,
    [name],
  );

const databaseName = () => new URL(db.url).pathname.slice(1);

describe('the PostgreSQL event bus', () => {
  it('warns about a lost connection and reconnects', async () => {
    const { log, lines, next } = capturingLogger();
    const bus = await createPgBus(db.url, log);
    try {
      const reconnected = new Promise<void>((resolve) => bus.onReconnect(resolve));
      await terminateListener(databaseName());
      await reconnected;
      expect(lines.filter((l) => l.level === 'warn').map((l) => l.msg)).toEqual(['event bus connection lost']);
      await next('event bus reconnected');
    } finally {
      await bus.close();
    }
  });

  it('says nothing above debug, and does not reconnect, when it drops during a deliberate stop', async () => {
    const { log, lines, next } = capturingLogger();
    const bus = await createPgBus(db.url, log);
    bus.stopping();
    await terminateListener(databaseName());
    await next('event bus connection closed while stopping');
    await bus.close();
    expect(lines.filter((l) => l.level !== 'debug')).toEqual([]);
  });

  it('fails a message sent while the database is away, and sends the next once it is back', async () => {
    const relay = await tcpRelay(db.url);
    const bus = await createPgBus(relay.url, silentLogger);
    const listener = await createPgBus(db.url, silentLogger);
    const heard: BusMessage[] = [];
    listener.subscribe((m) => heard.push(m));
    try {
      relay.cut();
      await expect(bus.publish({ kind: 'outbox', from: 'while away' })).rejects.toThrow();
      relay.restore();
      await bus.publish({ kind: 'outbox', from: 'once back' });
      await until(() => heard.length > 0);
      expect(heard).toEqual([{ kind: 'outbox', from: 'once back' }]);
    } finally {
      await bus.close();
      await listener.close();
      await relay.close();
    }
  });
});
