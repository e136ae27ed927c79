/**
 * The pipeline's first steps (pipeline.ts): 1 the API key becomes a viewer (unknown keys metered
 * per address before the lookup, viewer.ts), 2 the browser's Origin is checked against it (a
 * publishable key: one of its origins, always).
 */
import type Redis from 'ioredis';
import { GraphQLError } from 'graphql';
import { DataSource } from 'typeorm';
import { ServiceLimits } from '../config';
import { KEY_RULES, Viewer } from '../domain/access/role';
import { DomainErrorCode } from '../domain/errors';
import { ErrorCode } from './error-codes';
import { isOwnOrigin } from './origin';
import { Refusal, refusalOf, refuse, TransportFacts } from './pipeline-types';
import { isDatabaseUnavailable, UNAVAILABLE } from './to-graphql-error';
import { createViewerResolver } from './viewer';

/** Options for {@link createAdmission}. */
export interface AdmissionOptions {
  dataSource: DataSource;
  limits: ServiceLimits;
  /** The bootstrap administrator key; see Config.adminApiKey. */
  adminApiKey?: string;
  /**
   * Shares the unknown-key budgets across instances.
   * @default undefined (this process's memory)
   */
  redis?: Redis;
}

/** Admits a request: its viewer, or why it is refused. */
export type Admission = (facts: TransportFacts) => Promise<{ viewer: Viewer } | { refusal: Refusal }>;

/** Steps 1 and 2 of the pipeline, bound to one server's database and limits. */
export function createAdmission(options: AdmissionOptions): Admission {
  const { limits } = options;
  const resolveViewer = createViewerResolver({
    dataSource: options.dataSource,
    adminApiKey: options.adminApiKey,
    unknownKeysPerMinute: limits.unknownKeysPerMinute,
    redis: options.redis,
  });

  return async function admit(facts) {
    let viewer: Viewer;
    try {
      viewer = await resolveViewer(facts.authorization, facts.address);
    } catch (error) {
      if (error instanceof GraphQLError) {
        const retry = error.extensions.retryAfterSeconds;
        const headers: Record<string, string> =
          typeof retry === 'number' ? { 'retry-after': String(retry) } : { 'www-authenticate': 'Bearer' };
        return { refusal: refusalOf([error], headers) };
      }
      if (isDatabaseUnavailable(error))
        return { refusal: refuse(DomainErrorCode.ServiceUnavailable, UNAVAILABLE.message) };
      throw error;
    }
    const { origin } = facts;
    const browserOnly = viewer.role !== 'PUBLIC' && KEY_RULES[viewer.role].browserOnly;
    if (browserOnly && !origin) {
      // A browser always names the page's origin here (on every WebSocket, every cross-origin
      // request, every POST); only a non-browser leaves it out, and such a caller has a secret key.
      return {
        refusal: refusalOf([
          new GraphQLError(
            `A ${viewer.role} key (pk_…) is for browsers on its allowedOrigins only: this request carries ` +
              'no Origin header. Servers and scripts use a secret key (osm_…), or none for public reads',
            { extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 401 } } },
          ),
        ]),
      };
    }
    // Bound to its own origins: not even this service's pages may use it unless it lists them.
    if (browserOnly && origin && !viewer.allowedOrigins.includes(origin)) {
      return {
        refusal: refuse(
          DomainErrorCode.Forbidden,
          `Origin ${origin} may not use this ${viewer.role} key: it is not among the key's allowedOrigins`,
        ),
      };
    }
    if (origin && !isOwnOrigin(origin, facts.host, limits) && !viewer.allowedOrigins.includes(origin)) {
      const who = viewer.role === 'PUBLIC' ? 'without an API key' : 'with this API key (see its allowedOrigins)';
      return { refusal: refuse(DomainErrorCode.Forbidden, `Origin ${origin} may not call this service ${who}`) };
    }
    return { viewer };
  };
}
