/**
 * A small typed client for partner portals: queries and mutations over `fetch`, subscriptions
 * over `graphql-ws`. Pass the typed documents from ./generated; results and variables are typed.
 *
 * @example
 * const client = createMatchmakerClient({ url: 'https://matchmaker.example/graphql', apiKey });
 * const { suggestPartners } = await client.request(PortalSuggestPartnersDocument, { challengeId, first: 5 });
 * const stop = client.subscribe(PortalMatchFoundDocument, { challengeId }, (m) => show(m.matchFound));
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { Kind, print, type DocumentNode } from 'graphql';
import { Client as WsClient, createClient } from 'graphql-ws';

/** Options for {@link createMatchmakerClient}. */
export interface MatchmakerClientOptions {
  /** The GraphQL endpoint, e.g. `http://localhost:4000/graphql`. */
  url: string;
  /** Sent as `Authorization: Bearer <key>` over HTTP and in `connection_init` over WebSocket. */
  apiKey?: string;
  /**
   * A fetch implementation.
   * @default globalThis.fetch
   */
  fetch?: typeof fetch;
  /**
   * A WebSocket implementation (Node.js: the `ws` package).
   * @default globalThis.WebSocket
   */
  webSocketImpl?: unknown;
  /**
   * The language of reasons and labels: sent as `Accept-Language` over HTTP, and as the `lang`
   * variable of every operation that declares one (the portal operations do) unless given.
   * @default the server's choice: the request's Accept-Language, else English
   */
  lang?: 'EN' | 'NL' | 'FR';
}

/** An error the API answered with; `code` is its `extensions.code`. */
export class MatchmakerError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly errors: readonly { message: string; extensions?: Record<string, unknown> }[],
  ) {
    super(message);
    this.name = 'MatchmakerError';
  }
}

export interface MatchmakerClient {
  request<R, V>(document: TypedDocumentNode<R, V>, variables: V): Promise<R>;
  /** Calls `onData` for each event; returns the way to stop. Errors go to `onError`. */
  subscribe<R, V>(
    document: TypedDocumentNode<R, V>,
    variables: V,
    onData: (data: R) => void,
    onError?: (error: MatchmakerError) => void,
  ): () => void;
  /** Closes the WebSocket, if one was opened. */
  dispose(): Promise<void>;
}

function toError(errors: readonly { message: string; extensions?: Record<string, unknown> }[]): MatchmakerError {
  return new MatchmakerError(
    errors.map((e) => e.message).join('; '),
    errors[0]?.extensions?.code as string | undefined,
    errors,
  );
}

/** Whether an operation declares a `$lang` variable. */
function declaresLang(document: DocumentNode): boolean {
  return document.definitions.some(
    (d) => d.kind === Kind.OPERATION_DEFINITION && d.variableDefinitions?.some((v) => v.variable.name.value === 'lang'),
  );
}

export function createMatchmakerClient(options: MatchmakerClientOptions): MatchmakerClient {
  const doFetch = options.fetch ?? globalThis.fetch;
  const withLang = <V>(document: TypedDocumentNode<unknown, V>, variables: V): V => {
    const given = variables as Record<string, unknown> | undefined;
    if (!options.lang || !declaresLang(document) || given?.lang != null) return variables;
    return { ...given, lang: options.lang } as V;
  };
  const language: Record<string, string> = options.lang ? { 'accept-language': options.lang.toLowerCase() } : {};
  const authorization = options.apiKey ? `Bearer ${options.apiKey}` : undefined;
  let ws: WsClient | undefined;
  const socket = () =>
    (ws ??= createClient({
      url: options.url.replace(/^http/, 'ws'),
      webSocketImpl: options.webSocketImpl,
      connectionParams: authorization ? { authorization } : undefined,
    }));
  return {
    async request(document, variables) {
      const res = await doFetch(options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...language, ...(authorization ? { authorization } : {}) },
        body: JSON.stringify({ query: print(document), variables: withLang(document, variables) }),
      });
      const body = (await res.json()) as {
        data?: unknown;
        errors?: { message: string; extensions?: Record<string, unknown> }[];
      };
      if (body.errors?.length) throw toError(body.errors);
      return body.data as never;
    },
    subscribe(document, variables, onData, onError) {
      return socket().subscribe(
        { query: print(document), variables: withLang(document, variables) as Record<string, unknown> },
        {
          next: (r) => (r.errors?.length ? onError?.(toError(r.errors as never)) : onData(r.data as never)),
          error: (e) =>
            onError?.(new MatchmakerError(e instanceof Error ? e.message : 'subscription failed', undefined, [])),
          complete: () => undefined,
        },
      );
    },
    async dispose() {
      await ws?.dispose();
    },
  };
}
