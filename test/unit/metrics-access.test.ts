/**
 * Who may read /metrics: with a token, whoever sends it; without, loopback callers that came
 * through no proxy. (The e2e test scrapes over loopback; this table covers the other peers.)
 */
import type { FastifyRequest } from 'fastify';
import { metricsRefusal } from '../../src/server/metrics-route';

const TOKEN = 'metrics-token-0123456789abcdef';

const request = (peer: string, headers: Record<string, string> = {}) =>
  ({ headers, raw: { socket: { remoteAddress: peer } } }) as unknown as FastifyRequest;

describe('metricsRefusal', () => {
  it.each([
    // [token, peer, headers, status (0: allowed)]
    [undefined, '127.0.0.1', {}, 0],
    [undefined, '127.8.9.10', {}, 0],
    [undefined, '::1', {}, 0],
    [undefined, '::ffff:127.0.0.1', {}, 0],
    [undefined, '203.0.113.9', {}, 403],
    [undefined, '::ffff:203.0.113.9', {}, 403],
    [undefined, '10.0.0.5', {}, 403],
    [undefined, '127.0.0.1', { 'x-forwarded-for': '203.0.113.9' }, 403],
    [undefined, '127.0.0.1', { forwarded: 'for=203.0.113.9' }, 403],
    [TOKEN, '203.0.113.9', { authorization: `Bearer ${TOKEN}` }, 0],
    [TOKEN, '203.0.113.9', { authorization: `bearer ${TOKEN}` }, 0],
    [TOKEN, '203.0.113.9', { authorization: `Bearer ${TOKEN}x` }, 401],
    [TOKEN, '203.0.113.9', {}, 401],
    // With a token, loopback is no exception.
    [TOKEN, '127.0.0.1', {}, 401],
  ] as const)('token %s, peer %s, headers %j: %i', (token, peer, headers, status) => {
    const refusal = metricsRefusal(request(peer, headers), token);
    expect(refusal?.status ?? 0).toBe(status);
  });
});
