/**
 * Which address a request comes from, per TRUST_PROXY: the peer; the header's first entry; or,
 * with a list of proxies, the header read from the right up to the first untrusted address.
 */
import { clientAddressOf } from '../../src/server/client-address';

const PROXIES = ['127.0.0.1', '10.0.0.0/8', '::1'];

describe('clientAddressOf', () => {
  it.each([
    // [trust, peer, X-Forwarded-For, address]
    [false, '203.0.113.9', '198.51.100.1', '203.0.113.9'],
    [true, '127.0.0.1', '198.51.100.1, 10.0.0.2', '198.51.100.1'],
    [true, '127.0.0.1', undefined, '127.0.0.1'],
    [PROXIES, '127.0.0.1', '198.51.100.1', '198.51.100.1'],
    [PROXIES, '::ffff:127.0.0.1', '198.51.100.1', '198.51.100.1'],
    [PROXIES, '::1', '2001:db8::5', '2001:db8::5'],
    // What the client wrote itself, left of the address the proxy saw, is never believed.
    [PROXIES, '127.0.0.1', '192.0.2.66, 198.51.100.1', '198.51.100.1'],
    // Through two trusted hops (a load balancer in 10/8, then nginx on loopback).
    [PROXIES, '127.0.0.1', '192.0.2.66, 198.51.100.1, 10.1.2.3', '198.51.100.1'],
    [PROXIES, '127.0.0.1', ['192.0.2.66', '198.51.100.1'], '198.51.100.1'],
    // A peer that is not a proxy: its header is ignored.
    [PROXIES, '203.0.113.9', '198.51.100.1', '203.0.113.9'],
    // Only trusted hops in the header: the leftmost is as far as anyone vouches.
    [PROXIES, '127.0.0.1', '10.0.0.7', '10.0.0.7'],
    [PROXIES, '127.0.0.1', undefined, '127.0.0.1'],
  ] as const)('with %j, peer %s and X-Forwarded-For %j: %s', (trust, peer, header, expected) => {
    const addressOf = clientAddressOf(trust as boolean | readonly string[]);
    expect(addressOf(peer, header as string | string[] | undefined)).toBe(expected);
  });
});
