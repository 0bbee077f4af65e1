import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { App } from '../../app.js';
import { BreakwaterError } from '../../core/errors/breakwater-error.js';
import { toWireList, toWireRecord } from '../../core/jobs/job-view.js';
import type { WireList } from '../../wire/list.js';
import type { WireRecord } from '../../wire/records.js';
import { parseBody } from '../parse-body.js';
import { callerKey } from '../route-access.js';

const recordsQuerySchema = z
  .object({
    cursor: z.string().min(1).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict();

/** The declared pipelines, and the validated records each produced for this key's tenant. */
export function pipelineRoutes(app: App): FastifyPluginAsync {
  return async (server) => {
    const keyOnly = { config: { access: 'key' as const } };
    server.get('/v1/pipelines', keyOnly, async () => {
      return {
        object: 'list',
        data: [...app.pipelines.values()].map((pipeline) => ({
          name: pipeline.name,
          object: 'pipeline',
          description: pipeline.description,
          accepts: pipeline.accepts,
          model: pipeline.model,
          ...('registry' in pipeline.prompt
            ? {
                prompt: `${pipeline.prompt.registry.name}@${'label' in pipeline.prompt.registry ? pipeline.prompt.registry.label : pipeline.prompt.registry.version}`,
                prompt_version: null,
              }
            : { prompt_version: pipeline.prompt.version }),
          schema: pipeline.schema,
          sinks: pipeline.sinks.map((sink) => (sink.type === 'external' ? sink.sink.kind : sink.type)),
        })),
      };
    });

    server.get<{ Params: { name: string } }>('/v1/pipelines/:name/records', keyOnly, async (request): Promise<WireList<WireRecord>> => {
      const key = callerKey(request);
      const query = parseBody(recordsQuerySchema, request.query ?? {});
      if (!app.pipelines.has(request.params.name)) {
        throw new BreakwaterError('PIPELINE_NOT_FOUND', `No pipeline "${request.params.name}"; GET /v1/pipelines lists the declared ones.`, { param: 'name' });
      }
      const page = await app.store.records.list(key.tenant, request.params.name, query.cursor, query.limit);
      return toWireList(page, toWireRecord);
    });
  };
}
