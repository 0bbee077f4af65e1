import { trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

export interface TracingHandle {
  /** False when nothing was registered and spans would go nowhere. */
  enabled: boolean;
  shutdown(): Promise<void>;
}

/**
 * Registers an OpenTelemetry tracer provider. With no OTLP endpoint and no processor
 * nothing is registered and the API stays a no-op (zero cost on the hot path).
 */
export function startTracing(options: { serviceName: string; otlpEndpoint?: string; otlpHeaders?: Record<string, string>; processor?: SpanProcessor }): TracingHandle {
  const processors: SpanProcessor[] = [];
  if (options.processor) processors.push(options.processor);
  if (options.otlpEndpoint) {
    const url = options.otlpEndpoint.endsWith('/v1/traces') ? options.otlpEndpoint : `${options.otlpEndpoint.replace(/\/$/, '')}/v1/traces`;
    processors.push(new BatchSpanProcessor(new OTLPTraceExporter({ url, headers: options.otlpHeaders ?? {} })));
  }
  if (processors.length === 0) return { enabled: false, shutdown: async () => {} };
  const provider = new NodeTracerProvider({ resource: resourceFromAttributes({ 'service.name': options.serviceName }), spanProcessors: processors });
  provider.register();
  return {
    enabled: true,
    shutdown: async () => {
      await provider.shutdown();
      trace.disable();
    },
  };
}
