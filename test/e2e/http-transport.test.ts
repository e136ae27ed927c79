/**
 * The HTTP transport's own limits, met by real clients: a body over the limit is answered 413 in
 * a way the client reads (whatever the client, whether the length is declared or streamed), and
 * a client that trickles its headers or body is answered 408 and disconnected.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { Readable } from 'node:stream';
import { DEFAULT_LIMITS } from '../../src/config';
import { asResult, expectErrors, RELAXED_LIMITS, startTestServer, TestServer } from '../helpers/server';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ limits: { ...RELAXED_LIMITS, requestTimeoutMs: 1500, headersTimeoutMs: 1500 } });
});
afterAll(() => t?.stop());

// A body twice the limit, as valid JSON (a client with a very long query, say).
const BIG = JSON.stringify({ query: `{ __typename }`, padding: 'x'.repeat(2 * DEFAULT_LIMITS.maxBodyBytes) });
const CHUNK = 64 * 1024;
const chunks = () =>
  Array.from({ length: Math.ceil(BIG.length / CHUNK) }, (_, i) => BIG.slice(i * CHUNK, (i + 1) * CHUNK));

type Answer = { status: number; code: unknown };

/** The code of the first error in a response body. */
const codeIn = (body: string): unknown => expectErrors(asResult(JSON.parse(body)))[0].extensions?.code;

const viaFetch = async (streamed: boolean): Promise<Answer> => {
  const res = await fetch(t.server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: streamed ? (Readable.toWeb(Readable.from(chunks())) as ReadableStream) : BIG,
    ...(streamed ? { duplex: 'half' } : {}),
  } as RequestInit);
  const json = (await res.json()) as { errors: { extensions: { code: unknown } }[] };
  return { status: res.status, code: json.errors[0].extensions.code };
};

const viaNodeHttp = (streamed: boolean): Promise<Answer> =>
  new Promise((resolve, reject) => {
    const req = http.request(t.server.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(streamed ? {} : { 'content-length': Buffer.byteLength(BIG) }),
      },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode ?? 0, code: codeIn(text) });
        } catch (error) {
          reject(error);
        }
      });
    });
    Readable.from(chunks()).pipe(req);
  });

// As curl sends it (no `Expect: 100-continue`): headers and the whole body written at once.
const viaSocket = (): Promise<Answer> =>
  new Promise((resolve, reject) => {
    const socket = net.connect(t.server.port, '127.0.0.1', () =>
      socket.end(
        'POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
          `Content-Length: ${Buffer.byteLength(BIG)}\r\nConnection: close\r\n\r\n${BIG}`,
      ),
    );
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (c: string) => (text += c));
    socket.on('error', reject);
    socket.on('close', () => {
      const [head, body] = text.split('\r\n\r\n');
      try {
        resolve({ status: Number(head.split(' ')[1]), code: codeIn(body) });
      } catch (error) {
        reject(error);
      }
    });
  });

// curl without `Expect: 100-continue` is the client that met a broken pipe before the drain.
const viaCurl = (): Promise<Answer> =>
  new Promise((resolve, reject) => {
    const file = path.join(os.tmpdir(), `big-body-${process.pid}.json`);
    writeFileSync(file, BIG);
    const args = ['-sS', '-H', 'Expect:', '-H', 'content-type: application/json', '-w', '\n%{http_code}'];
    execFile('curl', [...args, '--data-binary', `@${file}`, t.server.url], (error, stdout, stderr) => {
      if (error) return reject(new Error(`curl: ${stderr}`));
      const lines = stdout.trim().split('\n');
      resolve({ status: Number(lines.pop()), code: codeIn(lines.join('\n')) });
    });
  });

describe('a body over MAX_BODY_BYTES', () => {
  it.each([
    ['fetch (undici), Content-Length', () => viaFetch(false)],
    ['fetch (undici), streamed', () => viaFetch(true)],
    ['node:http, Content-Length', () => viaNodeHttp(false)],
    ['node:http, chunked', () => viaNodeHttp(true)],
    ['a raw socket writing it all at once', () => viaSocket()],
    ['curl, without Expect: 100-continue', () => viaCurl()],
  ])('is answered 413 PAYLOAD_TOO_LARGE that %s reads', async (_client, send) => {
    expect(await send()).toEqual({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
  });
});

/** Sends `text` on a raw socket and never more; resolves with what came back when the server closes. */
const trickle = (text: string): Promise<string> =>
  new Promise((resolve, reject) => {
    const socket = net.connect(t.server.port, '127.0.0.1', () => socket.write(text));
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (c: string) => (answer += c));
    socket.on('error', reject);
    socket.on('close', () => resolve(answer));
  });

describe('a client that stops sending', () => {
  const head = 'POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n';
  it.each([
    ['half a body', `${head}Content-Length: 100\r\n\r\n{"query":"{ __typ`],
    ['headers and no body', `${head}Content-Length: 30\r\n\r\n`],
    ['half the headers', `${head}Content-Le`],
  ])('is answered 408 and disconnected after %s', async (_what, text) => {
    const answer = await trickle(text);
    expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 408 Request Timeout');
  });

  it('leaves a client that sends in time alone', async () => {
    const { status, json } = await t.raw({ query: '{ __typename }' });
    expect({ status, data: json.data }).toEqual({ status: 200, data: { __typename: 'Query' } });
  });
});
