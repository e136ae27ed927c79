import { createServer, Server, Socket } from 'node:net';

/**
 * A TCP relay of our own in front of a PostgreSQL server: connections made through its `url`
 * work until `cut()`, which closes every open one and refuses new ones, as a database host (or
 * the network to it) that died; `restore()` lets connections through again.
 */
export async function tcpRelay(url: string) {
  const target = new URL(url);
  const sockets = new Set<Socket>();
  let down = false;
  const relay: Server = createServer((client) => {
    if (down) {
      client.destroy();
      return;
    }
    const upstream = new Socket().connect(Number(target.port), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => s.destroy());
      s.on('close', () => sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  const through = new URL(url);
  through.port = String((relay.address() as { port: number }).port);
  return {
    url: through.toString(),
    cut() {
      down = true;
      for (const s of sockets) s.destroy();
    },
    restore() {
      down = false;
    },
    async close() {
      this.cut();
      await new Promise<void>((resolve) => relay.close(() => resolve()));
    },
  };
}
