/**
 * OpenTelemetry spans: one per operation named after it ("mutation CreateStakeholder"), a child
 * per root field, over HTTP and WebSocket; argument values (personal data, often) appear on no
 * span unless TRACE_ARGUMENTS turns them on. Tracing itself is off unless configured.
 */
import { InMemorySpanExporter, ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { loadConfig } from '../../src/config';
import { startTracing } from '../../src/observability/tracing';
import { CreateStakeholderDocument, SdgsDocument, StakeholderDocument } from '../generated/graphql';
import { north } from '../helpers/network';
import { expectData, startTestServer, TestServer } from '../helpers/server';
import { subscribe, wsClient } from '../helpers/ws-client';

const SECRET_NAME = 'Jane Privatedata';

/** Creates a stakeholder named {@link SECRET_NAME} and reads it back by id (a variable), over HTTP. */
async function writeAndRead(t: TestServer): Promise<string> {
  const created = expectData(
    await t.admin(CreateStakeholderDocument, {
      input: { kind: 'UNIVERSITY', name: SECRET_NAME, sdgs: [4], expertise: [], location: north(0) },
    }),
  ).createStakeholder;
  expectData(await t.admin(StakeholderDocument, { id: created.id }));
  return created.id;
}

const allText = (spans: readonly ReadableSpan[]) =>
  JSON.stringify(spans.map((s) => ({ name: s.name, attributes: s.attributes, events: s.events })));

describe('tracing', () => {
  it('is off unless OTEL_EXPORTER_OTLP_ENDPOINT is set', async () => {
    const settings = loadConfig({}).tracing;
    expect(settings).toEqual({ endpoint: undefined, serviceName: 'open-schooling-matchmaker', recordArguments: false });
    expect(await startTracing(settings)).toBeUndefined();
  });

  describe('with argument values off (the default)', () => {
    const exporter = new InMemorySpanExporter();
    let t: TestServer;
    beforeAll(async () => {
      t = await startTestServer({ spanExporter: exporter });
    });
    afterAll(() => t?.stop());

    it('makes a span per operation, named after it, with a child per root field, and no argument values', async () => {
      exporter.reset();
      const id = await writeAndRead(t);
      const spans = exporter.getFinishedSpans();
      const operation = spans.find((s) => s.name === 'mutation CreateStakeholder');
      expect(operation).toBeDefined();
      expect(operation!.kind).toBe(SpanKind.SERVER);
      expect(operation!.attributes).toMatchObject({
        'graphql.operation.type': 'mutation',
        'graphql.operation.name': 'CreateStakeholder',
        'matchmaker.transport': 'http',
        'matchmaker.outcome': 'ok',
      });
      const field = spans.find((s) => s.name === 'Mutation.createStakeholder');
      expect(field?.parentSpanContext?.spanId).toBe(operation!.spanContext().spanId);
      expect(field?.spanContext().traceId).toBe(operation!.spanContext().traceId);
      const read = spans.find((s) => s.name === 'query Stakeholder');
      expect(spans.find((s) => s.name === 'Query.stakeholder')?.parentSpanContext?.spanId).toBe(
        read?.spanContext().spanId,
      );
      // Neither the name (an input) nor the id (a variable) is on any span.
      expect(allText(spans)).not.toContain(SECRET_NAME);
      expect(allText(spans)).not.toContain(id);
      expect(spans.every((s) => s.resource.attributes['service.name'] === 'open-schooling-matchmaker')).toBe(true);
    });

    it('traces WebSocket operations, and refused ones end in error', async () => {
      exporter.reset();
      const ws = wsClient(t.server.url);
      try {
        const answered = subscribe(ws, SdgsDocument, {});
        await answered.completed;
      } finally {
        await ws.dispose();
      }
      const denied = await t.request(CreateStakeholderDocument, {
        input: { kind: 'SCHOOL', name: SECRET_NAME, sdgs: [4], expertise: [], location: north(0) },
      });
      const code = denied.errors?.[0].extensions?.code;
      const spans = exporter.getFinishedSpans();
      expect(spans.find((s) => s.name === 'query Sdgs')?.attributes['matchmaker.transport']).toBe('websocket');
      const refused = spans.find((s) => s.name === 'mutation CreateStakeholder');
      expect(refused?.status).toEqual({ code: SpanStatusCode.ERROR, message: code });
      expect(allText(spans)).not.toContain(SECRET_NAME);
    });
  });

  describe('with TRACE_ARGUMENTS=true', () => {
    const exporter = new InMemorySpanExporter();
    let t: TestServer;
    beforeAll(async () => {
      t = await startTestServer({ spanExporter: exporter, tracing: { recordArguments: true } });
    });
    afterAll(() => t?.stop());

    it('puts variables and root fields’ arguments on the spans', async () => {
      const id = await writeAndRead(t);
      const spans = exporter.getFinishedSpans();
      const variables = spans.find((s) => s.name === 'mutation CreateStakeholder')?.attributes['graphql.variables'];
      expect(variables).toContain(SECRET_NAME);
      expect(spans.find((s) => s.name === 'Query.stakeholder')?.attributes['graphql.field.arguments']).toContain(id);
    });
  });
});
