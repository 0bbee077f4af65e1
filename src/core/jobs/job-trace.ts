import { type Context, context, propagation, ROOT_CONTEXT, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';

const tracer = trace.getTracer('breakwater');

/** W3C trace context (`traceparent`, `tracestate`) as carried in a job's stored input. */
export type TraceCarrier = Record<string, string>;

/** Messaging attributes of the OpenTelemetry semantic conventions, for the job spans. */
const messaging = {
  system: 'messaging.system',
  operationType: 'messaging.operation.type',
  destination: 'messaging.destination.name',
  messageId: 'messaging.message.id',
} as const;

/**
 * The active trace context, to store with a job: the worker that runs the job continues the
 * trace that submitted it. Undefined when there is none (tracing off: the API is a no-op).
 */
export function currentTraceCarrier(): TraceCarrier | undefined {
  const carrier: TraceCarrier = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent === undefined ? undefined : carrier;
}

/** Runs `work` in a PRODUCER span for the job being submitted (the enqueue side of API → queue → worker). */
export function withSubmitSpan<T>(kind: string, work: () => Promise<T>): Promise<T> {
  return tracer.startActiveSpan(
    `send ${kind} jobs`,
    { kind: SpanKind.PRODUCER, attributes: { [messaging.system]: 'breakwater', [messaging.operationType]: 'send', [messaging.destination]: `jobs.${kind}` } },
    async (span) => {
      try {
        return await work();
      } catch (error) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: (error as { code?: string }).code ?? 'error' });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

/**
 * A worker's run of one job: a CONSUMER span whose parent is the trace context stored with the
 * job, steps as child spans (each `progress` label starts one, ending the last), and the
 * completion (the record write) as its own span.
 */
export class JobTrace {
  readonly context: Context;
  private readonly span: Span;
  private step: Span | undefined;

  constructor(job: { id: string; kind: string; tenant: string; attempt: number }, carrier: TraceCarrier | undefined) {
    const parent = carrier ? propagation.extract(ROOT_CONTEXT, carrier) : ROOT_CONTEXT;
    this.span = tracer.startSpan(
      `process ${job.kind} jobs`,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          [messaging.system]: 'breakwater',
          [messaging.operationType]: 'process',
          [messaging.destination]: `jobs.${job.kind}`,
          [messaging.messageId]: job.id,
          'breakwater.job.attempt': job.attempt,
        },
      },
      parent,
    );
    this.context = trace.setSpan(parent, this.span);
  }

  /** Ends the previous step span and starts `step <label>`. */
  stepStarted(label: string): void {
    this.step?.end();
    this.step = tracer.startSpan(`step ${label}`, { kind: SpanKind.INTERNAL, attributes: { 'breakwater.job.step': label } }, this.context);
  }

  /**
   * Runs the completion write (record, webhooks, job-end) in a span of its own, active while it
   * runs: the webhooks it writes carry that context, so their deliveries continue the job's trace.
   */
  async completion<T>(writesRecord: boolean, work: () => Promise<T>): Promise<T> {
    this.step?.end();
    this.step = undefined;
    const span = tracer.startSpan(writesRecord ? 'write record' : 'complete job', { kind: SpanKind.INTERNAL }, this.context);
    try {
      return await context.with(trace.setSpan(this.context, span), work);
    } finally {
      span.end();
    }
  }

  end(error?: { code: string }): void {
    this.step?.end();
    if (error) this.span.setStatus({ code: SpanStatusCode.ERROR, message: error.code });
    this.span.end();
  }
}
