import { createHash, timingSafeEqual } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { DataSource } from 'typeorm';
import { viewerOfSecret } from '../domain/access/api-key.service';
import { BOOTSTRAP_ADMIN, PUBLIC_VIEWER, Viewer } from '../domain/access/role';
import { ErrorCode } from './error-codes';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Raised for a key that is malformed, unknown or revoked: HTTP 401, WebSocket close 4401. */
export function badKey(): GraphQLError {
  return new GraphQLError('The API key is not valid or was revoked: send Authorization: Bearer <key>', {
    extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 401 } },
  });
}

/**
 * Who a request speaks for, from its `Authorization: Bearer <key>` (HTTP header or graphql-ws
 * `connection_init` payload). No header: a public reader. A key that is not known or was revoked
 * is refused, so a typo never silently downgrades a portal to public data.
 */
export async function resolveViewer(
  authorization: unknown,
  dataSource: DataSource,
  adminApiKey: string | undefined,
): Promise<Viewer> {
  if (authorization === undefined || authorization === null || authorization === '') return PUBLIC_VIEWER;
  const match = typeof authorization === 'string' ? /^Bearer\s+(\S{1,200})$/i.exec(authorization.trim()) : null;
  if (!match) throw badKey();
  // Comparing digests keeps the comparison constant-time whatever the lengths.
  if (adminApiKey && timingSafeEqual(digest(match[1]), digest(adminApiKey))) return BOOTSTRAP_ADMIN;
  const viewer = await viewerOfSecret(dataSource.manager, match[1]);
  if (!viewer) throw badKey();
  return viewer;
}
