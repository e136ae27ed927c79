/**
 * GET /metrics, for Prometheus. Who may read it: with `METRICS_TOKEN`, whoever sends it as a
 * bearer token; without, only a caller on this machine's loopback that came through no proxy (a
 * request relayed by a reverse proxy on the same machine carries `X-Forwarded-For` or `Forwarded`,
 * and is refused). Metrics name operations and show load: never public by default.
 */
import { timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { FastifyInstance, FastifyRequest } from 'fastify';
import type { MetricsSettings } from '../config';
import type { ServiceMetrics } from '../observability/metrics';

const isLoopback = (address: string | undefined) => {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return (isIP(v4) === 4 && v4.startsWith('127.')) || address === '::1';
};

const sameSecret = (given: string, expected: string) => {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

/** Why `req` may not read the metrics, or `undefined` when it may. */
export function metricsRefusal(
  req: FastifyRequest,
  token: string | undefined,
): { status: number; message: string } | undefined {
  if (token) {
    const given = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    return given !== undefined && sameSecret(given, token)
      ? undefined
      : { status: 401, message: '/metrics needs the METRICS_TOKEN as `Authorization: Bearer <token>`' };
  }
  const proxied = req.headers['x-forwarded-for'] !== undefined || req.headers.forwarded !== undefined;
  if (isLoopback(req.raw.socket.remoteAddress) && !proxied) return undefined;
  return {
    status: 403,
    message: '/metrics answers loopback callers only (no proxy between); set METRICS_TOKEN to scrape it from elsewhere',
  };
}

/** Registers GET /metrics (unless the settings turn it off). */
export function registerMetricsRoute(app: FastifyInstance, metrics: ServiceMetrics, settings: MetricsSettings): void {
  if (!settings.enabled) return;
  app.get('/metrics', async (req, reply) => {
    const refusal = metricsRefusal(req, settings.token);
    if (refusal) {
      if (refusal.status === 401) void reply.header('www-authenticate', 'Bearer');
      return reply.code(refusal.status).send({ error: refusal.message });
    }
    return reply
      .type(metrics.contentType)
      .header('cache-control', 'no-store')
      .send(await metrics.text());
  });
}
