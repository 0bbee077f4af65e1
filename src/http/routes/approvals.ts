import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { App } from '../../app.js';
import { BreakwaterError, toBreakwaterError } from '../../core/errors/breakwater-error.js';
import { toWireList } from '../../core/jobs/job-view.js';
import { toWireApproval } from '../../core/workflows/workflow-view.js';
import type { WireList } from '../../wire/list.js';
import { decisionSchema, type WireApproval, wireApprovalStatuses } from '../../wire/workflows.js';
import { EventStreamSlots } from '../event-stream-slots.js';
import { parseBody } from '../parse-body.js';
import { clientSignal } from '../request-context.js';
import { callerKey } from '../route-access.js';

const listQuerySchema = z
  .object({
    status: z.enum(wireApprovalStatuses).optional(),
    workflow: z.string().min(1).optional(),
    run: z.string().min(1).optional(),
    assignee: z.string().min(1).optional(),
    cursor: z.string().min(1).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict();

const eventsQuerySchema = z.object({ after: z.coerce.number().int().min(0).optional() }).strict();

const keepAliveMs = 15_000;

/** The approvals inbox of the key's tenant: list (filters), its events (SSE), read, approve (optionally with edited arguments), reject. */
export function approvalRoutes(app: App): FastifyPluginAsync {
  return async (server) => {
    const keyOnly = { config: { access: 'key' as const } };
    const closing = new AbortController();
    server.addHook('preClose', async () => closing.abort());
    const streams = new EventStreamSlots({ total: app.config.server.maxEventStreams, perTenant: app.config.server.maxEventStreamsPerTenant });

    server.get('/v1/approvals', keyOnly, async (request): Promise<WireList<WireApproval>> => {
      const query = parseBody(listQuerySchema, request.query ?? {});
      const page = await app.workflows.approvals(callerKey(request).tenant, {
        limit: query.limit,
        ...(query.status ? { status: query.status } : {}),
        ...(query.workflow ? { workflow: query.workflow } : {}),
        ...(query.run ? { runId: query.run } : {}),
        ...(query.assignee ? { assignee: query.assignee } : {}),
        ...(query.cursor ? { cursor: query.cursor } : {}),
      });
      return toWireList(page, toWireApproval);
    });

    /**
     * The tenant's approval events over SSE (`event:` approval-request, approval-escalation or
     * approval-decision; `id:` the event's seq; data: the approval as it was then). Open-ended:
     * an approvals inbox keeps it open; `Last-Event-ID` (or `?after=`) resumes without a gap.
     */
    server.get('/v1/approvals/events', keyOnly, async (request, reply) => {
      const key = callerKey(request);
      const query = parseBody(eventsQuerySchema, request.query ?? {});
      const lastEventId = request.headers['last-event-id'];
      const resumeFrom = typeof lastEventId === 'string' && lastEventId !== '' ? Number(lastEventId) : (query.after ?? 0);
      if (!Number.isInteger(resumeFrom) || resumeFrom < 0) {
        throw new BreakwaterError('INVALID_REQUEST', 'Last-Event-ID must be the id of an event this stream sent (a whole number).', { param: 'Last-Event-ID' });
      }
      const release = streams.enter(key.tenant);
      const signal = AbortSignal.any([clientSignal(reply), closing.signal]);
      const events = app.workflows.followApprovals(key.tenant, resumeFrom, signal);
      reply.hijack();
      const response = reply.raw;
      response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-accel-buffering': 'no', 'x-request-id': request.id });
      response.write('retry: 1000\n\n');
      const keepAlive = setInterval(() => response.write(': keep-alive\n\n'), keepAliveMs);
      try {
        for (let next = await events.next(); !next.done && !response.destroyed && !signal.aborted; next = await events.next()) {
          const event = next.value;
          response.write(`id: ${event.seq}\nevent: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`);
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

    server.get<{ Params: { id: string } }>('/v1/approvals/:id', keyOnly, async (request): Promise<WireApproval> => {
      return toWireApproval(await app.workflows.approval(callerKey(request).tenant, request.params.id));
    });

    for (const decision of ['approve', 'reject'] as const) {
      server.post<{ Params: { id: string } }>(`/v1/approvals/:id/${decision}`, keyOnly, async (request): Promise<WireApproval> => {
        const body = parseBody(decisionSchema, request.body ?? {});
        const approval = await app.workflows.decide(callerKey(request).tenant, request.params.id, {
          decision,
          by: body.by,
          reason: body.reason,
          ...(decision === 'approve' && body.args !== undefined ? { args: body.args } : {}),
        });
        return toWireApproval(approval);
      });
    }
  };
}
