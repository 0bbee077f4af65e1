import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { App } from '../../app.js';
import { BreakwaterError, toBreakwaterError } from '../../core/errors/breakwater-error.js';
import { toWireList } from '../../core/jobs/job-view.js';
import { toWireEntry, toWireReplay, toWireRun, toWireWorkflow } from '../../core/workflows/workflow-view.js';
import type { WireList } from '../../wire/list.js';
import { startRunSchema, type WireJournalEntry, type WireReplay, type WireWorkflow, type WireWorkflowRun, wireRunStatuses } from '../../wire/workflows.js';
import { EventStreamSlots } from '../event-stream-slots.js';
import { parseBody } from '../parse-body.js';
import { clientSignal } from '../request-context.js';
import { callerIsAdmin, callerKey, callerTenantScope } from '../route-access.js';
import type { WorkflowRun } from '../../core/ports/workflow-store.js';

const listQuerySchema = z
  .object({
    status: z.enum(wireRunStatuses).optional(),
    workflow: z.string().min(1).optional(),
    cursor: z.string().min(1).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    /** The admin's filter (a key sees its own tenant only). */
    tenant: z.string().min(1).max(128).optional(),
  })
  .strict();

const journalQuerySchema = z.object({ after: z.coerce.number().int().min(0).default(0), limit: z.coerce.number().int().min(1).max(1_000).default(200) }).strict();

const eventsQuerySchema = z.object({ after: z.coerce.number().int().min(0).optional() }).strict();

const keepAliveMs = 15_000;

/**
 * The workflows API: start a run (202, idempotent with Idempotency-Key), read, list, cancel,
 * its journal, its events over SSE (Last-Event-ID resumes) and a replay; scoped to the key's
 * tenant, or spanning every tenant for the admin token (reads and cancels only: a run starts under a key).
 */
export function workflowRoutes(app: App): FastifyPluginAsync {
  return async (server) => {
    const closing = new AbortController();
    server.addHook('preClose', async () => closing.abort());
    const keyOnly = { config: { access: 'key' as const } };
    const keyOrAdmin = { config: { access: 'admin-or-key' as const } };
    /** The admin also learns whose run it is. */
    const shown = (request: FastifyRequest, run: WorkflowRun): WireWorkflowRun => (callerIsAdmin(request) ? { ...toWireRun(run), tenant: run.tenant } : toWireRun(run));
    const streams = new EventStreamSlots({ total: app.config.server.maxEventStreams, perTenant: app.config.server.maxEventStreamsPerTenant });

    server.get('/v1/workflows', keyOnly, async (): Promise<{ object: 'list'; data: WireWorkflow[] }> => {
      return { object: 'list', data: app.workflows.registry.list().map(toWireWorkflow) };
    });

    server.post<{ Params: { name: string } }>('/v1/workflows/:name/runs', keyOnly, async (request, reply) => {
      const key = callerKey(request);
      const body = parseBody(startRunSchema, request.body ?? {});
      const header = request.headers['idempotency-key'];
      const idempotencyKey = Array.isArray(header) ? header[0] : header;
      const { run, created } = await app.workflows.start(key, request.params.name, { input: body.input, version: body.version, webhookUrl: body.webhook?.url }, idempotencyKey);
      reply.header('location', `/v1/workflow-runs/${run.id}`);
      return reply.code(created ? 202 : 200).send(toWireRun(run));
    });

    server.get('/v1/workflow-runs', keyOrAdmin, async (request): Promise<WireList<WireWorkflowRun>> => {
      const query = parseBody(listQuerySchema, request.query ?? {});
      const page = await app.workflows.list(callerTenantScope(request, query.tenant, 'runs'), {
        limit: query.limit,
        ...(query.status ? { status: query.status } : {}),
        ...(query.workflow ? { workflow: query.workflow } : {}),
        ...(query.cursor ? { cursor: query.cursor } : {}),
      });
      return toWireList(page, (run) => shown(request, run));
    });

    server.get<{ Params: { id: string } }>('/v1/workflow-runs/:id', keyOrAdmin, async (request): Promise<WireWorkflowRun> => {
      return shown(request, await app.workflows.get(callerTenantScope(request), request.params.id));
    });

    server.post<{ Params: { id: string } }>('/v1/workflow-runs/:id/cancel', keyOrAdmin, async (request): Promise<WireWorkflowRun> => {
      const by = callerIsAdmin(request) ? 'admin' : `key:${callerKey(request).name}`;
      return shown(request, await app.workflows.cancel(callerTenantScope(request), request.params.id, by));
    });

    server.get<{ Params: { id: string } }>(
      '/v1/workflow-runs/:id/journal',
      keyOrAdmin,
      async (request): Promise<{ object: 'list'; data: WireJournalEntry[]; has_more: boolean }> => {
        const query = parseBody(journalQuerySchema, request.query ?? {});
        const entries = await app.workflows.journal(callerTenantScope(request), request.params.id, query.after, query.limit + 1);
        return { object: 'list', data: entries.slice(0, query.limit).map(toWireEntry), has_more: entries.length > query.limit };
      },
    );

    server.post<{ Params: { id: string } }>('/v1/workflow-runs/:id/replay', keyOrAdmin, async (request): Promise<WireReplay> => {
      return toWireReplay(await app.workflows.replay(callerTenantScope(request), request.params.id));
    });

    server.get<{ Params: { id: string } }>('/v1/workflow-runs/:id/events', keyOrAdmin, async (request, reply) => {
      const scope = callerTenantScope(request);
      const query = parseBody(eventsQuerySchema, request.query ?? {});
      const lastEventId = request.headers['last-event-id'];
      const resumeFrom = typeof lastEventId === 'string' && lastEventId !== '' ? Number(lastEventId) : (query.after ?? 0);
      if (!Number.isInteger(resumeFrom) || resumeFrom < 0) {
        throw new BreakwaterError('INVALID_REQUEST', 'Last-Event-ID must be the id of an event this stream sent (a whole number).', { param: 'Last-Event-ID' });
      }
      const run = await app.workflows.get(scope, request.params.id);
      // Counted against the run's tenant, whoever watches it.
      const release = streams.enter(run.tenant);
      const signal = AbortSignal.any([clientSignal(reply), closing.signal]);
      const entries = app.workflows.follow(scope, request.params.id, resumeFrom, signal);
      reply.hijack();
      const response = reply.raw;
      response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-accel-buffering': 'no', 'x-request-id': request.id });
      response.write('retry: 1000\n\n');
      const keepAlive = setInterval(() => response.write(': keep-alive\n\n'), keepAliveMs);
      try {
        for (let next = await entries.next(); !next.done && !response.destroyed && !signal.aborted; next = await entries.next()) {
          const entry = next.value;
          response.write(`id: ${entry.seq}\nevent: ${entry.kind}\ndata: ${JSON.stringify(toWireEntry(entry))}\n\n`);
        }
      } catch (error) {
        if (!response.destroyed) response.write(`event: error\ndata: ${JSON.stringify(toBreakwaterError(error).toEnvelope())}\n\n`);
      } finally {
        clearInterval(keepAlive);
        release();
        await entries.return(undefined);
        if (!response.destroyed) response.end();
      }
      return reply;
    });
  };
}
