import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** One message an SMTP server received: the envelope and the raw message (CRLF line ends). */
export interface ReceivedMail {
  from: string;
  to: string[];
  /** Who logged in, when the client did. */
  user?: string;
  raw: string;
}

/** A real SMTP server on loopback, in the test process, that accepts and keeps every message. */
export interface SmtpCapture {
  /** `smtp://127.0.0.1:<port>`, for `SMTP_URL`. */
  url: string;
  port: number;
  messages: ReceivedMail[];
  /** Resolves with the messages once there are at least `n`; rejects after `timeoutMs`. */
  waitFor(n: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

/** Starts an SMTP server on 127.0.0.1 and a free port: no TLS, any login or none. */
export async function startSmtpServer(): Promise<SmtpCapture> {
  const messages: ReceivedMail[] = [];
  const waiters = new Set<() => void>();
  const server = new SMTPServer({
    authOptional: true,
    // Tests log in over plain TCP; a real server would require TLS first.
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth: (auth, _session, callback) => callback(null, { user: auth.username }),
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('error', callback);
      stream.on('end', () => {
        messages.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((a) => a.address),
          user: typeof session.user === 'string' ? session.user : undefined,
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        waiters.forEach((wake) => wake());
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    messages,
    waitFor: (n, timeoutMs = 5_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (messages.length < n) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(messages.slice());
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`expected ${n} messages within ${timeoutMs} ms, got ${messages.length}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * A raw message's parts, decoded just enough for tests: header fields, the text and the HTML body (with
 * `\n` line ends, as they were before sending).
 */
export interface ParsedMail {
  /** A header field's value, unfolded, encoded words (RFC 2047) decoded; undefined when absent. */
  header(name: string): string | undefined;
  text: string | undefined;
  html: string | undefined;
}

interface Part {
  headers: Map<string, string>;
  body: string;
}

/** Parses a raw message (RFC 5322 + MIME) far enough to read what our mails hold. Not a general parser. */
export function parseMail(raw: string): ParsedMail {
  const top = splitPart(raw);
  const leaves = leafParts(top);
  const bodyOf = (type: string) => {
    const part = leaves.find((p) => (p.headers.get('content-type') ?? 'text/plain').startsWith(type));
    return part && decodeBody(part);
  };
  return {
    header: (name) => {
      const value = top.headers.get(name.toLowerCase());
      return value === undefined ? undefined : decodeWords(value);
    },
    text: bodyOf('text/plain'),
    html: bodyOf('text/html'),
  };
}

function splitPart(raw: string): Part {
  const normal = raw.replace(/\r\n/g, '\n');
  const end = normal.indexOf('\n\n');
  const head = end < 0 ? normal : normal.slice(0, end);
  const headers = new Map<string, string>();
  for (const field of head.replace(/\n[ \t]+/g, ' ').split('\n')) {
    const colon = field.indexOf(':');
    if (colon > 0) headers.set(field.slice(0, colon).trim().toLowerCase(), field.slice(colon + 1).trim());
  }
  return { headers, body: end < 0 ? '' : normal.slice(end + 2) };
}

function leafParts(part: Part): Part[] {
  const type = part.headers.get('content-type') ?? '';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (!type.toLowerCase().startsWith('multipart/') || !boundary) return [part];
  return part.body
    .split(`--${boundary}`)
    .slice(1)
    .filter((chunk) => !chunk.startsWith('--'))
    .flatMap((chunk) => leafParts(splitPart(chunk.replace(/^\n/, ''))));
}

function decodeBody(part: Part): string {
  const encoding = (part.headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  const body = part.body.replace(/\n$/, '');
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(body);
  return body;
}

/** Quoted-printable (RFC 2045): soft line breaks removed, `=XX` bytes decoded as UTF-8. */
export function decodeQuotedPrintable(text: string): string {
  return quotedPrintableBytes(text).toString('utf8');
}

function quotedPrintableBytes(text: string): Buffer {
  const bytes: number[] = [];
  const joined = text.replace(/=\r?\n/g, '');
  for (let i = 0; i < joined.length; i++) {
    if (joined[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(joined.slice(i + 1, i + 3))) {
      bytes.push(parseInt(joined.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(joined[i], 'utf8'));
    }
  }
  return Buffer.from(bytes);
}

const WORD = /=\?[^?]+\?([QqBb])\?([^?]*)\?=/g;

/**
 * Encoded words (RFC 2047), `=?UTF-8?Q?…?=` and `=?UTF-8?B?…?=`. A run of adjacent words is decoded as one
 * byte string (a character's bytes may be split between two words) and the whitespace between them dropped.
 */
function decodeWords(value: string): string {
  return value.replace(/=\?[^?]+\?[QqBb]\?[^?]*\?=(?:\s+=\?[^?]+\?[QqBb]\?[^?]*\?=)*/g, (run) =>
    Buffer.concat(
      [...run.matchAll(WORD)].map(([, kind, data]) =>
        kind.toUpperCase() === 'B' ? Buffer.from(data, 'base64') : quotedPrintableBytes(data.replace(/_/g, ' ')),
      ),
    ).toString('utf8'),
  );
}
