import { createHash, timingSafeEqual } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { DomainError, DomainErrorCode } from '../domain/errors';
import { PUBLIC_VIEWER, Viewer } from './privacy.middleware';

const ADMIN: Viewer = Object.freeze({ role: 'ADMIN', hubIds: [] }) as Viewer;

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Who a request speaks for, from its `Authorization: Bearer <key>` (HTTP header or graphql-ws
 * `connection_init` payload). No header: a public reader. A key that is not known: refused, so a
 * typo never silently downgrades a portal to public data.
 */
export function viewerFrom(authorization: unknown, adminApiKey: string | undefined): Viewer {
  if (authorization === undefined || authorization === null || authorization === '') return PUBLIC_VIEWER;
  const match = typeof authorization === 'string' ? /^Bearer\s+(\S+)$/i.exec(authorization.trim()) : null;
  // Comparing digests keeps the comparison constant-time whatever the lengths.
  if (match && adminApiKey && timingSafeEqual(digest(match[1]), digest(adminApiKey))) return ADMIN;
  throw new GraphQLError('The API key is not valid: send Authorization: Bearer <key>', {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
  });
}

/** Refuses unless the viewer is an administrator. */
export function requireAdmin(viewer: Viewer, operation: string): void {
  if (viewer.role === 'ADMIN') return;
  const code = viewer.role === 'PUBLIC' ? DomainErrorCode.Unauthenticated : DomainErrorCode.Forbidden;
  throw new DomainError(code, `${operation} needs an ADMIN key`);
}
