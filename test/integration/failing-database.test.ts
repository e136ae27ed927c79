/**
 * A database that fails is a failure, never an absence. Every Query and Mutation field of the
 * schema (walked from the schema itself, so a new field is covered without a new line here) runs
 * as every role against a PostgreSQL that stops answering: its connections are cut and new ones
 * refused. Each answer must be SERVICE_UNAVAILABLE, or what the same call answers with a healthy
 * database where that answer is a refusal decided without the data (UNAUTHENTICATED, FORBIDDEN,
 * BAD_USER_INPUT) — never NOT_FOUND, an empty list, a null, or a check that was skipped.
 */
import {
  execute,
  getNamedType,
  GraphQLField,
  GraphQLFormattedError,
  GraphQLInputType,
  GraphQLObjectType,
  GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  parse,
} from 'graphql';
import { DataSource } from 'typeorm';
import { viewerOfSecret } from '../../src/domain/access/api-key.service';
import { BOOTSTRAP_ADMIN, PUBLIC_VIEWER, Viewer } from '../../src/domain/access/role';
import { tcpRelay } from '../helpers/tcp-relay';
import { createDataSource } from '../../src/db/data-source';
import { buildSchema } from '../../src/graphql/build-schema';
import { Context, createContext } from '../../src/graphql/context';
import { createLoaders } from '../../src/graphql/loaders';
import { createFormatError } from '../../src/graphql/to-graphql-error';
import { createWorkLimiter } from '../../src/graphql/work-limiter';
import { silentLogger } from '../../src/log/logger';
import {
  CreateApiKeyDocument,
  CreateChallengeDocument,
  CreateHubDocument,
  CreateMissionDocument,
  CreateStakeholderDocument,
  InvitePartnerDocument,
} from '../generated/graphql';
import { expectData, RELAXED_LIMITS, startTestServer, TestServer } from '../helpers/server';

let t: TestServer;
let schema: GraphQLSchema;
let failing: { dataSource: DataSource; cut(): Promise<void>; close(): Promise<void> };
const ids = {} as Record<
  'hub' | 'otherHub' | 'school' | 'partner' | 'candidate' | 'challenge' | 'mission' | 'partnership',
  string
>;
const viewers = {} as Record<'public' | 'portal' | 'coordinator' | 'otherCoordinator' | 'admin', Viewer>;
const formatError = createFormatError(silentLogger);
const work = createWorkLimiter({ concurrency: 4 });

/** A data source that works until `cut()` (see tcp-relay.ts): a database host that died. */
async function dataSourceToCut(url: string) {
  const relay = await tcpRelay(url);
  const dataSource = createDataSource({ url: relay.url, poolSize: 2 });
  await dataSource.initialize();
  return {
    dataSource,
    cut: async () => relay.cut(),
    async close() {
      await relay.close();
      await dataSource.destroy().catch(() => undefined);
    },
  };
}

const NIL = '00000000-0000-4000-8000-000000000000';

/** A valid value for an argument: the fixtures' ids where the name says which, else a plain dummy. */
function valueOf(name: string, type: GraphQLInputType, returns: string): unknown {
  if (isNonNullType(type)) return valueOf(name, type.ofType, returns);
  if (isListType(type)) return [valueOf(name, type.ofType, returns)];
  if (isEnumType(type)) return type.getValues()[0].value;
  if (isInputObjectType(type)) {
    return Object.fromEntries(
      Object.values(type.getFields())
        .filter((f) => isNonNullType(f.type))
        .map((f) => [f.name, valueOf(f.name, f.type, '')]),
    );
  }
  const byName: Record<string, string> = {
    challengeId: ids.challenge,
    // Not invited yet: suggestions of and for it are not empty, so their rows are loaded too.
    stakeholderId: ids.candidate,
    schoolId: ids.school,
    hubId: ids.hub,
    partnershipId: ids.partnership,
    missionId: ids.mission,
  };
  if (byName[name]) return byName[name];
  if (name === 'id') {
    const byType: Record<string, string> = {
      Challenge: ids.challenge,
      Stakeholder: ids.partner,
      Hub: ids.hub,
      Mission: ids.mission,
      Partnership: ids.partnership,
    };
    return byType[returns] ?? NIL;
  }
  if (name === 'code') return 'BE';
  if (name === 'sdgs') return 6;
  if (name === 'countryCode') return 'BE';
  if (isScalarType(type)) {
    const scalars: Record<string, unknown> = {
      ID: NIL,
      String: 'x',
      Int: 1,
      Float: 1,
      Boolean: true,
      DateTimeISO: '2026-01-01T00:00:00.000Z',
    };
    return scalars[type.name] ?? 'x';
  }
  throw new Error(`no value for ${name}: ${String(type)}`);
}

/**
 * `{ __typename child { __typename … } }` down to `depth` levels, through every object field that
 * needs no argument and no type twice on a path: the lists and lookups under a root field run too.
 */
function selectionOf(type: GraphQLObjectType, depth: number, path: Set<string>): string {
  const children =
    depth === 0
      ? []
      : Object.values(type.getFields()).flatMap((f) => {
          const target = getNamedType(f.type);
          if (!isObjectType(target) || path.has(target.name) || f.args.some((a) => isNonNullType(a.type))) return [];
          return [`${f.name} ${selectionOf(target, depth - 1, new Set(path).add(target.name))}`];
        });
  return `{ __typename ${children.join(' ')} }`;
}

/** `field(arg: $v0 …) { … }` for one root field, with its variables. */
function callOf(root: 'query' | 'mutation', field: GraphQLField<unknown, unknown>) {
  const required = field.args.filter((a) => isNonNullType(a.type));
  const returns = getNamedType(field.type).name;
  const defs = required.map((a, i) => `$v${i}: ${String(a.type)}`).join(', ');
  const args = required.map((a, i) => `${a.name}: $v${i}`).join(', ');
  const target = getNamedType(field.type);
  const selection = isObjectType(target) ? ` ${selectionOf(target, 3, new Set([target.name]))}` : '';
  return {
    query: `${root}${defs ? `(${defs})` : ''} { ${field.name}${args ? `(${args})` : ''}${selection} }`,
    variables: Object.fromEntries(required.map((a, i) => [`v${i}`, valueOf(a.name, a.type, returns)])),
  };
}

interface Answer {
  data: unknown;
  codes: string[];
  /** SQL statements the call ran on the healthy database (0: it does not depend on the data). */
  statements: number;
}

/** Runs one call the way the server does, with its errors as a client sees them. */
async function run(
  call: { query: string; variables: Record<string, unknown> },
  viewer: Viewer,
  dataSource: DataSource,
  loadersFrom: DataSource = dataSource,
): Promise<Answer> {
  t.db.resetQueries();
  const contextValue: Context = createContext(dataSource, silentLogger, { live: t.live, viewer, work });
  contextValue.loaders = createLoaders(loadersFrom);
  const result = await execute({ schema, document: parse(call.query), variableValues: call.variables, contextValue });
  const errors: GraphQLFormattedError[] = (result.errors ?? []).map((e) => formatError(e.toJSON(), e));
  return {
    data: result.data ? Object.values(result.data)[0] : result.data,
    codes: errors.map((e) => String(e.extensions?.code)),
    statements: t.db.queries.length,
  };
}

// Refusals that do not depend on the data: a healthy database gives them too.
const DECIDED_WITHOUT_DATA = ['UNAUTHENTICATED', 'FORBIDDEN', 'BAD_USER_INPUT'];

/** Why an answer with a failing database is wrong, or undefined when it is a failure said as one. */
function wrong(healthy: Answer, failed: Answer): string | undefined {
  if (failed.codes.length > 0 && failed.codes.every((c) => c === 'SERVICE_UNAVAILABLE')) return undefined;
  const refused = healthy.codes[0];
  if (refused && DECIDED_WITHOUT_DATA.includes(refused) && failed.codes[0] === refused) return undefined;
  if (healthy.statements === 0 && JSON.stringify(failed) === JSON.stringify({ ...healthy, statements: 0 }))
    return undefined;
  return `healthy ${shown(healthy)}, failing ${shown(failed)}`;
}

/** An answer in a problem report: its error codes, or the start of its data. */
const shown = (a: Answer) => JSON.stringify(a.codes.length ? a.codes : a.data)?.slice(0, 100);

beforeAll(async () => {
  t = await startTestServer({ limits: { ...RELAXED_LIMITS, maxCost: 10_000_000 } });
  schema = await buildSchema();
  const hub = async (name: string) => expectData(await t.admin(CreateHubDocument, { input: { name } })).createHub.id;
  ids.hub = await hub('Hub A');
  ids.otherHub = await hub('Hub B');
  const viewer = async (role: 'PORTAL' | 'COORDINATOR', hubId: string) =>
    (await viewerOfSecret(
      t.db.dataSource.manager,
      expectData(await t.admin(CreateApiKeyDocument, { input: { name: `${role} key`, role, hubIds: [hubId] } }))
        .createApiKey.secret,
    ))!;
  viewers.public = PUBLIC_VIEWER;
  viewers.portal = await viewer('PORTAL', ids.hub);
  viewers.coordinator = await viewer('COORDINATOR', ids.hub);
  viewers.otherCoordinator = await viewer('COORDINATOR', ids.otherHub);
  viewers.admin = BOOTSTRAP_ADMIN;
  const base = { sdgs: [6], expertise: ['Hydrology'], city: 'Leuven', countryCode: 'BE', hubIds: [ids.hub] };
  const stakeholder = async (kind: 'SCHOOL' | 'UNIVERSITY', name: string) =>
    expectData(await t.admin(CreateStakeholderDocument, { input: { ...base, kind, name } })).createStakeholder.id;
  ids.school = await stakeholder('SCHOOL', 'School');
  ids.mission = expectData(
    await t.admin(CreateMissionDocument, { input: { title: 'Water', sdgs: [6] } }),
  ).createMission.id;
  ids.challenge = expectData(
    await t.admin(CreateChallengeDocument, {
      input: {
        schoolId: ids.school,
        hubId: ids.hub,
        missionId: ids.mission,
        title: 'Floods',
        sdgs: [6],
        expertiseNeeded: ['Hydrology'],
      },
    }),
  ).createChallenge.id;
  ids.partner = await stakeholder('UNIVERSITY', 'University');
  ids.candidate = await stakeholder('UNIVERSITY', 'Candidate university');
  ids.partnership = expectData(
    await t.admin(InvitePartnerDocument, { challengeId: ids.challenge, stakeholderId: ids.partner }),
  ).invitePartner.id;
  await t.reindex();
  failing = await dataSourceToCut(t.db.url);
  await failing.cut();
}, 60_000);
afterAll(async () => {
  await failing?.close();
  await t?.stop();
});

const roots = () =>
  (['query', 'mutation'] as const).flatMap((root) =>
    Object.values((root === 'query' ? schema.getQueryType() : schema.getMutationType())!.getFields()).map(
      (field) => [root, field] as const,
    ),
  );

it('answers every field, as every role, with SERVICE_UNAVAILABLE when the database is gone', async () => {
  const problems: string[] = [];
  let calls = 0;
  for (const [root, field] of roots()) {
    const call = callOf(root, field);
    for (const [who, viewer] of Object.entries(viewers)) {
      // Queries first on the healthy database (what the answer would be); mutations after, so
      // that the failing call never meets the state a healthy write left behind.
      const failed = await run(call, viewer, failing.dataSource);
      const healthy = await run(call, viewer, t.db.dataSource);
      const problem = wrong(healthy, failed);
      if (problem) problems.push(`${root} ${field.name} as ${who}: ${problem}`);
      calls++;
    }
  }
  expect(calls).toBeGreaterThan(150);
  expect(problems).toEqual([]);
}, 120_000);

it('never lets a read that failed decide a check or an answer: loaders failing, everything else healthy', async () => {
  const problems: string[] = [];
  for (const [root, field] of roots()) {
    const call = callOf(root, field);
    for (const [who, viewer] of Object.entries(viewers)) {
      if (root === 'mutation' && viewer === viewers.admin) continue;
      const healthy = await run(call, viewer, t.db.dataSource);
      // A write the healthy database allowed has happened; only refusals are compared.
      if (root === 'mutation' && !DECIDED_WITHOUT_DATA.includes(healthy.codes[0])) continue;
      const failed = await run(call, viewer, t.db.dataSource, failing.dataSource);
      // Unchanged by the failure, or the failure said as one.
      if (JSON.stringify({ ...failed, statements: 0 }) === JSON.stringify({ ...healthy, statements: 0 })) continue;
      if (failed.codes.length > 0 && failed.codes.every((c) => c === 'SERVICE_UNAVAILABLE')) continue;
      problems.push(`${root} ${field.name} as ${who}: healthy ${shown(healthy)}, loaders failing ${shown(failed)}`);
    }
  }
  expect(problems).toEqual([]);
}, 120_000);
