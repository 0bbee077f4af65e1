import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { App } from '../../app.js';
import { BreakwaterError } from '../../core/errors/breakwater-error.js';
import type { PromptActor } from '../../core/prompts/prompt-registry.js';
import type { PromptAuditEntry, PromptLabel, PromptVersion } from '../../core/ports/prompt-registry.js';
import {
  promptLabelMoveSchema,
  promptLabelPattern,
  promptNamePattern,
  promptPushSchema,
  promptRollbackSchema,
  type WirePromptAuditEntry,
  type WirePromptSummary,
  type WirePromptVersion,
} from '../../wire/prompts.js';
import type { WireList } from '../../wire/list.js';
import { parseBody } from '../parse-body.js';

const scopeQuerySchema = z.object({ tenant: z.string().min(1).max(200).optional() }).strict();
const listQuerySchema = z.object({ tenant: z.string().min(1).max(200).optional(), scope: z.enum(['own', 'shared']).optional() }).strict();
const auditQuerySchema = z.object({ tenant: z.string().min(1).max(200).optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }).strict();

type NameParams = { Params: { name: string } };
type LabelParams = { Params: { name: string; label: string } };

/**
 * The prompt registry over HTTP. The admin token works on the shared prompts (or a tenant's,
 * with `tenant`) and moves every label; a virtual key works on its tenant's prompts, reads the
 * shared ones, and moves no protected label.
 */
export function promptRoutes(app: App): FastifyPluginAsync {
  return async (server) => {
    const access = { config: { access: 'admin-or-key' as const } };

    server.get('/v1/prompts', access, async (request): Promise<WireList<WirePromptSummary>> => {
      const query = parseBody(listQuerySchema, request.query ?? {});
      const actor = actorOf(request);
      const tenant = actor.kind === 'key' && query.scope === 'shared' ? 'shared' : query.tenant;
      const prompts = await app.prompts.list(actor, tenant);
      return {
        object: 'list',
        data: prompts.map((prompt) => ({
          object: 'prompt',
          name: prompt.name,
          scope: prompt.scope,
          latest_version: prompt.latestVersion,
          labels: prompt.labels,
          updated_at: prompt.updatedAt,
        })),
        has_more: false,
        next_cursor: null,
      };
    });

    server.post<NameParams>('/v1/prompts/:name/versions', access, async (request, reply) => {
      const name = checkName(request.params.name);
      const body = parseBody(promptPushSchema, request.body);
      const actor = actorOf(request);
      const { version, created } = await app.prompts.push(
        actor,
        name,
        {
          messages: body.messages,
          variables: Object.fromEntries(
            Object.entries(body.variables).map(([variable, spec]) => [
              variable,
              {
                type: spec.type,
                required: spec.required && spec.default === undefined,
                ...(spec.default === undefined ? {} : { default: spec.default }),
                ...(spec.enum ? { enum: spec.enum } : {}),
                ...(spec.maxLength === undefined ? {} : { maxLength: spec.maxLength }),
                ...(spec.description === undefined ? {} : { description: spec.description }),
              },
            ]),
          ),
          model: body.model,
          parameters: body.parameters,
          responseSchema: body.response_schema,
          description: body.description,
        },
        body.tenant,
      );
      for (const label of body.labels ?? []) await app.prompts.moveLabel(actor, name, label, version.version, body.tenant);
      const labels = body.labels ? (await app.prompts.show(actor, name, body.tenant)).labels : [];
      return reply.code(created ? 201 : 200).send(toWireVersion(version, labels));
    });

    server.get<NameParams>('/v1/prompts/:name', access, async (request) => {
      const name = checkName(request.params.name);
      const query = parseBody(scopeQuerySchema, request.query ?? {});
      const { scope, versions, labels } = await app.prompts.show(actorOf(request), name, query.tenant);
      if (versions.length === 0) throw new BreakwaterError('PROMPT_NOT_FOUND', `No prompt "${name}" in this scope; GET /v1/prompts lists the prompts.`, { param: 'name' });
      return {
        object: 'prompt',
        name,
        scope,
        latest_version: versions[0]!.version,
        labels: Object.fromEntries(labels.map((label) => [label.label, { version: label.version, moved_by: label.movedBy, moved_at: label.movedAt }])),
        versions: versions.map((version) => toWireVersion(version, labels)),
      };
    });

    server.get<{ Params: { name: string; version: string } }>('/v1/prompts/:name/versions/:version', access, async (request) => {
      const name = checkName(request.params.name);
      const number = Number(request.params.version);
      if (!Number.isSafeInteger(number) || number < 1) throw new BreakwaterError('INVALID_REQUEST', 'The version in the path must be a positive integer.', { param: 'version' });
      const query = parseBody(scopeQuerySchema, request.query ?? {});
      const actor = actorOf(request);
      const version = await app.prompts.version(actor, name, number, query.tenant);
      const { labels } = await app.prompts.show(actor, name, query.tenant);
      return toWireVersion(version, labels);
    });

    server.put<LabelParams>('/v1/prompts/:name/labels/:label', access, async (request) => {
      const { name, label } = checkLabel(request.params);
      const body = parseBody(promptLabelMoveSchema, request.body);
      return toWireAudit(await app.prompts.moveLabel(actorOf(request), name, label, body.version, body.tenant));
    });

    server.post<LabelParams>('/v1/prompts/:name/labels/:label/rollback', access, async (request) => {
      const { name, label } = checkLabel(request.params);
      const body = parseBody(promptRollbackSchema, request.body ?? {});
      return toWireAudit(await app.prompts.rollback(actorOf(request), name, label, body.tenant));
    });

    server.get<NameParams>('/v1/prompts/:name/audit', access, async (request): Promise<WireList<WirePromptAuditEntry>> => {
      const name = checkName(request.params.name);
      const query = parseBody(auditQuerySchema, request.query ?? {});
      const entries = await app.prompts.audit(actorOf(request), name, query.limit, query.tenant);
      return { object: 'list', data: entries.map(toWireAudit), has_more: false, next_cursor: null };
    });
  };
}

function actorOf(request: FastifyRequest): PromptActor {
  return request.caller.kind === 'key' ? { kind: 'key', key: request.caller.key } : { kind: 'admin' };
}

function checkName(name: string): string {
  if (!promptNamePattern.test(name)) {
    throw new BreakwaterError('INVALID_REQUEST', 'Prompt names are 1-100 lower-case letters, digits, ".", "_" and "-", starting with a letter or digit.', { param: 'name' });
  }
  return name;
}

function checkLabel(params: { name: string; label: string }): { name: string; label: string } {
  if (!promptLabelPattern.test(params.label)) {
    throw new BreakwaterError('INVALID_REQUEST', 'Labels are 1-64 lower-case letters, digits, ".", "_" and "-", starting with a letter.', { param: 'label' });
  }
  return { name: checkName(params.name), label: params.label };
}

export function toWireVersion(version: PromptVersion, labels: readonly PromptLabel[]): WirePromptVersion {
  return {
    object: 'prompt.version',
    name: version.name,
    scope: version.scope,
    version: version.version,
    messages: version.messages,
    variables: version.variables as unknown as Record<string, unknown>,
    model: version.model,
    parameters: version.parameters,
    response_schema: version.responseSchema,
    description: version.description,
    sha256: version.sha256,
    created_by: version.createdBy,
    created_at: Math.floor(version.createdAt / 1000),
    labels: labels.filter((label) => label.version === version.version).map((label) => label.label),
  };
}

function toWireAudit(entry: PromptAuditEntry): WirePromptAuditEntry {
  return {
    object: 'prompt.audit',
    name: entry.name,
    scope: entry.scope,
    action: entry.action,
    label: entry.label,
    from_version: entry.fromVersion,
    to_version: entry.toVersion,
    actor: entry.actor,
    at: entry.at,
  };
}
