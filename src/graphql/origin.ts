/**
 * Which browser origins may call: this service's own pages, and the origins an API key names.
 * Requests without `Origin` (servers, scripts, curl) are not browsers' and are not asked.
 */
import { ServiceLimits } from '../config';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Whether an Origin header names this very service (the IDE, the example page): an origin of
 * `ALLOWED_ORIGINS`, or one whose host equals `Host` — for loopback hosts always, for others
 * only with `SAME_ORIGIN_BY_HOST` (Host equality alone is what a DNS-rebinding page achieves).
 */
export function isOwnOrigin(
  origin: string,
  host: string | undefined,
  config: Pick<ServiceLimits, 'allowedOrigins' | 'sameOriginByHost'> = { allowedOrigins: [], sameOriginByHost: false },
): boolean {
  if (config.allowedOrigins.includes(origin)) return true;
  try {
    const url = new URL(origin);
    return host !== undefined && url.host === host && (config.sameOriginByHost || LOOPBACK.has(url.hostname));
  } catch {
    return false;
  }
}
