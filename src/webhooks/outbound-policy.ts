/** Which URLs and addresses the service may call out to: public https endpoints, never its own network. */
import type { LookupAddress } from 'node:dns';
import dns from 'node:dns/promises';
import { BlockList, isIP, isIPv4 } from 'node:net';
import { badInput } from '../domain/errors';

/** How the service may call out. */
export interface OutboundPolicy {
  /** Plain http allowed (development and tests). @default false */
  allowHttp: boolean;
  /**
   * Host names (exact, lower-case; IPv6 literals without brackets) allowed to resolve to private, loopback or
   * other non-public addresses, e.g. `['localhost']`. Cloud metadata addresses stay refused even for these.
   * @default []
   */
  allowedPrivateHosts: readonly string[];
  /** Whole-request time-out in milliseconds (name lookup, connect and response). @default 10000 */
  timeoutMs: number;
  /**
   * Response body bytes read before the response is cut (the rest is discarded, the connection destroyed).
   * @default 65536
   */
  maxResponseBytes: number;
}

/** The production policy: https only, public addresses only. */
export const DEFAULT_OUTBOUND_POLICY: OutboundPolicy = Object.freeze({
  allowHttp: false,
  allowedPrivateHosts: Object.freeze([]),
  timeoutMs: 10_000,
  maxResponseBytes: 65_536,
});

/** Longest webhook URL accepted. */
export const MAX_WEBHOOK_URL_LENGTH = 2048;

const CLOUD_METADATA = 'cloud metadata';

/**
 * Address ranges no webhook may reach, most specific first: the first list holding an address names its reason
 * (169.254.169.254 is cloud metadata before it is link-local; 255.255.255.255 broadcast before reserved).
 * Embedded IPv4 forms (mapped, NAT64, 6to4) are unwrapped before these are consulted.
 */
const RANGES: readonly (readonly [reason: string, cidrs: readonly string[]])[] = [
  // AWS/GCP/Azure/Oracle metadata, AWS ECS task metadata, AWS IPv6 metadata, Alibaba metadata, Azure WireServer.
  [
    CLOUD_METADATA,
    ['169.254.169.254/32', '169.254.170.2/32', 'fd00:ec2::254/128', '100.100.100.200/32', '168.63.129.16/32'],
  ],
  ['broadcast', ['255.255.255.255/32']],
  ['unspecified', ['0.0.0.0/8', '::/128']],
  ['loopback', ['127.0.0.0/8', '::1/128']],
  // RFC 1918, CGNAT shared space (RFC 6598), unique-local (RFC 4193), old site-local, local-use NAT64 (RFC 8215).
  [
    'private',
    ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', 'fc00::/7', 'fec0::/10', '64:ff9b:1::/48'],
  ],
  ['link-local', ['169.254.0.0/16', 'fe80::/10']],
  ['multicast', ['224.0.0.0/4', 'ff00::/8']],
  [
    'reserved',
    [
      // IETF protocol assignments, documentation, 6to4 relay anycast, benchmarking, class E.
      '192.0.0.0/24',
      '192.0.2.0/24',
      '198.51.100.0/24',
      '203.0.113.0/24',
      '192.88.99.0/24',
      '198.18.0.0/15',
      '240.0.0.0/4',
      // Discard-only, IETF protocol assignments (Teredo, ORCHID, benchmarking), documentation, SRv6 SIDs.
      '100::/64',
      '2001::/23',
      '2001:db8::/32',
      '3fff::/20',
      '5f00::/16',
    ],
  ],
];

const LISTS: readonly (readonly [string, BlockList])[] = RANGES.map(([reason, cidrs]) => {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [network, prefix] = cidr.split('/');
    list.addSubnet(network, Number(prefix), isIPv4(network) ? 'ipv4' : 'ipv6');
  }
  return [reason, list] as const;
});

/** Only global unicast (2000::/3) IPv6 is public; everything outside it not named above is reserved. */
const GLOBAL_UNICAST = new BlockList();
GLOBAL_UNICAST.addSubnet('2000::', 3, 'ipv6');

function listed(ip: string, family: 'ipv4' | 'ipv6'): string | undefined {
  return LISTS.find(([, list]) => list.check(ip, family))?.[0];
}

/** The eight 16-bit words of a valid IPv6 address (zone dropped, a trailing dotted quad folded in). */
function ipv6Words(ip: string): number[] {
  let text = ip.split('%')[0];
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    const [a, b, c, d] = tail.split('.').map(Number);
    text = `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, rest] = text.split('::');
  const words = (part: string | undefined) => (part ? part.split(':').map((w) => parseInt(w, 16)) : []);
  const front = words(head);
  if (rest === undefined) return front;
  const back = words(rest);
  return [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
}

function embeddedIpv4(high: number, low: number): string {
  return `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
}

function ipv6Reason(ip: string): string | undefined {
  const w = ipv6Words(ip);
  const zeros = (from: number, to: number) => w.slice(from, to).every((word) => word === 0);
  // IPv4-mapped ::ffff:a.b.c.d is an IPv4 connection: its IPv4 rules apply, public ones included.
  if (zeros(0, 5) && w[5] === 0xffff) return forbiddenAddressReason(embeddedIpv4(w[6], w[7]));
  // NAT64 (RFC 6052) 64:ff9b::/96 reaches the embedded IPv4 address through the translator.
  if (w[0] === 0x64 && w[1] === 0xff9b && zeros(2, 6)) return forbiddenAddressReason(embeddedIpv4(w[6], w[7]));
  // 6to4 2002:AABB:CCDD::/48 is routed to the relay for AA.BB.CC.DD.
  if (w[0] === 0x2002) {
    const inner = forbiddenAddressReason(embeddedIpv4(w[1], w[2]));
    if (inner !== undefined) return inner;
  }
  const canonical = w.map((word) => word.toString(16)).join(':');
  const reason = listed(canonical, 'ipv6');
  if (reason !== undefined) return reason;
  // Deprecated IPv4-compatible ::a.b.c.d: name the embedded address's class where it has one.
  if (zeros(0, 6)) return forbiddenAddressReason(embeddedIpv4(w[6], w[7])) ?? 'reserved';
  return GLOBAL_UNICAST.check(canonical, 'ipv6') ? undefined : 'reserved';
}

/**
 * Why an IP address may not be called, or `undefined` if it may: `'loopback'`, `'private'` (RFC 1918, CGNAT,
 * unique-local), `'link-local'`, `'multicast'`, `'broadcast'`, `'cloud metadata'`, `'unspecified'`, `'reserved'`
 * (documentation, benchmarking, class E, IPv6 outside global unicast), or `'invalid'` for text that is no address.
 * IPv4-mapped, NAT64 and 6to4 IPv6 addresses are judged by the IPv4 address they carry.
 */
export function forbiddenAddressReason(ip: string): string | undefined {
  switch (isIP(ip.split('%')[0])) {
    case 4:
      return listed(ip, 'ipv4');
    case 6:
      return ipv6Reason(ip);
    default:
      return 'invalid';
  }
}

/**
 * A URL or address the policy refuses. `message` is short and safe to show an endpoint's owner at delivery;
 * `rule` completes a registration message after the field's name.
 */
export class OutboundRefusal extends Error {
  override name = 'OutboundRefusal';

  constructor(
    readonly rule: string,
    message: string,
  ) {
    super(message);
  }
}

/** Parses a webhook URL and checks its form (scheme, credentials, fragment, length); throws {@link OutboundRefusal}. */
export function parseWebhookUrl(url: string, policy: OutboundPolicy): URL {
  if (url.length > MAX_WEBHOOK_URL_LENGTH) {
    const rule = `must be at most ${MAX_WEBHOOK_URL_LENGTH} characters, got ${url.length}`;
    throw new OutboundRefusal(rule, `url ${rule}`);
  }
  if (!URL.canParse(url)) throw new OutboundRefusal('must be an absolute URL', 'url is not an absolute URL');
  const parsed = new URL(url);
  const schemes = policy.allowHttp ? ['https:', 'http:'] : ['https:'];
  if (!schemes.includes(parsed.protocol)) {
    const rule = `must use ${policy.allowHttp ? 'http or https' : 'https'}, got ${parsed.protocol}`;
    throw new OutboundRefusal(rule, `url ${rule}`);
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw new OutboundRefusal('must not contain a user name or password', 'url contains credentials');
  }
  // An empty fragment ("…/hook#") leaves `hash` empty but still shows in `href`, where `#` can only start one.
  if (parsed.href.includes('#')) throw new OutboundRefusal('must not have a fragment (#…)', 'url has a fragment');
  return parsed;
}

/** The host to resolve and match against `allowedPrivateHosts`: an IPv6 literal loses its brackets. */
export function hostOf(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}

async function lookupAll(host: string, timeoutMs: number): Promise<LookupAddress[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const rule = `host "${host}" did not resolve within ${timeoutMs} ms`;
      reject(new OutboundRefusal(rule, `lookup of ${host} timed out after ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    // getaddrinfo cannot be cancelled: after a time-out its answer arrives to a settled race and is dropped.
    return await Promise.race([dns.lookup(host, { all: true, order: 'verbatim' }), timeout]);
  } catch (error) {
    if (error instanceof OutboundRefusal) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const temporary = code === 'EAI_AGAIN' ? ' (temporary DNS failure)' : '';
    throw new OutboundRefusal(
      `host "${host}" does not resolve${temporary}`,
      `host ${host} does not resolve${temporary}`,
    );
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Resolves the URL's host and checks every address it resolves to; returns them in resolver order, so the first
 * is the one to connect to. Throws {@link OutboundRefusal} if the host does not resolve or any address is refused.
 */
export async function resolveAllowedAddresses(url: URL, policy: OutboundPolicy): Promise<LookupAddress[]> {
  const host = hostOf(url);
  const addresses = await lookupAll(host, policy.timeoutMs);
  if (addresses.length === 0) {
    throw new OutboundRefusal(`host "${host}" does not resolve`, `host ${host} does not resolve`);
  }
  const privateAllowed = policy.allowedPrivateHosts.includes(host);
  for (const { address } of addresses) {
    const reason = forbiddenAddressReason(address);
    if (reason === undefined || (privateAllowed && reason !== CLOUD_METADATA)) continue;
    throw new OutboundRefusal(
      `resolves to ${article(reason)} ${reason} address (${address}), which webhooks may not call`,
      `address ${address} is ${reason}`,
    );
  }
  return addresses;
}

/**
 * Validates a webhook URL at registration: an absolute https URL (http too when `policy.allowHttp`), no user name or
 * password, no fragment, at most 2,048 characters, and a host whose every address may be called (any address when
 * the host is in `policy.allowedPrivateHosts`, cloud metadata excepted). Throws a refusal from `badInput` naming
 * the field and the rule, e.g. `input.url must use https, got http:`.
 * @param field - the input path named in errors. @default 'input.url'
 * @returns the parsed URL.
 */
export async function checkWebhookUrl(url: string, policy: OutboundPolicy, field = 'input.url'): Promise<URL> {
  try {
    const parsed = parseWebhookUrl(url, policy);
    await resolveAllowedAddresses(parsed, policy);
    return parsed;
  } catch (error) {
    if (error instanceof OutboundRefusal) throw badInput(field, error.rule);
    throw error;
  }
}
