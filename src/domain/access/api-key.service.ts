import { createHash, randomBytes } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { badInput, notFound } from '../errors';
import { requireHubs } from '../hub/hub.service';
import * as v from '../validate';
import { ApiKey } from './api-key.entity';
import { BOOTSTRAP_ADMIN, BOOTSTRAP_ADMIN_ID, KEY_RULES, Role, Viewer } from './role';
import { inTransaction } from '../unit-of-work';
import { appendOutbox } from '../outbox';

/** What `createApiKey` is given. */
export interface NewApiKey {
  name: string;
  role: Role;
  hubIds?: string[] | null;
  allowedOrigins?: string[] | null;
}

/**
 * Secrets carry a prefix so that leaked ones are easy to spot (and to scan for) in code and logs;
 * publishable keys carry another (`pk_`, see KEY_RULES), so that nobody takes one for the other.
 */
export const SECRET_PREFIX = KEY_RULES[Role.ADMIN].prefix;

// Secrets are 256 random bits, so a fast hash is enough: nothing to brute-force, no salt needed.
export const hashSecret = (secret: string): Buffer => createHash('sha256').update(secret).digest();

function origin(field: string, raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw badInput(field, `must be an origin like https://portal.example.org, got "${raw}"`);
  }
  if (
    (url.protocol !== 'https:' && url.protocol !== 'http:') ||
    url.pathname !== '/' ||
    url.search ||
    url.hash ||
    url.username
  ) {
    throw badInput(field, `must be an origin (scheme://host[:port], nothing after), got "${raw}"`);
  }
  // URL takes "*" as a host character; a browser never sends it, so such an entry would match nothing.
  if (!/^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)$/.test(url.hostname))
    throw badInput(field, `must name one host, without wildcards (list each origin), got "${raw}"`);
  return url.origin;
}

/** Creates a key in one transaction; returns it with its secret, which is not stored. */
export async function createApiKey(db: EntityManager, input: NewApiKey): Promise<{ apiKey: ApiKey; secret: string }> {
  const name = v.requireText('input.name', input.name, 200);
  const rule = KEY_RULES[input.role];
  const hubIds = [...new Set((input.hubIds ?? []).map((id, i) => v.uuid(`input.hubIds[${i}]`, id)))];
  if (rule.hubs === 'some' && hubIds.length === 0)
    throw badInput('input.hubIds', `must name at least one hub for a ${input.role} key`);
  if (rule.hubs === 'none' && hubIds.length > 0)
    throw badInput(
      'input.hubIds',
      input.role === Role.ADMIN
        ? 'must be empty for an ADMIN key, which acts for every hub'
        : `must be empty for a ${input.role} key, which acts for no hub`,
    );
  const origins = [...new Set((input.allowedOrigins ?? []).map((o, i) => origin(`input.allowedOrigins[${i}]`, o)))];
  if (origins.length > 50) throw badInput('input.allowedOrigins', 'may list at most 50 origins');
  if (rule.origins === 'some' && origins.length === 0)
    throw badInput(
      'input.allowedOrigins',
      `must list at least one origin for a ${input.role} key, which only browsers on those origins may use`,
    );
  return inTransaction(db, async (m) => {
    await requireHubs(m, hubIds, 'input.hubIds');
    const secret = rule.prefix + randomBytes(32).toString('base64url');
    const saved = await m.save(
      m.create(ApiKey, {
        name,
        role: input.role,
        hubIds,
        allowedOrigins: origins,
        secretHash: hashSecret(secret),
        // Public by design: kept, so an administrator can read it again to paste into a page.
        publishableKey: rule.publishable ? secret : null,
      }),
    );
    return { apiKey: saved, secret };
  });
}

/**
 * Revokes a key for good; revoking twice is harmless. Returns the key as it now stands. The
 * revocation is an outbox change like any other, so every instance closes the key's open
 * connections when it relays it — one whose bus was down, as soon as it catches up.
 */
export async function revokeApiKey(db: EntityManager, id: string): Promise<ApiKey> {
  const keyId = v.uuid('id', id);
  return inTransaction(db, async (m) => {
    const rows: unknown[] = await m.query(
      // Through WITH: TypeORM answers a bare UPDATE with [rows, count], not the rows.
      `WITH u AS (UPDATE api_key SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 RETURNING id)
       SELECT id FROM u`,
      [keyId],
    );
    if (rows.length === 0) throw notFound('ApiKey', id, 'id');
    // Its webhook endpoints stop with it: no delivery is written for them from this commit on.
    await m.query(
      `UPDATE webhook_endpoint SET enabled = false, disabled_reason = 'its API key was revoked'
       WHERE owner_key = $1 AND enabled`,
      [keyId],
    );
    await appendOutbox(m, { kind: 'key-revoked', keyId });
    return m.findOneByOrFail(ApiKey, { id: keyId });
  });
}

async function liveViewer(db: EntityManager, where: string, value: unknown): Promise<Viewer | undefined> {
  const [row]: { id: string; role: Role; hub_ids: string[]; allowed_origins: string[] }[] = await db.query(
    `SELECT id, role, hub_ids, allowed_origins FROM api_key WHERE ${where} = $1 AND revoked_at IS NULL`,
    [value],
  );
  return row ? { role: row.role, hubIds: row.hub_ids, keyId: row.id, allowedOrigins: row.allowed_origins } : undefined;
}

/** The viewer a live key speaks for, or undefined when the secret is unknown or revoked. */
export async function viewerOfSecret(db: EntityManager, secret: string): Promise<Viewer | undefined> {
  return liveViewer(db, 'secret_hash', hashSecret(secret));
}

/**
 * The viewer a key speaks for by its id (the bootstrap administrator's too), or undefined once it
 * is revoked: for work done later on a key's behalf (webhook bodies).
 */
export async function viewerOfKey(db: EntityManager, keyId: string): Promise<Viewer | undefined> {
  if (keyId === BOOTSTRAP_ADMIN_ID) return BOOTSTRAP_ADMIN;
  return liveViewer(db, 'id', keyId);
}

/** Whether a key is still live (for connections that outlive a request). */
export async function isKeyLive(db: EntityManager, keyId: string): Promise<boolean> {
  const rows: unknown[] = await db.query('SELECT 1 FROM api_key WHERE id = $1 AND revoked_at IS NULL', [keyId]);
  return rows.length > 0;
}

/** Whether some live key lets browsers of `origin` call (CORS preflights carry no key to ask). */
export async function anyKeyAllowsOrigin(db: EntityManager, origin: string): Promise<boolean> {
  const rows: unknown[] = await db.query(
    'SELECT 1 FROM api_key WHERE $1 = ANY(allowed_origins) AND revoked_at IS NULL LIMIT 1',
    [origin],
  );
  return rows.length > 0;
}

/**
 * The text of the newest live publishable key that `origin` may use (for the service's own
 * example page), or undefined when there is none.
 */
export async function publishableKeyFor(db: EntityManager, origin: string): Promise<string | undefined> {
  const [row]: { publishable_key: string }[] = await db.query(
    `SELECT publishable_key FROM api_key
     WHERE role = $1 AND revoked_at IS NULL AND $2 = ANY(allowed_origins)
     ORDER BY created_at DESC, id LIMIT 1`,
    [Role.PUBLISHABLE, origin],
  );
  return row?.publishable_key;
}
