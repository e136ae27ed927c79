/**
 * The client's address behind reverse proxies: the socket's peer, unless that peer is a trusted
 * proxy, in which case `X-Forwarded-For` is read from the right, each entry written by the hop
 * before, until an address that is not a trusted proxy — the first one no trusted party vouches
 * for beyond. Entries further left were written by the client itself and are never believed.
 */
import { BlockList, isIP } from 'node:net';

/** Decides, for one `TRUST_PROXY` setting, which address a request comes from. */
export type ClientAddressOf = (
  peer: string | undefined,
  forwardedFor: string | string[] | undefined,
) => string | undefined;

// IPv4 peers of a dual-stack socket arrive as ::ffff:a.b.c.d.
const plain = (address: string) =>
  address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;

/** A {@link ClientAddressOf} for `false` (the peer), `true` (the header's first entry) or a list of proxies. */
export function clientAddressOf(trust: boolean | readonly string[]): ClientAddressOf {
  const entries = (header: string | string[] | undefined) =>
    (Array.isArray(header) ? header.join(',') : (header ?? ''))
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
  if (trust === false) return (peer) => peer;
  if (trust === true) return (peer, header) => entries(header)[0] ?? peer;
  const trusted = new BlockList();
  for (const item of trust) {
    const [address, bits] = item.split('/');
    const family = isIP(address) === 4 ? 'ipv4' : 'ipv6';
    if (bits === undefined) trusted.addAddress(address, family);
    else trusted.addSubnet(address, Number(bits), family);
  }
  const isTrusted = (address: string) => {
    const family = isIP(address);
    return family !== 0 && trusted.check(address, family === 4 ? 'ipv4' : 'ipv6');
  };
  return (peer, header) => {
    if (peer === undefined) return undefined;
    let address = plain(peer);
    const hops = entries(header);
    while (isTrusted(address) && hops.length) address = plain(hops.pop()!);
    return address;
  };
}
