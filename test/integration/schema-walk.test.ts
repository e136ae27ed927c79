/**
 * Walks the whole schema instead of trusting a list of hand-written queries: every mutation must
 * say who may call it, every personal-looking field must be marked private, and no path from the
 * query root reaches a private value for a role that must not see it.
 */
import {
  getNamedType,
  GraphQLInputType,
  GraphQLNamedType,
  GraphQLObjectType,
  GraphQLSchema,
  isLeafType,
  isNonNullType,
  isObjectType,
} from 'graphql';
import { MUTATION_ROLES } from '../../src/graphql/access';
import { callOf, dummy } from '../helpers/schema-calls';
import { buildSchema } from '../../src/graphql/build-schema';
import { PRIVATE_FIELDS } from '../../src/graphql/privacy.middleware';
import {
  CreateApiKeyDocument,
  CreateChallengeDocument,
  CreateHubDocument,
  CreateStakeholderDocument,
  InvitePartnerDocument,
} from '../generated/graphql';
import { bearer, expectData, RELAXED_LIMITS, startTestServer, TEST_ADMIN_KEY, TestServer } from '../helpers/server';

let t: TestServer;
let schema: GraphQLSchema;

const secrets = {
  familyName: 'Familie Verborgen',
  familyEmail: 'verborgen@family.example',
  familyPhone: '+32 470 00 00 01',
  familyText: 'Twee kinderen, geheime beschrijving',
  familySite: 'https://verborgen.example',
  schoolEmail: 'school@secret.example',
  coordinatorEmail: 'coordinator@secret.example',
  invitation: 'Dear Verborgen family, would you join?',
};
const ids = {} as Record<'hubA' | 'hubB' | 'family' | 'school' | 'challenge', string>;
const headers = {} as Record<'portalA' | 'coordB', Record<string, string>>;

beforeAll(async () => {
  // Every path must run, however many nested lists it crosses: the cost limit is not under test here.
  t = await startTestServer({ limits: { ...RELAXED_LIMITS, maxCost: 10_000_000 } });
  schema = await buildSchema();
  ids.hubA = expectData(
    await t.admin(CreateHubDocument, {
      input: { name: 'Hub A', coordinators: [{ name: 'Coordinator', email: secrets.coordinatorEmail }] },
    }),
  ).createHub.id;
  ids.hubB = expectData(await t.admin(CreateHubDocument, { input: { name: 'Hub B' } })).createHub.id;
  const key = async (role: 'PORTAL' | 'COORDINATOR', hub: string) =>
    bearer(
      expectData(await t.admin(CreateApiKeyDocument, { input: { name: role, role, hubIds: [hub] } })).createApiKey
        .secret,
    );
  headers.portalA = await key('PORTAL', ids.hubA);
  headers.coordB = await key('COORDINATOR', ids.hubB);
  const base = { sdgs: [13], expertise: ['Hydrology'], city: 'Leuven', countryCode: 'BE', hubIds: [ids.hubA] };
  ids.school = expectData(
    await t.admin(CreateStakeholderDocument, {
      input: { ...base, kind: 'SCHOOL', name: 'School A', contactEmail: secrets.schoolEmail },
    }),
  ).createStakeholder.id;
  ids.challenge = expectData(
    await t.admin(CreateChallengeDocument, {
      input: { schoolId: ids.school, title: 'Floods', sdgs: [13], expertiseNeeded: ['Hydrology'], hubId: ids.hubA },
    }),
  ).createChallenge.id;
  // Created after the challenge, so that it is also a stored match (matchesSince).
  ids.family = expectData(
    await t.admin(CreateStakeholderDocument, {
      input: {
        ...base,
        kind: 'FAMILY',
        consentGiven: true,
        name: secrets.familyName,
        contactEmail: secrets.familyEmail,
        contactPhone: secrets.familyPhone,
        description: secrets.familyText,
        website: secrets.familySite,
      },
    }),
  ).createStakeholder.id;
  expectData(
    await t.admin(InvitePartnerDocument, {
      challengeId: ids.challenge,
      stakeholderId: ids.family,
      message: secrets.invitation,
    }),
  );
});
afterAll(() => t?.stop());

/** How many rows each table a refused mutation could have written holds. */
const ROW_COUNTS = `SELECT (SELECT count(*) FROM stakeholder) s, (SELECT count(*) FROM challenge) c,
  (SELECT count(*) FROM partnership) p, (SELECT count(*) FROM api_key) k, (SELECT count(*) FROM hub) h,
  (SELECT count(*) FROM mission) m`;

describe('every mutation says who may call it', () => {
  it('lists exactly the schema’s mutations in MUTATION_ROLES', () => {
    expect(Object.keys(schema.getMutationType()!.getFields()).sort()).toEqual(Object.keys(MUTATION_ROLES).sort());
  });

  it('says in each mutation’s description which roles may call it', () => {
    for (const field of Object.values(schema.getMutationType()!.getFields())) {
      for (const role of (MUTATION_ROLES as Record<string, string[]>)[field.name])
        expect([field.name, field.description]).toEqual([field.name, expect.stringContaining(role)]);
    }
  });

  it('refuses every mutation without a key, and those not for portals to a PORTAL key, writing nothing', async () => {
    const before: unknown[] = await t.db.dataSource.query(ROW_COUNTS);
    const fields = Object.values(schema.getMutationType()!.getFields());
    for (const field of fields) {
      const call = callOf('mutation', field);
      const anonymous = await t.raw(call);
      expect([field.name, anonymous.json.errors?.[0]?.extensions?.code]).toEqual([field.name, 'UNAUTHENTICATED']);
      if (!(MUTATION_ROLES as Record<string, string[]>)[field.name].includes('PORTAL')) {
        const portal = await t.raw(call, headers.portalA);
        expect([field.name, portal.json.errors?.[0]?.extensions?.code]).toEqual([field.name, 'FORBIDDEN']);
      }
    }
    const after: unknown[] = await t.db.dataSource.query(ROW_COUNTS);
    expect(after).toEqual(before);
  });
});

describe('private fields', () => {
  it('marks every personal-looking field of every type as private', () => {
    const personal = /email|phone|contact|address|birth|consent/i;
    // "Contact" here is how partners meet pupils (safeguarding), not a way to reach a person.
    const notPersonal = new Set(['Challenge.pupilContact', 'SafeguardingPolicy.contactLevels']);
    const unmarked: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      for (const name of Object.keys(type.getFields())) {
        if (notPersonal.has(`${type.name}.${name}`)) continue;
        if (personal.test(name) && !(PRIVATE_FIELDS[type.name] ?? []).includes(name))
          unmarked.push(`${type.name}.${name}`);
      }
    }
    expect(unmarked).toEqual([]);
  });

  /** Every path from Query to a type with private fields, up to `maxDepth` fields, no type twice. */
  function paths(maxDepth = 5): string[] {
    const out: string[] = [];
    // Every field PRIVATE_FIELDS marks, of every type it names (objects with their leaf fields).
    const privateSelection: Record<string, string> = Object.fromEntries(
      Object.entries(PRIVATE_FIELDS).map(([typeName, names]) => {
        const type = schema.getType(typeName) as GraphQLObjectType;
        const fields = names.map((n) => {
          const target = getNamedType(type.getFields()[n].type);
          return isObjectType(target)
            ? `${n} { ${Object.values(target.getFields())
                .filter((f) => isLeafType(getNamedType(f.type)))
                .map((f) => f.name)
                .join(' ')} }`
            : n;
        });
        return [typeName, `__typename ${fields.join(' ')}`];
      }),
    );
    const argValue = (name: string, type: GraphQLInputType): string => {
      const named = getNamedType(type).name;
      if (name === 'challengeId') return `"${ids.challenge}"`;
      if (name === 'stakeholderId') return `"${ids.family}"`;
      if (name === 'hubId') return `"${ids.hubA}"`;
      if (name === 'code') return '"BE"';
      if (named === 'DateTimeISO') return '"2000-01-01T00:00:00.000Z"';
      return JSON.stringify(dummy(type));
    };
    const walk = (type: GraphQLObjectType, prefix: string[], seen: Set<string>) => {
      for (const field of Object.values(type.getFields())) {
        const target = getNamedType(field.type) as GraphQLNamedType;
        if (!isObjectType(target) || seen.has(target.name)) continue;
        let args = field.args.filter((a) => isNonNullType(a.type)).map((a) => `${a.name}: ${argValue(a.name, a.type)}`);
        // Root lookups by id go to the object the fixtures made private.
        if (type.name === 'Query' && field.args.some((a) => a.name === 'id')) {
          const id = { Stakeholder: ids.family, Hub: ids.hubA, Challenge: ids.challenge }[target.name];
          if (!id) continue;
          args = [`id: "${id}"`];
        }
        if (field.name === 'suggestPartners' || field.name === 'stakeholders') args.push('first: 5');
        const step = `${field.name}${args.length ? `(${args.join(', ')})` : ''}`;
        const next = [...prefix, step];
        if (privateSelection[target.name])
          out.push(`{ ${next.join(' { ')} { ${privateSelection[target.name]} }${' }'.repeat(next.length - 1)} }`);
        if (next.length < maxDepth) walk(target, next, new Set(seen).add(target.name));
      }
    };
    walk(schema.getQueryType()!, [], new Set(['Query']));
    return out;
  }

  it('never reaches a private value as a public reader, a portal, or another hub’s coordinator', async () => {
    const documents = paths();
    expect(documents.length).toBeGreaterThan(20);
    const leaks: string[] = [];
    let adminSaw = 0;
    for (const query of documents) {
      const admin = await t.raw({ query }, bearer(TEST_ADMIN_KEY));
      expect([query, admin.status]).toEqual([query, 200]);
      if (Object.values(secrets).some((s) => JSON.stringify(admin.json).includes(s))) adminSaw++;
      for (const [who, h] of [
        ['public', {}],
        ['portal', headers.portalA],
        ['other coordinator', headers.coordB],
      ] as const) {
        const body = JSON.stringify((await t.raw({ query }, h)).json);
        for (const [what, secret] of Object.entries(secrets))
          if (body.includes(secret)) leaks.push(`${who} sees ${what} through ${query}`);
      }
    }
    expect(leaks).toEqual([]);
    // The walk must actually reach the private values, or it proves nothing.
    expect(adminSaw).toBeGreaterThan(5);
  });
});
