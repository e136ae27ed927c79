import dns from 'node:dns/promises';
import http from 'node:http';
import tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import { DomainError, DomainErrorCode } from '../../src/domain/errors';
import {
  checkWebhookUrl,
  DEFAULT_OUTBOUND_POLICY,
  forbiddenAddressReason,
  OutboundPolicy,
} from '../../src/webhooks/outbound-policy';
import { safePost } from '../../src/webhooks/safe-post';

describe('forbiddenAddressReason', () => {
  it.each<[string, string | undefined]>([
    // IPv4
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['100.127.255.255', 'private'],
    ['169.254.1.1', 'link-local'],
    ['169.254.169.254', 'cloud metadata'],
    ['169.254.170.2', 'cloud metadata'],
    ['100.100.100.200', 'cloud metadata'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['192.0.0.8', 'reserved'],
    ['192.0.2.1', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['198.19.255.255', 'reserved'],
    ['203.0.113.5', 'reserved'],
    ['172.32.0.1', undefined],
    ['100.128.0.1', undefined],
    ['1.1.1.1', undefined],
    ['8.8.8.8', undefined],
    // IPv6
    ['::1', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['::', 'unspecified'],
    ['fc00::1', 'private'],
    ['fd12:3456:789a::1', 'private'],
    ['fec0::1', 'private'],
    ['fd00:ec2::254', 'cloud metadata'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['febf:ffff::1', 'link-local'],
    ['ff02::1', 'multicast'],
    ['ff05::1:3', 'multicast'],
    ['2001:db8::1', 'reserved'],
    ['2001::1', 'reserved'], // Teredo
    ['100::1', 'reserved'],
    ['3fff::1', 'reserved'],
    ['4000::1', 'reserved'], // outside global unicast 2000::/3
    ['2606:4700::1111', undefined],
    ['2001:4860:4860::8888', undefined],
    // IPv4-mapped
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::FFFF:10.1.2.3', 'private'],
    ['::ffff:169.254.169.254', 'cloud metadata'],
    ['::ffff:8.8.8.8', undefined],
    // IPv4-compatible (deprecated)
    ['::127.0.0.1', 'loopback'],
    ['::8.8.8.8', 'reserved'],
    // NAT64
    ['64:ff9b::10.0.0.1', 'private'],
    ['64:ff9b::7f00:1', 'loopback'],
    ['64:ff9b::a9fe:a9fe', 'cloud metadata'],
    ['64:ff9b::1.1.1.1', undefined],
    ['64:ff9b:1::1', 'private'], // local-use NAT64
    // 6to4
    ['2002:7f00:1::1', 'loopback'],
    ['2002:c0a8:101::1', 'private'],
    ['2002:a9fe:a9fe::', 'cloud metadata'],
    ['2002:808:808::1', undefined],
    // not addresses
    ['localhost', 'invalid'],
    ['', 'invalid'],
  ])('%s → %s', (ip, reason) => {
    expect(forbiddenAddressReason(ip)).toBe(reason);
  });
});

const DEV: OutboundPolicy = {
  ...DEFAULT_OUTBOUND_POLICY,
  allowHttp: true,
  allowedPrivateHosts: ['127.0.0.1', 'localhost'],
};

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe('checkWebhookUrl refuses, naming the field and the rule', () => {
  it.each<[string, string, Partial<OutboundPolicy>, RegExp | string]>([
    ['ftp', 'ftp://example.com/hook', {}, /^input\.url must use https, got ftp:$/],
    [
      'ftp with http allowed',
      'ftp://example.com/hook',
      { allowHttp: true },
      /^input\.url must use http or https, got ftp:$/,
    ],
    ['http when not allowed', 'http://example.com/hook', {}, /^input\.url must use https, got http:$/],
    [
      'user and password',
      'https://user:secret@example.com/hook',
      {},
      /^input\.url must not contain a user name or password$/,
    ],
    ['user only', 'https://user@example.com/hook', {}, /^input\.url must not contain a user name or password$/],
    ['a fragment', 'https://example.com/hook#part', {}, /^input\.url must not have a fragment/],
    ['an empty fragment', 'https://example.com/hook#', {}, /^input\.url must not have a fragment/],
    [
      'too long',
      `https://example.com/${'a'.repeat(2040)}`,
      {},
      /^input\.url must be at most 2048 characters, got 2060$/,
    ],
    ['not absolute', 'example.com/hook', {}, /^input\.url must be an absolute URL$/],
    ['localhost', 'https://localhost/hook', {}, /^input\.url resolves to a loopback address \((127\.0\.0\.1|::1)\)/],
    ['localhost over http, not allowed', 'http://localhost/hook', { allowHttp: true }, /loopback address/],
    [
      '127.0.0.1',
      'https://127.0.0.1:8443/hook',
      {},
      'input.url resolves to a loopback address (127.0.0.1), which webhooks may not call',
    ],
    ['decimal 127.0.0.1', 'https://2130706433/hook', {}, /loopback address \(127\.0\.0\.1\)/],
    ['[::1]', 'https://[::1]/hook', {}, 'input.url resolves to a loopback address (::1), which webhooks may not call'],
    ['a private address', 'https://10.1.2.3/hook', {}, /resolves to a private address \(10\.1\.2\.3\)/],
    [
      'mapped metadata',
      'https://[::ffff:169.254.169.254]/',
      {},
      /resolves to a cloud metadata address \(::ffff:a9fe:a9fe\)/,
    ],
    [
      'metadata even when allowed as private',
      'http://169.254.169.254/latest/meta-data/',
      { allowHttp: true, allowedPrivateHosts: ['169.254.169.254'] },
      /resolves to a cloud metadata address \(169\.254\.169\.254\)/,
    ],
    ['a name that does not resolve', 'https://nx.invalid/hook', {}, /^input\.url host "nx\.invalid" does not resolve/],
  ])('%s', async (_label, url, overrides, message) => {
    const error = await refusal(checkWebhookUrl(url, { ...DEFAULT_OUTBOUND_POLICY, ...overrides }));
    expect(error.code).toBe(DomainErrorCode.BadUserInput);
    expect(error.field).toBe('input.url');
    if (typeof message === 'string') expect(error.message).toBe(message);
    else expect(error.message).toMatch(message);
  });

  it('names the field it is given', async () => {
    const error = await refusal(
      checkWebhookUrl('http://example.com/', DEFAULT_OUTBOUND_POLICY, 'input.webhooks[1].url'),
    );
    expect(error.field).toBe('input.webhooks[1].url');
    expect(error.message).toBe('input.webhooks[1].url must use https, got http:');
  });

  it.each<[string, string, OutboundPolicy]>([
    ['a public IPv4 literal', 'https://1.1.1.1/hook?x=1', DEFAULT_OUTBOUND_POLICY],
    ['a public IPv6 literal', 'https://[2606:4700::1111]:8443/hook', DEFAULT_OUTBOUND_POLICY],
    ['localhost when allowed, over http', 'http://localhost:8080/hook', DEV],
    ['127.0.0.1 when allowed', 'http://127.0.0.1:8080/hook', DEV],
  ])('accepts %s', async (_label, url, policy) => {
    expect((await checkWebhookUrl(url, policy)).href).toBe(url);
  });
});

interface Seen {
  headers: http.IncomingHttpHeaders;
  body: string;
  localAddress: string | undefined;
}

interface TestServer {
  url: string;
  port: number;
  seen: Seen[];
  connections: number;
}

const servers: http.Server[] = [];

afterEach(async () => {
  jest.restoreAllMocks();
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

/** A real HTTP server; `answer` runs once the request body has arrived. */
async function serve(
  answer: (req: http.IncomingMessage, res: http.ServerResponse) => void,
  host = '127.0.0.1',
): Promise<TestServer> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      seen.push({ headers: req.headers, body, localAddress: req.socket.localAddress });
      answer(req, res);
    });
  });
  servers.push(server);
  const state = { connections: 0 };
  server.on('connection', () => state.connections++);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}/hook`;
  return {
    url,
    port,
    seen,
    get connections() {
      return state.connections;
    },
  };
}

describe('safePost', () => {
  it('posts the body and headers and returns the status and the start of the body', async () => {
    const server = await serve((_req, res) => res.writeHead(201).end(`got it ${'a'.repeat(5000)}`));
    const body = JSON.stringify({ event: 'challenge.created', id: 'c-1' });
    const result = await safePost(
      server.url,
      { 'content-type': 'application/json', 'x-signature': 'v1=abc' },
      body,
      DEV,
    );
    expect(result.status).toBe(201);
    expect(result.body).toBe(`got it ${'a'.repeat(993)}`);
    expect(server.seen).toHaveLength(1);
    expect(server.seen[0].body).toBe(body);
    expect(server.seen[0].headers).toMatchObject({
      'content-type': 'application/json',
      'x-signature': 'v1=abc',
      'content-length': String(body.length),
      host: `127.0.0.1:${server.port}`,
    });
  });

  it('returns a redirect as its status and does not follow it', async () => {
    const target = await serve((_req, res) => res.writeHead(200).end('followed'));
    const server = await serve((_req, res) => res.writeHead(302, { location: target.url }).end());
    const result = await safePost(server.url, {}, '{}', DEV);
    expect(result).toEqual({ status: 302, body: '' });
    expect(target.connections).toBe(0);
    expect(target.seen).toHaveLength(0);
  });

  it('times out a server that never answers, within timeoutMs, and drops the connection', async () => {
    let dropped: Promise<void> = Promise.resolve();
    const server = await serve((req) => {
      dropped = new Promise((resolve) => req.socket.once('close', () => resolve()));
    });
    // The time-out's own words say it fired; the server seeing its socket closed says it was dropped.
    await expect(safePost(server.url, {}, '{}', { ...DEV, timeoutMs: 300 })).rejects.toThrow(
      /^timed out after 300 ms$/,
    );
    await dropped;
    expect(server.seen).toHaveLength(1);
  });

  it('reads at most maxResponseBytes of a 10 MB response and cuts the connection', async () => {
    const total = 10 * 1024 * 1024;
    const chunk = Buffer.alloc(64 * 1024, 'x');
    let sent = 0;
    let cut!: Promise<boolean>;
    const server = await serve((_req, res) => {
      cut = new Promise((resolve) => res.on('close', () => resolve(!res.writableFinished)));
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      // Paced, so the kernel's socket buffers cannot swallow the whole 10 MB before the client cuts.
      const next = () => {
        if (res.destroyed) return;
        if (sent >= total) return void res.end();
        sent += chunk.length;
        res.write(chunk, () => setTimeout(next, 2));
      };
      next();
    });
    const result = await safePost(server.url, {}, '{}', { ...DEV, maxResponseBytes: 4096 });
    expect(result.status).toBe(200);
    expect(result.body).toBe('x'.repeat(1000));
    expect(await cut).toBe(true);
    expect(sent).toBeLessThan(total);
  });

  it('refuses a loopback address without the allowance, before connecting', async () => {
    const server = await serve((_req, res) => res.end('reached'));
    const noPrivate = { ...DEFAULT_OUTBOUND_POLICY, allowHttp: true };
    await expect(safePost(server.url, {}, '{}', noPrivate)).rejects.toThrow(/^address 127\.0\.0\.1 is loopback$/);
    await expect(safePost(server.url, {}, '{}', DEFAULT_OUTBOUND_POLICY)).rejects.toThrow(
      /^url must use https, got http:$/,
    );
    expect(server.connections).toBe(0);
  });

  it('says "connection refused", not the socket error, when nothing listens', async () => {
    const server = await serve((_req, res) => res.end());
    const closing = servers.pop()!;
    await new Promise<void>((resolve) => closing.close(() => resolve()));
    await expect(safePost(server.url, {}, '{}', DEV)).rejects.toThrow(/^connection refused$/);
  });

  it('connects to the address it checked and sends the URL host as Host', async () => {
    const [checked] = await dns.lookup('localhost', { all: true, order: 'verbatim' });
    const server = await serve((_req, res) => res.end('pinned'), checked.address);
    const url = `http://localhost:${server.port}/hook`;
    const result = await safePost(url, {}, '{}', { ...DEV, allowedPrivateHosts: ['localhost'] });
    expect(result).toEqual({ status: 200, body: 'pinned' });
    expect(server.seen[0].headers.host).toBe(`localhost:${server.port}`);
    expect(server.seen[0].localAddress).toBe(checked.address);
  });

  it('does not look the name up again when connecting (no DNS rebinding)', async () => {
    const server = await serve((_req, res) => res.end('pinned'));
    // `.test` names never resolve: a second lookup by the socket would fail with ENOTFOUND.
    const lookup = jest
      .spyOn(dns, 'lookup')
      .mockImplementation((async () => [{ address: '127.0.0.1', family: 4 }]) as unknown as typeof dns.lookup);
    const url = `http://rebind.test:${server.port}/hook`;
    const result = await safePost(url, {}, '{}', { ...DEV, allowedPrivateHosts: ['rebind.test'] });
    expect(result.body).toBe('pinned');
    expect(lookup).toHaveBeenCalledTimes(1);
    expect(server.seen[0].headers.host).toBe(`rebind.test:${server.port}`);
  });

  it('checks again at delivery: a name that now resolves to a private address is refused', async () => {
    const answers = ['93.184.215.14', '10.0.0.1'];
    jest
      .spyOn(dns, 'lookup')
      .mockImplementation((async () => [{ address: answers.shift(), family: 4 }]) as unknown as typeof dns.lookup);
    const url = 'https://hooks.example.com/in';
    await expect(checkWebhookUrl(url, DEFAULT_OUTBOUND_POLICY)).resolves.toBeInstanceOf(URL);
    await expect(safePost(url, {}, '{}', DEFAULT_OUTBOUND_POLICY)).rejects.toThrow(/^address 10\.0\.0\.1 is private$/);
  });

  it('refuses when any one of the addresses is forbidden', async () => {
    jest.spyOn(dns, 'lookup').mockImplementation((async () => [
      { address: '93.184.215.14', family: 4 },
      { address: 'fd00:ec2::254', family: 6 },
    ]) as unknown as typeof dns.lookup);
    await expect(safePost('https://hooks.example.com/in', {}, '{}', DEFAULT_OUTBOUND_POLICY)).rejects.toThrow(
      /^address fd00:ec2::254 is cloud metadata$/,
    );
  });

  it('bounds a name lookup that never answers by the same time-out', async () => {
    jest.spyOn(dns, 'lookup').mockImplementation((() => new Promise(() => undefined)) as unknown as typeof dns.lookup);
    await expect(
      safePost('https://hooks.example.com/in', {}, '{}', { ...DEFAULT_OUTBOUND_POLICY, timeoutMs: 200 }),
    ).rejects.toThrow(/^timed out after 200 ms$/);
  });

  it('sends the URL host as TLS server name on the pinned connection, and says why TLS failed', async () => {
    const names: string[] = [];
    const server = tls.createServer({
      SNICallback: (name, done) => {
        names.push(name);
        done(new Error('no certificate here'), undefined);
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    jest
      .spyOn(dns, 'lookup')
      .mockImplementation((async () => [{ address: '127.0.0.1', family: 4 }]) as unknown as typeof dns.lookup);
    const policy = { ...DEFAULT_OUTBOUND_POLICY, allowedPrivateHosts: ['hooks.example.test'] };
    const failure = safePost(`https://hooks.example.test:${port}/in`, {}, '{}', policy);
    await expect(failure).rejects.toThrow(/^(connection reset|TLS handshake failed|TLS certificate rejected \(\w+\))$/);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(names).toEqual(['hooks.example.test']);
  });
});
