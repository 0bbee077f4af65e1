import { context, propagation, ROOT_CONTEXT, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';

const tracer = trace.getTracer('breakwater');
const spans = new WeakMap<FastifyRequest, Span>();

/**
 * An HTTP SERVER span per request (OpenTelemetry HTTP semantic conventions), continuing the
 * caller's W3C `traceparent` when it sent one. The route handler runs inside the span's
 * context, so the gateway's model-call spans and a submitted job's spans are its children.
 * Registered only when tracing is configured: with it off, requests pay for no hook.
 */
export function httpSpans(server: FastifyInstance): void {
  server.addHook('onRequest', (request, _reply, done) => {
    const parent = propagation.extract(ROOT_CONTEXT, request.headers);
    const route = request.routeOptions.url;
    const span = tracer.startSpan(
      route ? `${request.method} ${route}` : request.method,
      {
        kind: SpanKind.SERVER,
        attributes: {
          'http.request.method': request.method,
          'url.path': request.url.split('?')[0]!,
          'url.scheme': 'http',
          ...(route ? { 'http.route': route } : {}),
          'breakwater.request_id': request.id,
        },
      },
      parent,
    );
    spans.set(request, span);
    done();
  });
  // The last hook before the handler: everything the handler starts runs in the span's context.
  server.addHook('preHandler', (request, _reply, done) => {
    const span = spans.get(request);
    if (!span) return done();
    context.with(trace.setSpan(context.active(), span), done);
  });
  server.addHook('onResponse', (request, reply, done) => {
    const span = spans.get(request);
    if (span) {
      span.setAttribute('http.response.status_code', reply.statusCode);
      if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
      spans.delete(request);
    }
    done();
  });
}
