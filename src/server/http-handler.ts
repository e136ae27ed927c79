import { ApolloServer, HeaderMap } from '@apollo/server';
import { IncomingMessage, ServerResponse } from 'node:http';
import { DataSource } from 'typeorm';
import { Context, createContext } from '../graphql/context';
import { examplePortalPage } from './embed/example-page';
import { MATCHES_WIDGET_SCRIPT } from './embed/matches-widget';
import { ExampleIds } from './ide/examples';
import { ideAsset, ideHtml } from './ide/ide';
import { Logger } from '../log/logger';
import { GraphQLError, GraphQLSchema } from 'graphql';
import { createShapeCheck } from '../graphql/query-limits';
import { isDatabaseUnavailable, toGraphQLError, UNAVAILABLE } from '../graphql/to-graphql-error';
import { ErrorCode } from '../graphql/error-codes';
import { DomainError, DomainErrorCode } from '../domain/errors';
import { PUBLIC_VIEWER, Viewer } from '../domain/access/role';
import { resolveViewer } from '../graphql/viewer';
import { Guard, isOwnOrigin } from './guard';
import { LiveMatches } from '../subscriptions/live-matches';

/** Options for {@link createHttpHandler}. */
export interface HttpHandlerOptions {
  apollo: ApolloServer<Context>;
  dataSource: DataSource;
  live: LiveMatches;
  /** See Config.adminApiKey. */
  adminApiKey?: string;
  log: Logger;
  /**
   * Serve the GraphQL IDE to browsers at GET /graphql.
   * @default true
   */
  ide?: boolean;
  /** Origin, rate and length checks, and the limits (body size among them). */
  guard: Guard;
  /** For the shape check that runs before Apollo's full validation. */
  schema: GraphQLSchema;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const tooLarge = (limit: number) =>
  new DomainError(DomainErrorCode.PayloadTooLarge, `The request body must be at most ${limit} bytes (MAX_BODY_BYTES)`);

/**
 * Reads a body up to `limit` bytes. A declared `Content-Length` over the limit is refused before
 * a byte is read; a chunked body is refused as soon as it passes the limit. Either way the rest
 * is discarded unread (see {@link discard}), so the client gets its 413 instead of a reset.
 */
function readBody(req: IncomingMessage, limit: number): Promise<string> {
  if (Number(req.headers['content-length']) > limit) return Promise.reject(tooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * Lets the rest of a refused body drain without keeping it, so the client sees the answer
 * rather than a reset; a client that keeps sending for long is cut off.
 */
function discard(req: IncomingMessage): void {
  req.removeAllListeners('data');
  req.resume();
  setTimeout(() => req.destroy(), 5000).unref();
}

function parseBody(raw: string, contentType: string | undefined): unknown {
  if (raw === '') return undefined;
  if (contentType?.startsWith('application/json') || contentType?.startsWith('application/graphql-response+json')) {
    try {
      return JSON.parse(raw);
    } catch {
      throw new HttpError(400, 'request body must be valid JSON');
    }
  }
  return raw;
}

function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: string | Buffer,
  extra: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), ...extra });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(value));
}

/** A refusal before GraphQL runs, in the GraphQL response shape. */
function sendRefusal(res: ServerResponse, error: GraphQLError, extra: Record<string, string> = {}): void {
  const status = (error.extensions.http as { status?: number } | undefined)?.status ?? 400;
  const { http: _http, ...extensions } = error.extensions;
  send(
    res,
    status,
    'application/json; charset=utf-8',
    JSON.stringify({ errors: [{ message: error.message, extensions }] }),
    extra,
  );
}

const CORS_HEADERS = {
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': 'authorization, content-type, apollo-require-preflight, x-apollo-operation-name',
  'access-control-max-age': '600',
};

function wantsHtml(req: IncomingMessage, url: URL): boolean {
  return req.method === 'GET' && !url.searchParams.has('query') && (req.headers.accept ?? '').includes('text/html');
}

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

// The IDE's examples run as they open: they name the oldest open challenge and the oldest
// university. A database that cannot answer leaves placeholders instead.
async function exampleIds(dataSource: DataSource): Promise<ExampleIds> {
  try {
    // The first open challenge by time and title (a seed writes many at one instant), and the
    // university of its country that shares most of its goals, so that every example has answers.
    const [row] = await dataSource.query(
      `SELECT c.id AS challenge_id, c.hub_id,
         (SELECT s.id FROM stakeholder s WHERE s.kind = 'UNIVERSITY' AND s.erased_at IS NULL
            AND (c.region_code IS NULL OR s.country_code = left(c.region_code, 2))
          ORDER BY cardinality(ARRAY(SELECT unnest(s.sdg_ids) INTERSECT SELECT unnest(c.sdg_ids))) DESC, s.name, s.id
          LIMIT 1) AS stakeholder_id
       FROM challenge c WHERE c.phase <> 'COMPLETED' ORDER BY c.created_at, c.title, c.id LIMIT 1`,
    );
    return { challengeId: row?.challenge_id, stakeholderId: row?.stakeholder_id, hubId: row?.hub_id ?? undefined };
  } catch {
    return {};
  }
}

/**
 * The one HTTP entry point: GraphQL at /graphql (POST, and GET for queries), the IDE for
 * browsers at GET /graphql, its assets under /ide/, and the /healthz and /readyz probes.
 */
export function createHttpHandler(options: HttpHandlerOptions) {
  const { apollo, dataSource, log } = options;
  const { guard } = options;
  const ide = options.ide ?? true;
  const shapeOf = createShapeCheck(options.schema, guard.limits.maxTokens);

  // Browsers ask before sending a key from another origin; the preflight carries no key, so it is
  // answered for any origin some live key allows, and the request itself is checked against its key.
  async function preflight(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Preflights carry no key and cost a lookup: they count against the address's budget.
    const limited = guard.checkRate(PUBLIC_VIEWER, guard.addressOf(req));
    if (limited) return sendRefusal(res, limited.error, { 'retry-after': String(limited.retryAfterSeconds) });
    const origin = req.headers.origin;
    const allowed = origin !== undefined && (await guard.anyKeyAllows(origin, req.headers.host));
    res.writeHead(
      204,
      allowed ? { ...CORS_HEADERS, 'access-control-allow-origin': origin, vary: 'Origin' } : { vary: 'Origin' },
    );
    res.end();
  }

  async function graphql(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    let viewer: Viewer;
    try {
      viewer = await resolveViewer(req.headers.authorization, dataSource, options.adminApiKey);
    } catch (error) {
      if (error instanceof GraphQLError) return sendRefusal(res, error, { 'www-authenticate': 'Bearer' });
      throw error;
    }
    const origin = req.headers.origin;
    const originError = guard.checkOrigin(origin, req.headers.host, viewer);
    if (originError) return sendRefusal(res, originError);
    const cors: Record<string, string> =
      origin && !isOwnOrigin(origin, req.headers.host, guard.limits)
        ? { 'access-control-allow-origin': origin, vary: 'Origin' }
        : {};
    const limited = guard.checkRate(viewer, guard.addressOf(req));
    if (limited) return sendRefusal(res, limited.error, { ...cors, 'retry-after': String(limited.retryAfterSeconds) });
    const body =
      req.method === 'POST'
        ? parseBody(await readBody(req, guard.limits.maxBodyBytes), req.headers['content-type'])
        : undefined;
    const query =
      req.method === 'POST' ? (body as { query?: unknown } | undefined)?.query : url.searchParams.get('query');
    const tooLong = guard.checkLength(query);
    if (tooLong) return sendRefusal(res, tooLong, cors);
    // The shape limits run alone first; a document that fails them never meets the full rules.
    const shape = typeof query === 'string' ? shapeOf(query) : undefined;
    if (shape?.length) return sendRefusal(res, shape[0], cors);
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
      context: async () =>
        createContext(dataSource, log, {
          live: options.live,
          viewer,
          address: guard.addressOf(req),
          work: guard.work,
          acceptLanguage: req.headers['accept-language'],
        }),
    });
    const out: Record<string, string> = { ...cors };
    for (const [key, value] of response.headers) out[key] = value;
    res.writeHead(response.status ?? 200, out);
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  }

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = Date.now();
    const url = new URL(req.url ?? '/', 'http://localhost');
    try {
      if (url.pathname === '/healthz') return sendJson(res, 200, { status: 'ok' });
      if (url.pathname === '/readyz') {
        if (!options.live.ready) return sendJson(res, 503, { status: 'match index loading' });
        const ok = await ready(dataSource);
        return sendJson(res, ok ? 200 : 503, { status: ok ? 'ready' : 'database unreachable' });
      }
      if (url.pathname === '/graphql' || url.pathname === '/graphql/') {
        if (req.method === 'OPTIONS') return await preflight(req, res);
        if (ide && wantsHtml(req, url))
          return send(res, 200, 'text/html; charset=utf-8', ideHtml(await exampleIds(dataSource)));
        return await graphql(req, res, url);
      }
      if (url.pathname === '/embed/matches.js' && req.method === 'GET') {
        return send(res, 200, 'text/javascript; charset=utf-8', MATCHES_WIDGET_SCRIPT, {
          'cache-control': 'public, max-age=300',
        });
      }
      if (url.pathname === '/embed/example.html' && req.method === 'GET') {
        const id = url.searchParams.get('challenge-id') ?? (await exampleIds(dataSource)).challengeId;
        return send(res, 200, 'text/html; charset=utf-8', examplePortalPage(id));
      }
      if (ide && url.pathname.startsWith('/ide/') && req.method === 'GET') {
        const asset = ideAsset(url.pathname.slice('/ide/'.length));
        if (asset) return send(res, 200, asset.type, asset.body, { 'cache-control': 'public, max-age=3600' });
      }
      if (url.pathname === '/') {
        res.writeHead(302, { location: '/graphql' });
        return void res.end();
      }
      return sendJson(res, 404, { error: `no route for ${req.method} ${url.pathname}` });
    } catch (error) {
      if (error instanceof DomainError && error.code === DomainErrorCode.PayloadTooLarge) {
        discard(req);
        if (!res.headersSent) sendRefusal(res, toGraphQLError(error), { connection: 'close' });
        return;
      }
      if (error instanceof HttpError) {
        if (res.headersSent) return;
        return sendJson(res, error.status, {
          errors: [{ message: error.message, extensions: { code: ErrorCode.BAD_REQUEST } }],
        });
      }
      // Key lookups and the like before GraphQL runs: a database that is away is worth a retry.
      if (isDatabaseUnavailable(error)) {
        if (!res.headersSent) sendJson(res, 503, { errors: [UNAVAILABLE] });
        return;
      }
      log.error('request failed', { error: String(error), path: url.pathname });
      if (!res.headersSent)
        sendJson(res, 500, {
          errors: [{ message: 'Internal server error', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } }],
        });
      else res.end();
    } finally {
      log.debug('request', {
        method: req.method,
        path: url.pathname,
        status: res.statusCode,
        ms: Date.now() - started,
      });
    }
  };
}
