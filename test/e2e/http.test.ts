import http from 'node:http';
import { asResult, expectData, expectErrors, startTestServer, TestServer } from '../helpers/server';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t?.stop());

const base = () => t.server.url.replace(/\/graphql$/, '');

describe('HTTP surface', () => {
  it('answers /healthz and /readyz', async () => {
    expect(await (await fetch(`${base()}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${base()}/readyz`);
    expect(ready.status).toBe(200);
  });

  it('runs queries over GET (with the CSRF preflight header) and refuses mutations over GET', async () => {
    const q = encodeURIComponent('{ sdgs { id } }');
    const res = await fetch(`${t.server.url}?query=${q}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(res.status).toBe(200);
    expect(expectData(asResult<{ sdgs: unknown[] }>(await res.json())).sdgs).toHaveLength(17);
    const m = encodeURIComponent('mutation { createMission(input: { title: "x", sdgs: [1] }) { id } }');
    const refused = await fetch(`${t.server.url}?query=${m}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(refused.status).toBe(405);
  });

  it('tells browsers and proxies to keep no answer, refusals included (cache-control: no-store)', async () => {
    const q = encodeURIComponent('{ sdgs { id } }');
    const get = await fetch(`${t.server.url}?query=${q}`, { headers: { 'apollo-require-preflight': 'true' } });
    const post = await fetch(t.server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ sdgs { id } }' }),
    });
    const refused = await fetch(t.server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ nope }' }),
    });
    expect([get.status, post.status, refused.status]).toEqual([200, 200, 400]);
    for (const res of [get, post, refused]) expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('keeps CSRF prevention on: a simple GET without a preflight header is refused', async () => {
    const res = await fetch(`${t.server.url}?query=${encodeURIComponent('{ sdgs { id } }')}`);
    expect(res.status).toBe(400);
  });

  it('answers malformed JSON and oversized bodies with 4xx, not 5xx', async () => {
    const bad = await fetch(t.server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query":',
    });
    expect(bad.status).toBe(400);
    const huge = await fetch(t.server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ sdgs { id } } # ${'x'.repeat(1_100_000)}` }),
    });
    expect(huge.status).toBe(413);
    expect(await huge.json()).toEqual({
      errors: [
        {
          message: 'The request body must be at most 1000000 bytes (MAX_BODY_BYTES)',
          extensions: { code: 'PAYLOAD_TOO_LARGE' },
        },
      ],
    });
    expect((await fetch(`${base()}/healthz`)).status).toBe(200);
  });

  it.each([
    ['a declared Content-Length over the limit, before a byte of it is sent', { 'content-length': '50000000' }, 0],
    ['a chunked body that grows past the limit', { 'transfer-encoding': 'chunked' }, 40],
  ])('answers 413 to %s', async (_what, headers, chunks) => {
    const { port } = new URL(t.server.url);
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request({
        port,
        path: '/graphql',
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on('error', reject);
      req.flushHeaders();
      // 40 chunks of 64 kB: 2.6 MB, well past the 1 MB limit; a server that waited for the end
      // or reset the connection would fail this.
      let sent = 0;
      const more = () => {
        if (sent++ < chunks && !req.destroyed) req.write(Buffer.alloc(65536, 32), () => setImmediate(more));
      };
      more();
    });
    expect(status).toBe(413);
  });

  it('serves the IDE to browsers from local assets only, with the examples', async () => {
    const res = await fetch(t.server.url, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<div id="graphiql">');
    expect(html).toContain('OpenChallenges');
    expect(html).toContain('FindPartners');
    const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThanOrEqual(5);
    for (const ref of refs) {
      expect(ref).toMatch(/^\/ide\//);
      const asset = await fetch(`${base()}${ref}`);
      expect(asset.status).toBe(200);
      const body = await asset.text();
      // No asset loads anything from another host: no absolute script, style, font or import URLs.
      expect(body).not.toMatch(/(?:src=|href=|url\(|import\()\s*["']?https?:\/\//);
    }
  });

  it('refuses a subscription over HTTP with a 400 that points to WebSocket', async () => {
    const { status, json } = await t.raw({ query: 'subscription { partnerJoined { id } }' });
    expect(status).toBe(400);
    expect(expectErrors(json)[0]).toMatchObject({ extensions: { code: 'BAD_REQUEST' } });
    expect(expectErrors(json)[0].message).toMatch(/WebSocket/);
  });

  it('serves the widget script and a sample portal page', async () => {
    const js = await fetch(`${base()}/embed/matches.js`);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    // The bundle (esbuild's output) writes the name in double quotes.
    expect(await js.text()).toMatch(/customElements\.define\(["']partner-matches["']/);
    const page = await (await fetch(`${base()}/embed/example.html`)).text();
    expect(page).toContain('<script src="/embed/matches.js"></script>');
    expect(page).toContain('<partner-matches');
  });

  it('says 404 for unknown paths', async () => {
    expect((await fetch(`${base()}/nope`)).status).toBe(404);
  });
});
