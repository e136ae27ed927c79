import type { ServiceMetrics } from '../observability/metrics';
import type { Loaders } from '../graphql/loaders';
import { ApolloServer } from '@apollo/server';
import { fastifyApolloHandler } from '@as-integrations/fastify';
import fastifyCors from '@fastify/cors';
import Fastify, { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { IncomingMessage } from 'node:http';
import { DataSource } from 'typeorm';
import { anyKeyAllowsOrigin, publishableKeyFor } from '../domain/access/api-key.service';
import { PUBLIC_VIEWER, Viewer } from '../domain/access/role';
import { Context } from '../graphql/context';
import { ErrorCode } from '../graphql/error-codes';
import { isOwnOrigin } from '../graphql/origin';
import { ClientAddressOf, clientAddressOf } from './client-address';
import { registerLinkPages } from './link-pages';
import { Pipeline } from '../graphql/pipeline';
import { isRefusal, OperationParams, Refusal, refusalOf, TransportFacts } from '../graphql/pipeline-types';
import { isDatabaseUnavailable, UNAVAILABLE } from '../graphql/to-graphql-error';
import { Logger } from '../log/logger';
import { ChangeFeed } from '../subscriptions/change-feed';
import { browserBundle } from './browser-bundles';
import { examplePortalPage } from './embed/example-page';
import { exampleIds } from './ide/example-ids';
import { ideAsset, ideHtml } from './ide/ide';
import type { ExampleIds, ExampleKeys } from './ide/examples';

/** Options for {@link createHttpApp}. */
export interface HttpAppOptions {
  pipeline: Pipeline;
  dataSource: DataSource;
  live: ChangeFeed<Loaders>;
  log: Logger;
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
  /**
   * Serve the GraphQL IDE to browsers at GET /graphql.
   * @default true
   */
  ide?: boolean;
  /**
   * Keys the IDE's tabs that need a role carry in their headers (a development start's demo keys).
   * @default undefined (those tabs say which key to put in)
   */
  ideKeys?: ExampleKeys;
  /**
   * Counts every response by route and status (refusals before the pipeline too).
   * @default undefined (nothing counted)
   */
  metrics?: ServiceMetrics;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the pipeline's admit step on GraphQL routes. */
    viewer?: Viewer;
    facts?: TransportFacts;
  }
}

/** What a transport knows of a request; shared with the WebSocket upgrade. */
export function factsOf(req: IncomingMessage, transport: TransportFacts['transport'], addressOf: ClientAddressOf) {
  return {
    transport,
    authorization: req.headers.authorization,
    origin: req.headers.origin,
    host: req.headers.host,
    address: addressOf(req.socket.remoteAddress, req.headers['x-forwarded-for']),
    acceptLanguage: req.headers['accept-language'],
    method: req.method,
  } satisfies TransportFacts;
}

// Apollo's choice between the two GraphQL-over-HTTP media types, for refusals made before it runs.
function mediaTypeFor(accept: string | undefined): string {
  const types = (accept ?? '').split(',').map((t) => t.split(';')[0].trim());
  const modern = types.indexOf('application/graphql-response+json');
  const legacy = types.indexOf('application/json');
  return modern >= 0 && (legacy < 0 || modern < legacy)
    ? 'application/graphql-response+json; charset=utf-8'
    : 'application/json; charset=utf-8';
}

const batchingOff = () =>
  new GraphQLError('Batched operations are not supported: send one operation per request', {
    extensions: { code: ErrorCode.BAD_REQUEST, http: { status: 400 } },
  });

const wantsHtml = (req: FastifyRequest) =>
  req.method === 'GET' &&
  !(req.query as Record<string, unknown>).query &&
  (req.headers.accept ?? '').includes('text/html');

async function ready(dataSource: DataSource): Promise<boolean> {
  if (!dataSource.isInitialized) return false;
  try {
    await Promise.race([
      dataSource.query('SELECT 1'),
      new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000).unref()),
    ]);
    return true;
  } catch {
    return false;
  }
}

/** A client that sends nothing for this long while its over-limit body is drained gets its 413 at once. */
const DRAIN_IDLE_MS = 500;

/**
 * Reads a request's remaining body and drops it, unless it says (or turns out) to be larger than
 * `bound` bytes; resolves when the body ended, failed, passed the bound, or stopped coming for
 * {@link DRAIN_IDLE_MS} (a client that waits for the answer before it sends more gets it).
 */
function drain(req: IncomingMessage, bound: number): Promise<void> {
  const declared = Number(req.headers['content-length']);
  if (req.readableEnded || req.destroyed || declared > bound) return Promise.resolve();
  return new Promise((resolve) => {
    let read = 0;
    let idle = setTimeout(() => done(), DRAIN_IDLE_MS);
    const done = () => {
      clearTimeout(idle);
      req.off('data', onData).off('end', done).off('error', done).off('close', done);
      resolve();
    };
    const onData = (chunk: Buffer) => {
      read += chunk.length;
      clearTimeout(idle);
      idle = setTimeout(() => done(), DRAIN_IDLE_MS);
      if (read > bound) {
        req.pause();
        done();
      }
    };
    req.on('data', onData).on('end', done).on('error', done).on('close', done);
    req.resume();
  });
}

/** The GET form of an operation: its variables arrive as JSON text (left as text if it is not JSON, and refused). */
function paramsOfGet(query: Record<string, unknown>): OperationParams {
  let variables: unknown = query.variables;
  if (typeof variables === 'string') {
    try {
      variables = JSON.parse(variables);
    } catch {
      // Not JSON: stays text, which the pipeline refuses as not an object.
    }
  }
  return { query: query.query, variables, operationName: query.operationName };
}

/**
 * Headers of the service's own pages (the IDE, the example portal page): scripts only from this
 * service (so an injected `<script>` or handler does not run), styles inline too (GraphiQL and the
 * widget's shadow DOM write theirs), the IDE's connections only back here, and no framing by
 * other sites.
 */
const pageHeaders = (connect: string) => ({
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
    `font-src 'self' data:; connect-src ${connect}; object-src 'none'; base-uri 'none'; form-action 'none'; ` +
    "frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
});
const IDE_HEADERS = pageHeaders("'self'");
// The example portal page shows the widget talking to any service its `endpoint` names.
const EXAMPLE_HEADERS = pageHeaders("'self' http: https: ws: wss:");

/**
 * The HTTP side on Fastify: GraphQL at /graphql (POST, and GET for queries) through the one
 * pipeline and Apollo; the IDE for browsers at GET /graphql and its assets under /ide/; the
 * portal widget under /embed/; the /healthz and /readyz probes. Bodies over the limit are
 * answered 413 (judged by `Content-Length` before reading, or as they grow), once the client has
 * sent the rest; cross-origin headers come from @fastify/cors, decided by the caller's key.
 */
export async function createHttpApp(apollo: ApolloServer<Context>, options: HttpAppOptions): Promise<FastifyInstance> {
  const { pipeline, dataSource, log, formatError } = options;
  const { limits } = pipeline;
  const addressOf = clientAddressOf(limits.trustProxy);
  const ide = options.ide ?? true;
  // Read now: a build that did not bundle src/browser/ stops the start rather than a page.
  const widgetScript = browserBundle('matches.js');
  if (ide) ideAsset('app.js');
  const app = Fastify({
    bodyLimit: limits.maxBodyBytes,
    logger: false,
    return503OnClosing: true,
    // For `req.protocol` and `req.host` (X-Forwarded-Proto and -Host): the same proxies as addresses.
    trustProxy: typeof limits.trustProxy === 'boolean' ? limits.trustProxy : [...limits.trustProxy],
    // A client that trickles its headers or body is answered 408 and disconnected (Node enforces
    // both). Node looks for such clients every 30 s by default, which would let a 1 s time-out
    // run 31 s; a quarter of the shorter time-out keeps the overrun within a quarter.
    requestTimeout: limits.requestTimeoutMs,
    http: {
      requestTimeout: limits.requestTimeoutMs,
      headersTimeout: limits.headersTimeoutMs,
      connectionsCheckingInterval: Math.max(50, Math.min(30_000, Math.floor(limits.headersTimeoutMs / 4))),
    },
  });

  const send = (reply: FastifyReply, refusal: Refusal) =>
    reply
      .code(refusal.status)
      .headers(refusal.headers)
      .type(mediaTypeFor(reply.request.headers.accept))
      .send(JSON.stringify({ errors: refusal.errors.map((e) => formatError(e.toJSON(), e)) }));

  // Apollo reads JSON in both GraphQL media types; any other body reaches the pipeline as text
  // and is refused there in the GraphQL response shape.
  app.addContentTypeParser(
    'application/graphql-response+json',
    { parseAs: 'string' },
    app.getDefaultJsonParser('error', 'error'),
  );
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));

  // Preflights carry no key: allowed for origins some live key allows; the request itself is
  // then checked against its own key by the pipeline, which set `viewer` before this runs.
  await app.register(fastifyCors, {
    hook: 'preParsing',
    delegator: async (req: FastifyRequest) => {
      const origin = req.headers.origin;
      const own = origin !== undefined && isOwnOrigin(origin, req.headers.host, limits);
      const allowed =
        origin !== undefined &&
        !own &&
        (req.method === 'OPTIONS'
          ? await anyKeyAllowsOrigin(dataSource.manager, origin)
          : (req.viewer?.allowedOrigins.includes(origin) ?? false));
      return {
        origin: allowed,
        methods: ['GET', 'POST', 'OPTIONS'],
        allowedHeaders: ['authorization', 'content-type', 'apollo-require-preflight', 'x-apollo-operation-name'],
        maxAge: 600,
      };
    },
  });

  app.addHook('onRequest', async (req, reply) => {
    // Preflights cost a lookup: they count against the address's budget.
    if (req.method !== 'OPTIONS') return;
    const limited = await pipeline.meter(PUBLIC_VIEWER, factsOf(req.raw, 'http', addressOf));
    if (limited) return send(reply, limited);
  });

  app.setErrorHandler(async (error: Error & { statusCode?: number; code?: string }, req, reply) => {
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      // A client still sending would meet a closed socket (a broken pipe) before it read the
      // answer: the rest of the body is read and dropped first, up to MAX_BODY_DRAIN_BYTES.
      await drain(req.raw, limits.maxBodyDrainBytes);
      void reply.header('connection', 'close');
      return reply.code(413).send({
        errors: [
          {
            message: `The request body must be at most ${limits.maxBodyBytes} bytes (MAX_BODY_BYTES)`,
            extensions: { code: ErrorCode.PAYLOAD_TOO_LARGE },
          },
        ],
      });
    }
    if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
      const message = error.code?.startsWith('FST_ERR_CTP') ? 'The request body must be valid JSON' : error.message;
      return reply.code(400).send({ errors: [{ message, extensions: { code: ErrorCode.BAD_REQUEST } }] });
    }
    // Key lookups and the like before GraphQL runs: a database that is away is worth a retry.
    if (isDatabaseUnavailable(error)) return reply.code(503).send({ errors: [UNAVAILABLE] });
    log.error('request failed', { error: String(error), path: req.url.split('?')[0] });
    return reply
      .code(500)
      .send({ errors: [{ message: 'Internal server error', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } }] });
  });

  app.addHook('onResponse', async (req, reply) => {
    // The route's pattern, never the path itself: a label per URL a scanner tries would grow without bound.
    options.metrics?.response(req.routeOptions.url ?? 'unmatched', reply.statusCode);
    log.debug('request', {
      method: req.method,
      path: req.url.split('?')[0],
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime),
    });
  });

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) => {
    if (!options.live.ready) return reply.code(503).send({ status: 'match index loading' });
    const ok = await ready(dataSource);
    return reply.code(ok ? 200 : 503).send({ status: ok ? 'ready' : 'database unreachable' });
  });

  const graphql = fastifyApolloHandler(apollo, {
    context: async (req) => pipeline.context(req.viewer!, req.facts!),
  });
  for (const url of ['/graphql', '/graphql/']) {
    app.route({
      method: ['GET', 'POST'],
      url,
      // Steps 1–3 before the body is read: an unknown key or a spent budget costs no parsing.
      onRequest: async (req, reply) => {
        if (ide && wantsHtml(req)) return;
        // Answers (and refusals) carry private fields: no browser or proxy keeps them.
        reply.header('cache-control', 'no-store');
        const facts = factsOf(req.raw, 'http', addressOf);
        const admitted = await pipeline.admit(facts);
        if ('refusal' in admitted) return send(reply, admitted.refusal);
        const limited = await pipeline.meter(admitted.viewer, facts);
        if (limited) return send(reply, limited);
        req.viewer = admitted.viewer;
        req.facts = facts;
      },
      preHandler: async (req, reply) => {
        if (!req.viewer) return;
        const params =
          req.method === 'GET'
            ? paramsOfGet(req.query as Record<string, unknown>)
            : (req.body as OperationParams | undefined);
        if (Array.isArray(params)) return send(reply, refusalOf([batchingOff()]));
        // A body that is not a JSON object (text, say) has no operation.
        const operation = params && typeof params === 'object' ? params : { query: undefined };
        const prepared = pipeline.prepare(req.viewer, operation, req.facts!);
        if (isRefusal(prepared)) return send(reply, prepared);
      },
      handler: async (req, reply) => {
        if (!req.viewer) {
          if (!(await meteredPage(req, reply))) return;
          return reply
            .type('text/html; charset=utf-8')
            .headers(IDE_HEADERS)
            .send(ideHtml(await idsOrPlaceholders(req.log), options.ideKeys));
        }
        return graphql.call(app, req as never, reply as never);
      },
    });
  }

  // Pages that read the database (the IDE's and the example portal's) spend the caller's budget as
  // any keyless request does: a flood of page loads from one address is refused, not read from
  // PostgreSQL again and again (the link pages are metered the same way, link-pages.ts).
  const meteredPage = async (req: FastifyRequest, reply: FastifyReply): Promise<boolean> => {
    const refusal = await pipeline.meter(PUBLIC_VIEWER, factsOf(req.raw, 'http', addressOf));
    if (!refusal) return true;
    await reply
      .code(refusal.status)
      .headers(refusal.headers)
      .type('text/plain; charset=utf-8')
      .send(refusal.errors.map((e) => e.message).join('\n'));
    return false;
  };

  // The pages open with real ids when the database answers; when it does not, the failure is
  // logged and the page still opens, with placeholders the reader fills in.
  const idsOrPlaceholders = (log: FastifyBaseLogger) =>
    exampleIds(dataSource).catch((error: unknown) => {
      log.warn({ err: error }, 'example ids unavailable: the page opens with placeholders');
      return {} as ExampleIds;
    });

  app.get('/embed/matches.js', async (_req, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=300').send(widgetScript),
  );
  app.get('/embed/example.html', async (req, reply) => {
    if (!(await meteredPage(req, reply))) return;
    const given = (req.query as Record<string, unknown>)['challenge-id'];
    const id = typeof given === 'string' ? given : (await idsOrPlaceholders(req.log)).challengeId;
    // The page carries the publishable key for the origin it is served from, as a portal's would.
    const key = await publishableKeyFor(dataSource.manager, `${req.protocol}://${req.host}`);
    return reply.type('text/html; charset=utf-8').headers(EXAMPLE_HEADERS).send(examplePortalPage(id, key));
  });
  if (ide) {
    app.get('/ide/*', async (req, reply) => {
      const asset = ideAsset((req.params as Record<string, string>)['*']);
      if (!asset) return reply.callNotFound();
      return reply.type(asset.type).header('cache-control', 'public, max-age=3600').send(asset.body);
    });
  }
  registerLinkPages(app, {
    dataSource,
    pipeline,
    log: options.log,
    facts: (req) => factsOf(req.raw, 'http', addressOf),
  });
  app.get('/', async (_req, reply) => reply.redirect('/graphql'));
  app.setNotFoundHandler(async (req, reply) =>
    reply.code(404).send({ error: `no route for ${req.method} ${req.url.split('?')[0]}` }),
  );
  return app;
}
