/**
 * OpenTelemetry tracing, off unless a collector is configured: a tracer provider of this service's
 * own (not registered as the process's global one, so that several services in one process —
 * the tests — do not share or replace each other's), exporting over OTLP/HTTP in batches.
 */
import type { Tracer } from '@opentelemetry/api';
import type { SpanExporter } from '@opentelemetry/sdk-trace-node';
import type { TracingSettings } from '../config';

/** A running tracer and the way to stop it (flushing the spans not exported yet). */
export interface RunningTracing {
  tracer: Tracer;
  stop(): Promise<void>;
}

/** The instrumentation scope's name on every span. */
export const TRACER_NAME = 'open-schooling-matchmaker';

/**
 * Starts tracing to `settings.endpoint`'s `/v1/traces`, or to `exporter` where one is given (each
 * span exported as it ends: tests read an in-memory exporter). Returns `undefined` when neither
 * is given: no provider, no spans, nothing to stop, and the SDK not even loaded (with the Redis
 * client, loaded likewise only where configured, 0.15 s of every start).
 */
export async function startTracing(
  settings: TracingSettings,
  exporter?: SpanExporter,
): Promise<RunningTracing | undefined> {
  if (!settings.endpoint && !exporter) return undefined;
  const [
    { OTLPTraceExporter },
    { resourceFromAttributes },
    { BatchSpanProcessor, NodeTracerProvider, SimpleSpanProcessor },
  ] = await Promise.all([
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/sdk-trace-node'),
  ]);
  const processor = exporter
    ? new SimpleSpanProcessor(exporter)
    : new BatchSpanProcessor(new OTLPTraceExporter({ url: `${settings.endpoint}/v1/traces` }));
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': settings.serviceName }),
    spanProcessors: [processor],
  });
  return { tracer: provider.getTracer(TRACER_NAME), stop: () => provider.shutdown() };
}
