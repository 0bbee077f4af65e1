import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { App } from '../../app.js';
import { BreakwaterError, toBreakwaterError } from '../../core/errors/breakwater-error.js';
import { toWireEvent, toWireJob, toWireList } from '../../core/jobs/job-view.js';
import { withSubmitSpan } from '../../core/jobs/job-trace.js';
import { jobStatuses, submitJobSchema, type WireJob } from '../../wire/jobs.js';
import type { WireList } from '../../wire/list.js';
import { parseBody } from '../parse-body.js';
import { EventStreamSlots } from '../event-stream-slots.js';
import { clientSignal } from '../request-context.js';
import { callerIsAdmin, callerKey, callerTenantScope } from '../route-access.js';
import type { JobRecord } from '../../core/ports/job-store.js';
import type { WebhookDelivery } from '../../core/ports/webhook-delivery-store.js';

const listQuerySchema = z
  .object({
    status: z.enum(jobStatuses).optional(),
    pipeline: z.string().min(1).optional(),
    cursor: z.string().min(1).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    /** The admin's filter (a key sees its own tenant only). */
    tenant: z.string().min(1).max(128).optional(),
  })
  .strict();

const eventsQuerySchema = z.object({ after: z.coerce.number().int().min(0).optional() }).strict();

/** Heartbeat comment on idle SSE streams, so proxies keep them open. */
const keepAliveMs = 15_000;

/**
 * The jobs API: submit answers 202 at once (a store write, never a model call); reads,
 * lists, cancels and the SSE event stream are scoped to the key's tenant, or span every tenant
 * for the admin token (the dashboard's admin view). Submit and retry take a key: a job runs
 * under the key that submitted it.
 */
export function jobRoutes(app: App): FastifyPluginAsync {
  return async (server) => {
    // Event streams end when the server closes, so a shutdown does not wait for jobs to end.
    const closing = new AbortController();
    server.addHook('preClose', async () => closing.abort());
    const keyOnly = { config: { access: 'key' as const } };
    // Reads and cancels: a key within its tenant, the admin token in every tenant (the dashboard's admin view).
    const keyOrAdmin = { config: { access: 'admin-or-key' as const } };
    /** The admin also learns whose job it is. */
    const shown = (request: FastifyRequest, job: JobRecord, deliveries?: readonly WebhookDelivery[]): WireJob =>
      callerIsAdmin(request) ? { ...toWireJob(job, deliveries), tenant: job.tenant } : toWireJob(job, deliveries);
    const streams = new EventStreamSlots({ total: app.config.server.maxEventStreams, perTenant: app.config.server.maxEventStreamsPerTenant });
    // No string in a job is longer than the largest document in base64, as written in JSON
    // (MIME's line break every 76 characters is \r\n, 4 bytes escaped).
    const maxDocumentBytes = app.config.jobs.documents.maxBytes;
    const longString = {
      bytes: Math.ceil(Math.ceil(maxDocumentBytes / 3) * 4 * (80 / 76)) + 1024,
      error: () =>
        new BreakwaterError(
          'DOCUMENT_TOO_LARGE',
          `A string in the job is longer than a ${maxDocumentBytes}-byte document in base64, the largest this server accepts (jobs.documents.maxBytes).`,
        ),
    };
    server.post('/v1/jobs', { bodyLimit: app.config.jobs.bodyLimitBytes, config: { access: 'key', longString } }, async (request, reply) => {
      const key = callerKey(request);
      const body = parseBody(submitJobSchema, request.body);
      const header = request.headers['idempotency-key'];
      const idempotencyKey = Array.isArray(header) ? header[0] : header;
      const { job, created } = await withSubmitSpan(body.kind, () => app.jobs.submit(key, body, idempotencyKey));
      reply.header('location', `/v1/jobs/${job.id}`);
      return reply.code(created ? 202 : 200).send(toWireJob(job));
    });

    server.get('/v1/jobs', keyOrAdmin, async (request): Promise<WireList<WireJob>> => {
      const query = parseBody(listQuerySchema, request.query ?? {});
      const page = await app.jobs.list(callerTenantScope(request, query.tenant, 'jobs'), {
        limit: query.limit,
        ...(query.status ? { status: query.status } : {}),
        ...(query.pipeline ? { pipeline: query.pipeline } : {}),
        ...(query.cursor ? { cursor: query.cursor } : {}),
      });
      return toWireList(page, (job) => shown(request, job));
    });

    server.get<{ Params: { id: string } }>('/v1/jobs/:id', keyOrAdmin, async (request): Promise<WireJob> => {
      const { job, deliveries } = await app.jobs.get(callerTenantScope(request), request.params.id);
      return shown(request, job, deliveries);
    });

    server.post<{ Params: { id: string } }>('/v1/jobs/:id/cancel', keyOrAdmin, async (request): Promise<WireJob> => {
      return shown(request, await app.jobs.cancel(callerTenantScope(request), request.params.id));
    });

    // A failed or cancelled job run again as a new job (JobService.retry); 201 with the new job.
    server.post<{ Params: { id: string } }>('/v1/jobs/:id/retry', keyOnly, async (request, reply) => {
      const key = callerKey(request);
      return reply.code(201).send(toWireJob(await app.jobs.retry(key, request.params.id)));
    });

    server.get<{ Params: { id: string } }>('/v1/jobs/:id/events', keyOrAdmin, async (request, reply) => {
      const scope = callerTenantScope(request);
      const query = parseBody(eventsQuerySchema, request.query ?? {});
      const lastEventId = request.headers['last-event-id'];
      const resumeFrom = typeof lastEventId === 'string' && lastEventId !== '' ? Number(lastEventId) : (query.after ?? 0);
      if (!Number.isInteger(resumeFrom) || resumeFrom < 0) {
        throw new BreakwaterError('INVALID_REQUEST', 'Last-Event-ID must be the id of an event this stream sent (a whole number).', { param: 'Last-Event-ID' });
      }
      // 404 as JSON before the stream starts; after that, headers go out at once (a resumed
      // stream of a job with nothing new would otherwise send nothing until its next event).
      const { job } = await app.jobs.get(scope, request.params.id);
      // Counted against the job's tenant, whoever watches it.
      const release = streams.enter(job.tenant);
      const client = clientSignal(reply);
      const signal = AbortSignal.any([client, closing.signal]);
      const events = app.jobs.follow(scope, request.params.id, resumeFrom, signal);
      reply.hijack();
      const response = reply.raw;
      response.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        // No `connection` header (see sse-writer.ts): a client's `Connection: close` must close the stream's connection.
        'x-accel-buffering': 'no',
        'x-request-id': request.id,
      });
      response.write('retry: 1000\n\n');
      const keepAlive = setInterval(() => response.write(': keep-alive\n\n'), keepAliveMs);
      try {
        for (let next = await events.next(); !next.done && !response.destroyed && !signal.aborted; next = await events.next()) {
          const event = next.value;
          response.write(`id: ${event.seq}\nevent: ${event.type}\ndata: ${JSON.stringify(toWireEvent(event))}\n\n`);
        }
      } catch (error) {
        if (!response.destroyed) response.write(`event: error\ndata: ${JSON.stringify(toBreakwaterError(error).toEnvelope())}\n\n`);
      } finally {
        clearInterval(keepAlive);
        release();
        await events.return(undefined);
        if (!response.destroyed) response.end();
      }
      return reply;
    });
  };
}
