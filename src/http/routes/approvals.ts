import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { App } from '../../app.js';
import { toWireList } from '../../core/jobs/job-view.js';
import { toWireApproval } from '../../core/workflows/workflow-view.js';
import type { WireList } from '../../wire/list.js';
import { decisionSchema, type WireApproval, wireApprovalStatuses } from '../../wire/workflows.js';
import { parseBody } from '../parse-body.js';
import { callerKey } from '../route-access.js';

const listQuerySchema = z
  .object({
    status: z.enum(wireApprovalStatuses).optional(),
    workflow: z.string().min(1).optional(),
    run: z.string().min(1).optional(),
    cursor: z.string().min(1).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict();

/** The approvals inbox of the key's tenant: list (filters), read, approve (optionally with edited arguments), reject. */
export function approvalRoutes(app: App): FastifyPluginAsync {
  return async (server) => {
    const keyOnly = { config: { access: 'key' as const } };

    server.get('/v1/approvals', keyOnly, async (request): Promise<WireList<WireApproval>> => {
      const query = parseBody(listQuerySchema, request.query ?? {});
      const page = await app.workflows.approvals(callerKey(request).tenant, {
        limit: query.limit,
        ...(query.status ? { status: query.status } : {}),
        ...(query.workflow ? { workflow: query.workflow } : {}),
        ...(query.run ? { runId: query.run } : {}),
        ...(query.cursor ? { cursor: query.cursor } : {}),
      });
      return toWireList(page, toWireApproval);
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
