/**
 * A publishable key (`pk_…`) for one portal's origin, and a hub's network it could reach for
 * (publishable-keys.test.ts, publishable-key-widget.test.ts); each call is sent over HTTP or its
 * own WebSocket from where a page could send it, and its outcome told in GraphQL codes.
 */
import { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import {
  CreateApiKeyDocument,
  CreateChallengeDocument,
  CreateHubDocument,
  CreateStakeholderDocument,
  InvitePartnerDocument,
} from '../generated/graphql';
import { isErrorList } from './json';
import { bearer, expectData, startTestServer, TestServer } from './server';

/** The origin the key is bound to. */
export const PORTAL = 'https://portal.example';

/** Where a request comes from: the key's own site, curl (no Origin), another site, this service's pages. */
export type From = 'its origin' | 'no Origin' | 'another site' | 'this service';
/** What a publishable key gets for a write or a keyed read, by where the request comes from. */
export const REFUSED: Record<From, string> = {
  'its origin': 'FORBIDDEN',
  'no Origin': 'UNAUTHENTICATED',
  'another site': 'FORBIDDEN',
  'this service': 'FORBIDDEN',
};

/** An operation as sent. */
export interface Call {
  query: string;
  variables?: Record<string, unknown>;
}
/** What came back: the first error's code (`OK` without one) and message, and the data. */
export interface Outcome {
  code: unknown;
  message?: string;
  data?: unknown;
}
/** A typed document and its variables, as sent. */
export const call = <T, V>(doc: TypedDocumentNode<T, V>, variables: V): Call => ({
  query: print(doc),
  variables: variables as Record<string, unknown>,
});

// graphql-ws refuses a connection with a close code; the table speaks in GraphQL codes.
const CLOSE_CODES: Record<number, string> = { 4401: 'UNAUTHENTICATED', 4403: 'FORBIDDEN' };

/** The server, the key and the network, filled by the `beforeAll` that {@link publishableKeyWorld} registers. */
export interface PublishableKeyWorld {
  t: TestServer;
  /** The service's own origin (its IDE and example page): not one the key lists. */
  own: string;
  pk: { id: string; secret: string };
  ids: Record<'hub' | 'school' | 'family' | 'uni' | 'org' | 'challenge' | 'invited', string>;
  /** One operation over HTTP, with the publishable key unless `key` says otherwise ('': none). */
  overHttp(c: Call, from: From, key?: string): Promise<Outcome>;
  /** One operation over its own WebSocket: its first result, or the refusal of the operation or the socket. */
  overWs(c: Call, from: From): Promise<Outcome>;
}

/** Registers the hooks that start the server and make the key and the network (and stop it); call at a file's top. */
export function publishableKeyWorld(): PublishableKeyWorld {
  const pk = { id: '', secret: '' };
  const world = { own: '', pk, ids: {} } as PublishableKeyWorld;
  const { ids } = world;
  const origin = (from: From): string | undefined =>
    ({
      'its origin': PORTAL,
      'no Origin': undefined,
      'another site': 'https://evil.example',
      'this service': world.own,
    })[from];

  world.overHttp = async (c, from, key = pk.secret) => {
    const o = origin(from);
    const { json } = await world.t.raw(c, { ...(key ? bearer(key) : {}), ...(o ? { origin: o } : {}) });
    const error = json.errors?.[0];
    return { code: error?.extensions?.code ?? 'OK', message: error?.message ?? '', data: json.data ?? null };
  };

  world.overWs = (c, from) => {
    const o = origin(from);
    const client = createClient({
      url: world.t.server.url.replace(/^http/, 'ws'),
      webSocketImpl: class extends WebSocket {
        constructor(url: string, protocols: string | string[]) {
          super(url, protocols, { headers: o ? { origin: o } : {} });
        }
      },
      connectionParams: { authorization: `Bearer ${pk.secret}` },
      retryAttempts: 0,
      lazy: true,
    });
    return new Promise<Outcome>((resolve) => {
      let first: Outcome | undefined;
      client.subscribe(c as never, {
        next: (r) => {
          const error = r.errors?.[0];
          first ??= { code: error?.extensions?.code ?? 'OK', message: error?.message ?? '', data: r.data ?? null };
        },
        error: (e) => {
          if (isErrorList(e)) return resolve({ code: e[0]?.extensions?.code, message: e[0]?.message });
          const { code, reason } = e as { code: number; reason: string };
          resolve({ code: CLOSE_CODES[code] ?? `close ${code}`, message: reason });
        },
        complete: () => resolve(first ?? { code: 'NO RESULT', message: '' }),
      });
    }).finally(() => client.dispose());
  };

  beforeAll(async () => {
    const t = (world.t = await startTestServer());
    world.own = t.server.url.replace(/\/graphql$/, '');
    ids.hub = expectData(
      await t.admin(CreateHubDocument, {
        input: { name: 'Leuven makers', coordinators: [{ name: 'An', email: 'an@hub.example' }] },
      }),
    ).createHub.id;
    const stakeholder = async (input: Record<string, unknown>) =>
      expectData(
        await t.admin(CreateStakeholderDocument, {
          input: { sdgs: [13], expertise: ['Hydrology'], city: 'Leuven', countryCode: 'BE', ...input } as never,
        }),
      ).createStakeholder.id;
    ids.school = await stakeholder({
      kind: 'SCHOOL',
      name: 'Sint-Pieterscollege',
      contactEmail: 'info@spc.example',
      hubIds: [ids.hub],
    });
    ids.challenge = expectData(
      await t.admin(CreateChallengeDocument, {
        input: { schoolId: ids.school, hubId: ids.hub, title: 'Floods', sdgs: [13], expertiseNeeded: ['Hydrology'] },
      }),
    ).createChallenge.id;
    ids.family = await stakeholder({
      kind: 'FAMILY',
      name: 'Familie Geheim',
      contactEmail: 'geheim@family.example',
      consentGiven: true,
      hubIds: [ids.hub],
    });
    ids.uni = await stakeholder({ kind: 'UNIVERSITY', name: 'KU Leuven', hubIds: [ids.hub] });
    ids.org = await stakeholder({ kind: 'CIVIL_SOCIETY', name: 'Leuven water NGO', hubIds: [ids.hub] });
    ids.invited = expectData(
      await t.admin(InvitePartnerDocument, {
        challengeId: ids.challenge,
        stakeholderId: ids.family,
        message: 'Dear Geheim family, would you join?',
      }),
    ).invitePartner.id;
    const created = expectData(
      await t.admin(CreateApiKeyDocument, {
        input: { name: 'Portal page', role: 'PUBLISHABLE', allowedOrigins: [PORTAL] },
      }),
    ).createApiKey;
    Object.assign(pk, { id: created.apiKey.id, secret: created.secret });
    // Writes are answered before their relay: every relay done, the tables the tests compare stand still.
    await t.live.settle();
  });
  afterAll(() => world.t?.stop());
  return world;
}
