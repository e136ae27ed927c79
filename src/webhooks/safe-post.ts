/** One outbound POST that reaches only the address it checked, follows no redirect and stops at its limits. */
import type { LookupAddress, LookupOptions } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { OutboundPolicy, hostOf, parseWebhookUrl, resolveAllowedAddresses } from './outbound-policy';

/** Characters of the response body kept for the caller (for a delivery log). */
export const RESPONSE_BODY_CHARS = 1000;

/** What an endpoint answered: its status (a 3xx included, never followed) and the start of its body. */
export interface PostResult {
  status: number;
  /** The first ≤ 1,000 characters of the bytes read (at most `maxResponseBytes`), decoded as UTF-8. */
  body: string;
}

/**
 * A `lookup` for `http.request` that answers every query with the one address already checked, so the connection
 * goes where the check looked even if the name's DNS answer has changed since (DNS rebinding).
 * Node 20 asks with `{ all: true }` when it may race address families (autoSelectFamily), plain otherwise.
 */
function pinnedLookup(pinned: LookupAddress): LookupFunction {
  return (_hostname: string, options: LookupOptions, callback) => {
    if (options.all) callback(null, [pinned]);
    else callback(null, pinned.address, pinned.family);
  };
}

const NETWORK_ERRORS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection reset',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EADDRNOTAVAIL: 'address not available',
  EPROTO: 'TLS handshake failed',
};

/** A short description of a socket, TLS or parser failure for the endpoint's owner: the code, never the stack. */
function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === undefined) return 'request failed';
  if (code in NETWORK_ERRORS) return NETWORK_ERRORS[code];
  if (code.startsWith('HPE_')) return `invalid HTTP response (${code})`;
  if (/CERT|TLS|SSL|SIGNATURE/.test(code)) return `TLS certificate rejected (${code})`;
  return `request failed (${code})`;
}

/**
 * Sends one POST to a webhook URL under `policy`. The URL's form is checked as at registration, its host resolved
 * again and every address checked; the connection then goes to the first of them, pinned (SNI and the `Host` header
 * keep the URL's host). A 3xx is returned as it is. The whole call — lookup, connect, response — is bounded by
 * `policy.timeoutMs`; at most `policy.maxResponseBytes` of the body are read before the connection is destroyed.
 * Rejects with an Error whose message is short and safe to show the endpoint's owner (`connection refused`,
 * `timed out after 10000 ms`, `address 10.0.0.1 is private`).
 */
export async function safePost(
  url: string,
  headers: Record<string, string>,
  body: string,
  policy: OutboundPolicy,
): Promise<PostResult> {
  const target = parseWebhookUrl(url, policy);
  return new Promise<PostResult>((resolve, reject) => {
    let request: http.ClientRequest | undefined;
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outcome();
      request?.destroy();
    };
    const fail = (message: string) => finish(() => reject(new Error(message)));
    const timer = setTimeout(() => fail(`timed out after ${policy.timeoutMs} ms`), policy.timeoutMs);

    // Both outcomes are handled here, so the chained promise never rejects.
    void resolveAllowedAddresses(target, policy).then(
      ([pinned]) => {
        if (settled) return; // timed out during the lookup
        try {
          request = send(target, pinned, headers, body, policy, (result) => finish(() => resolve(result)), fail);
        } catch (error) {
          fail(describe(error)); // e.g. ERR_INVALID_CHAR: a header value the caller built badly
        }
      },
      (error: Error) => fail(error.message),
    );
  });
}

function send(
  target: URL,
  pinned: LookupAddress,
  headers: Record<string, string>,
  body: string,
  policy: OutboundPolicy,
  done: (result: PostResult) => void,
  fail: (message: string) => void,
): http.ClientRequest {
  const client = target.protocol === 'https:' ? https : http;
  const request = client.request({
    method: 'POST',
    protocol: target.protocol,
    host: hostOf(target),
    port: target.port === '' ? undefined : Number(target.port),
    path: `${target.pathname}${target.search}`,
    headers: { ...headers, host: target.host, 'content-length': String(Buffer.byteLength(body)) },
    lookup: pinnedLookup(pinned),
    // A TLS name, never an IP literal (RFC 6066); certificate checks still use the URL's host.
    servername: isIP(hostOf(target)) === 0 ? hostOf(target) : undefined,
    // A fresh socket per call: a pooled one could have been opened to another address, and is ours to destroy.
    agent: false,
  });
  request.on('error', (error) => fail(describe(error)));
  request.on('response', (response) => {
    const chunks: Buffer[] = [];
    let read = 0;
    const result = () => ({
      status: response.statusCode ?? 0,
      body: Buffer.concat(chunks).toString('utf8').slice(0, RESPONSE_BODY_CHARS),
    });
    response.on('data', (chunk: Buffer) => {
      const room = policy.maxResponseBytes - read;
      chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
      read += Math.min(chunk.length, room);
      // Enough read: what the endpoint sends after this is not worth the bandwidth; `done` destroys the socket.
      if (chunk.length >= room) done(result());
    });
    response.on('end', () => done(result()));
    response.on('error', (error) => fail(describe(error)));
    response.on('close', () => {
      if (!response.complete) fail('connection closed before the response ended');
    });
  });
  request.end(body);
  return request;
}
