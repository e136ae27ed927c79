/**
 * Parsers of single environment values, each checking its value and naming the variable when it
 * throws {@link ConfigError}. They read only the record they are given: config.ts, the only reader
 * of the environment, hands them the process's environment (tests hand them their own).
 */
import { isIP } from 'node:net';

/** Raised when the environment holds a value the service cannot start with. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** The environment, or a stand-in for it (tests pass their own). */
export type Env = Record<string, string | undefined>;

/** An integer between `min` and `max`; `fallback` when unset or empty. */
export function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  }
  return value;
}

/** A yes or no (`1`/`0`, `true`/`false`, `yes`/`no`, `on`/`off`); `fallback` when unset or empty. */
export function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

/** One of the `allowed` words; `fallback` when unset or empty. */
export function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

/** A comma-separated list of origins like `https://portal.example.org`; none when unset. */
export function origins(env: Env, name: string): string[] {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return [];
  return raw.split(',').map((item) => {
    const value = item.trim();
    let url: URL | undefined;
    try {
      url = new URL(value);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin !== value) {
      throw new ConfigError(`${name} must list origins like https://portal.example.org, got "${value}"`);
    }
    return value;
  });
}

/** `DATABASE_URL`: a postgres:// or postgresql:// URL, or undefined. */
export function databaseUrl(env: Env): string | undefined {
  const raw = env.DATABASE_URL;
  if (raw === undefined || raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('DATABASE_URL must be a URL like postgres://user@host:5432/db');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError(`DATABASE_URL must use postgres:// or postgresql://, got "${url.protocol}"`);
  }
  return raw;
}

/** `REDIS_URL`: a redis:// or rediss:// URL, or undefined. */
export function redisUrl(env: Env): string | undefined {
  const raw = env.REDIS_URL;
  if (raw === undefined || raw === '') return undefined;
  if (!/^rediss?:\/\/.+/.test(raw)) throw new ConfigError('REDIS_URL must be a URL like redis://127.0.0.1:6379');
  return raw;
}

/** A secret of at least 24 characters, or undefined. */
export function secret(env: Env, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  if (raw.length < 24) throw new ConfigError(`${name} must be at least 24 characters long`);
  return raw;
}

/** `TRUST_PROXY`: `true`, `false`, or the proxies' addresses and networks (`127.0.0.1, 10.0.0.0/8, ::1`). */
export function trustedProxies(env: Env, fallback: boolean | readonly string[]): boolean | readonly string[] {
  const raw = env.TRUST_PROXY;
  if (raw === undefined || raw === '') return fallback;
  if (/^(1|true|yes|on|0|false|no|off)$/i.test(raw)) return boolean(env, 'TRUST_PROXY', false);
  return raw.split(',').map((item) => {
    const value = item.trim();
    const [address, bits, ...rest] = value.split('/');
    const family = isIP(address);
    const max = family === 4 ? 32 : 128;
    const prefix = bits === undefined ? max : Number(bits);
    if (!family || rest.length || !Number.isInteger(prefix) || prefix < 0 || prefix > max || bits === '')
      throw new ConfigError(
        `TRUST_PROXY must be true, false, or proxy addresses like 127.0.0.1, 10.0.0.0/8, got "${value}"`,
      );
    return value;
  });
}

/** `OTEL_EXPORTER_OTLP_ENDPOINT`: an http(s) URL without trailing slashes, or undefined. */
export function otlpEndpoint(env: Env): string | undefined {
  const raw = env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (raw === undefined || raw === '') return undefined;
  if (!/^https?:\/\/[^/]+/.test(raw))
    throw new ConfigError(`OTEL_EXPORTER_OTLP_ENDPOINT must be a URL like http://127.0.0.1:4318, got "${raw}"`);
  return raw.replace(/\/+$/, '');
}

/** `ADMIN_API_KEY`: at least 24 characters, or undefined. */
export function adminKey(env: Env): string | undefined {
  const raw = env.ADMIN_API_KEY;
  if (raw === undefined || raw === '') return undefined;
  if (raw.length < 24) throw new ConfigError('ADMIN_API_KEY must be at least 24 characters long');
  return raw;
}
