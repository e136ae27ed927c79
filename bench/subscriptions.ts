import { spawn } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { progress, startBenchDatabase } from './bench-database';
import { arg, percentile, post, rssKb, runBench, startService, stopService } from './bench-service';

/** A bare `ws` broadcast of `bytes` to `clients` sockets, `events` times: latency and memory. */
async function broadcastFloor(clients: number, events: number, bytes: number) {
  const child = spawn(process.execPath, [path.join(__dirname, 'ws-floor-server.js')], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve) => child.stdout!.once('data', (c: Buffer) => resolve(Number(c))));
  const baseline = rssKb(child.pid!);
  const sockets: WebSocket[] = [];
  let got = 0;
  const latencies: number[] = [];
  let sent = 0;
  const bar = progress('floor: connecting', clients);
  for (let i = 0; i < clients; i++) {
    const socket = new WebSocket(`ws://127.0.0.1:${port}`);
    socket.on('message', () => {
      latencies.push(performance.now() - sent);
      got += 1;
    });
    sockets.push(socket);
    await new Promise((r) => socket.once('open', r));
    bar(i + 1);
  }
  await new Promise((r) => setTimeout(r, 1000));
  const kbPerSocket = (rssKb(child.pid!) - baseline) / clients;
  for (let e = 0; e < events; e++) {
    got = 0;
    sent = performance.now();
    child.stdin!.write(`send ${bytes}\n`);
    while (got < clients) await new Promise((r) => setTimeout(r, 2));
  }
  for (const s of sockets) s.terminate();
  child.stdin!.write('exit\n');
  await new Promise((r) => child.once('exit', r));
  latencies.sort((a, b) => a - b);
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), kbPerSocket };
}

/** What createStakeholder answers to the bench's selection. */
interface Created {
  createStakeholder: { id: string };
}

/** What MATCH_FOUND delivers, as far as the bench reads it: whose match each event is. */
interface MatchFound {
  matchFound?: { stakeholder?: { id: string } | null } | null;
}

const MATCH_FOUND =
  'subscription($c: ID!) { matchFound(challengeId: $c) { score stakeholder { id name } challenge { id } reasons } }';

/**
 * `npm run bench:subscriptions [-- --clients 10000 --topics 20 --events 20]`: the service runs
 * in its own process; N graphql-ws clients subscribe to matchFound across `topics` challenges;
 * each event (a new partner that fits every challenge) must reach every client. Prints delivery
 * latency from the mutation being sent to each client receiving it, and the server's resident
 * memory per connection.
 */
async function main(): Promise<void> {
  const clients = arg('clients', 1000);
  const topics = arg('topics', 10);
  const events = arg('events', 20);
  const db = await startBenchDatabase();
  // Every client comes from this one address: the per-address subscription budget is lifted too.
  const service = await startService(db.url, { WS_SUBSCRIPTION_COST_PER_CALLER: '1000000000' });
  const sockets: Client[] = [];
  try {
    const school = (
      await post<Created>(
        service.url,
        `mutation($i: CreateStakeholderInput!) { createStakeholder(input: $i) { id } }`,
        {
          i: { kind: 'SCHOOL', name: 'Bench school', city: 'Leuven', countryCode: 'BE', sdgs: [13, 6], expertise: [] },
        },
      )
    ).createStakeholder.id;
    const challengeIds: string[] = [];
    for (let i = 0; i < topics; i++) {
      const c = await post<{ createChallenge: { id: string } }>(
        service.url,
        `mutation($i: CreateChallengeInput!) { createChallenge(input: $i) { id } }`,
        {
          i: { schoolId: school, title: `Topic ${i}`, sdgs: [13, 6], expertiseNeeded: ['Hydrology', 'Sensors'] },
        },
      );
      challengeIds.push(c.createChallenge.id);
    }
    await new Promise((r) => setTimeout(r, 500));
    const baseline = rssKb(service.child.pid!);

    const received = new Map<string, number[]>(); // stakeholder id → receive times
    let messageBytes = 0;
    const bar = progress('connecting', clients);
    let connected = 0;
    for (let i = 0; i < clients; i++) {
      const client = createClient({
        url: service.url.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        retryAttempts: 0,
      });
      sockets.push(client);
      await new Promise<void>((resolve, reject) => {
        client.on('connected', () => resolve());
        client.on('error', reject);
        client.subscribe<MatchFound>(
          { query: MATCH_FOUND, variables: { c: challengeIds[i % topics] } },
          {
            next: (r) => {
              messageBytes ||= JSON.stringify({
                id: '00000000-0000-4000-8000-000000000000',
                type: 'next',
                payload: r,
              }).length;
              const id = r.data?.matchFound?.stakeholder?.id;
              if (id) (received.get(id) ?? received.set(id, []).get(id)!).push(performance.now());
            },
            error: (e) => console.error('subscription error', e),
            complete: () => undefined,
          },
        );
      });
      bar(++connected);
    }
    await new Promise((r) => setTimeout(r, 1000));
    const loaded = rssKb(service.child.pid!);

    const latencies: number[] = [];
    const mutationMs: number[] = [];
    const eventBar = progress('events', events);
    for (let e = 0; e < events; e++) {
      const sent = performance.now();
      const created = await post<Created>(
        service.url,
        `mutation($i: CreateStakeholderInput!) { createStakeholder(input: $i) { id } }`,
        {
          i: {
            kind: 'UNIVERSITY',
            name: `Partner ${e}`,
            city: 'Leuven',
            countryCode: 'BE',
            sdgs: [13, 6],
            expertise: ['Hydrology', 'Sensors'],
          },
        },
      );
      mutationMs.push(performance.now() - sent);
      const id = created.createStakeholder.id;
      const deadline = Date.now() + 60000;
      while ((received.get(id)?.length ?? 0) < clients && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 5));
      const times = received.get(id) ?? [];
      if (times.length < clients) throw new Error(`event ${e}: only ${times.length} of ${clients} clients received it`);
      for (const t of times) latencies.push(t - sent);
      eventBar(e + 1);
    }
    latencies.sort((a, b) => a - b);
    mutationMs.sort((a, b) => a - b);
    const perConnection = ((loaded - baseline) * 1024) / clients;
    // The service's sockets close first: both sets at once would pass the process's file limit.
    await Promise.all(sockets.map(async (s) => s.dispose()));
    sockets.length = 0;
    const floor = await broadcastFloor(clients, events, messageBytes);
    console.log(
      '\n| clients | topics | events | deliveries | latency p50 | latency p99 | mutation p50 | ' +
        'server RSS idle | RSS with clients | RSS per connection |',
    );
    console.log('|---|---|---|---|---|---|---|---|---|---|');
    console.log(
      `| ${clients} | ${topics} | ${events} | ${latencies.length} | ` +
        `${percentile(latencies, 50).toFixed(1)} ms | ${percentile(latencies, 99).toFixed(1)} ms | ` +
        `${percentile(mutationMs, 50).toFixed(1)} ms | ${(baseline / 1024).toFixed(0)} MB | ` +
        `${(loaded / 1024).toFixed(0)} MB | ${(perConnection / 1024).toFixed(1)} kB |`,
    );
    console.log(
      `\nFloor, same run: a bare ws server in its own process sending the same ${messageBytes} bytes to ${clients} ` +
        `sockets: p50 ${floor.p50.toFixed(1)} ms, p99 ${floor.p99.toFixed(1)} ms, idle RSS per socket ` +
        `${floor.kbPerSocket.toFixed(1)} kB. Ratio of p99: ${(percentile(latencies, 99) / floor.p99).toFixed(2)}×.`,
    );
  } finally {
    await Promise.all(sockets.map(async (s) => s.dispose()));
    await stopService(service);
    await db.stop();
  }
}

runBench(main);
