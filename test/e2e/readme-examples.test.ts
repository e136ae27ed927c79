/**
 * The README's GraphQL examples, taken from README.md so that they cannot drift from it: every
 * block validates against the schema; those of "First steps", "Example queries" and "Finding
 * partners" run on the demo network as a development start serves it — First steps with the demo
 * key it made, the others as the administrator — and First steps' new partner reaches the
 * subscription listening for it. The README's list of plain (non-connection) lists is held to
 * the schema.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  buildSchema,
  DocumentNode,
  getNullableType,
  GraphQLField,
  isListType,
  isObjectType,
  Kind,
  OperationDefinitionNode,
  OperationTypeNode,
  parse,
  print,
  validate,
  visit,
} from 'graphql';
import { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { exampleIds } from '../../src/server/ide/example-ids';
import { ExampleIds } from '../../src/server/ide/examples';
import { bearer, expectData, startTestServer, TEST_ADMIN_KEY, TestServer } from '../helpers/server';
import { subscribe, Subscription, until, wsClient } from '../helpers/ws-client';

const root = path.join(__dirname, '..', '..');
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
const schema = buildSchema(readFileSync(path.join(root, 'schema', 'schema.graphql'), 'utf8'));

/** A ```graphql block of the README, under its `## ` section. */
interface Block {
  section: string;
  line: number;
  operations: OperationDefinitionNode[];
}

function graphqlBlocks(): Block[] {
  const blocks: Block[] = [];
  const lines = readme.split('\n');
  let section = '';
  for (let i = 0; i < lines.length; i++) {
    const heading = /^## (.+)$/.exec(lines[i]);
    if (heading) section = heading[1];
    if (!/^\s*```graphql\s*$/.test(lines[i])) continue;
    const line = i + 1;
    const body: string[] = [];
    for (i++; i < lines.length && !/^\s*```\s*$/.test(lines[i]); i++) body.push(lines[i]);
    const operations = parse(body.join('\n')).definitions.filter(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
    );
    blocks.push({ section, line, operations });
  }
  return blocks;
}

const BLOCKS = graphqlBlocks();
/** The sections whose examples run, in the README's order. */
const RUN = ['First steps', 'Example queries', 'Finding partners'];

/** Ids the examples' `"…"` stand for, by the argument or input field that holds them. */
function fillIds(operation: OperationDefinitionNode, ids: Record<string, string | undefined>): DocumentNode {
  const fill = (name: string) => {
    const id = ids[name.replace(/s$/, '')];
    if (!id) throw new Error(`README example names "${name}: …", and this test has no id for it`);
    return { kind: Kind.STRING, value: id } as const;
  };
  const document: DocumentNode = { kind: Kind.DOCUMENT, definitions: [operation] };
  return visit(document, {
    Argument: (node) =>
      node.value.kind === Kind.STRING && node.value.value === '…'
        ? { ...node, value: fill(node.name.value) }
        : undefined,
    ObjectField: (node) => {
      if (node.value.kind === Kind.STRING && node.value.value === '…') return { ...node, value: fill(node.name.value) };
      if (node.value.kind === Kind.LIST && node.value.values.some((v) => v.kind === Kind.STRING && v.value === '…'))
        return { ...node, value: { kind: Kind.LIST, values: [fill(node.name.value)] } };
      return undefined;
    },
  });
}

describe("the README's GraphQL examples", () => {
  it('all validate against the schema', () => {
    expect(BLOCKS.length).toBeGreaterThanOrEqual(10);
    for (const { line, operations } of BLOCKS)
      for (const operation of operations) {
        const errors = validate(schema, { kind: Kind.DOCUMENT, definitions: [operation] });
        expect({ line, errors: errors.map((e) => e.message) }).toEqual({ line, errors: [] });
      }
  });

  it('names exactly the lists that are not connections', () => {
    const plain: string[] = [];
    for (const typeName of ['Query', 'Challenge', 'Hub', 'Stakeholder']) {
      const type = schema.getType(typeName);
      if (!isObjectType(type)) throw new Error(`${typeName} is not an object type`);
      for (const field of Object.values(type.getFields()) as GraphQLField<unknown, unknown>[]) {
        const list = getNullableType(field.type);
        // Root lists, and the lists of a row that take arguments (the rest are its attributes).
        if (isListType(list) && isObjectType(getNullableType(list.ofType)))
          if (typeName === 'Query' || field.args.length > 0)
            plain.push(typeName === 'Query' ? field.name : `${typeName}.${field.name}`);
      }
    }
    const sentence = /These lists are plain lists instead[\s\S]*?\. The schema says/.exec(readme)?.[0] ?? '';
    const named = [...sentence.matchAll(/`([\w.]+)`/g)]
      .map((m) => m[1])
      .filter((n) => n !== 'first' && n !== 'eventCursor');
    expect(named.sort()).toEqual(plain.sort());
  });

  describe('on the demo network', () => {
    let t: TestServer;
    let ids: ExampleIds;
    beforeAll(async () => {
      t = await startTestServer({ demo: true });
      ids = await exampleIds(t.db.dataSource);
    });
    afterAll(() => t?.stop());

    it('run as written, and First steps pushes the new partner to the listening subscription', async () => {
      const coordinator = t.summary.demoKeys!.coordinator;
      const known: Record<string, string | undefined> = {
        challengeId: ids.challengeId,
        stakeholderId: ids.stakeholderId,
        schoolId: ids.schoolId,
        hubId: ids.hubId,
      };
      const client = wsClient(t.server.url);
      const listening: Subscription<{ matchFound: { stakeholder: { name: string } } }>[] = [];
      let ran = 0;
      try {
        for (const block of BLOCKS.filter((b) => RUN.includes(b.section)))
          for (const operation of block.operations) {
            const document = fillIds(operation, known);
            const where = { section: block.section, line: block.line };
            if (operation.operation === OperationTypeNode.SUBSCRIPTION) {
              expect(where.section).toBe('First steps');
              listening.push(
                subscribe(client, document as TypedDocumentNode<{ matchFound: { stakeholder: { name: string } } }>, {}),
              );
              await until(() => t.live.size === listening.length, 10_000);
            } else {
              const key = block.section === 'First steps' ? coordinator : TEST_ADMIN_KEY;
              const { json } = await t.raw<Record<string, { id?: string }>>({ query: print(document) }, bearer(key));
              expect({ ...where, errors: json.errors }).toEqual({ ...where, errors: undefined });
              const data = expectData(json);
              // An invitation's answer names the partnership it made.
              if (data.invitePartner?.id) known.partnershipId = data.invitePartner.id;
            }
            ran++;
          }
        expect(ran).toBeGreaterThanOrEqual(10);
        expect(listening).toHaveLength(1);
        const pushed = await listening[0].find((r) => r.data?.matchFound.stakeholder.name === 'Repair Café Leuven');
        expect(pushed.errors).toBeUndefined();
      } finally {
        for (const s of listening) s.stop();
        await client.dispose();
      }
    });
  });
});
