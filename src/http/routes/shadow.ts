import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { App } from '../../app.js';
import { BreakwaterError } from '../../core/errors/breakwater-error.js';
import { shadowReport } from '../../core/shadow/shadow-report.js';
import type { WireShadowReport } from '../../wire/shadow.js';
import { parseBody } from '../parse-body.js';

const reportQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(10_000).default(1_000) }).strict();

/**
 * Shadow reports, for operators (admin token): a report spans every tenant's sampled calls,
 * so it is not a virtual key's to read. Examples carry personal data masked.
 */
export function shadowRoutes(app: App): FastifyPluginAsync {
  return async (server) => {
    const adminOnly = { config: { access: 'admin' as const } };

    server.get('/v1/shadow', adminOnly, async () => ({
      object: 'list',
      data: [...app.shadows.values()].map((runner) => ({
        object: 'shadow',
        name: runner.name,
        target: runner.definition.target,
        candidate: runner.definition.candidate,
        sample_rate: runner.definition.sampleRate,
        budget_usd: runner.definition.budgetUsd,
      })),
      has_more: false,
      next_cursor: null,
    }));

    server.get<{ Params: { name: string } }>('/v1/shadow/:name/report', adminOnly, async (request): Promise<WireShadowReport> => {
      const runner = app.shadows.get(request.params.name);
      if (!runner) throw new BreakwaterError('SHADOW_NOT_FOUND', `No shadow "${request.params.name}"; GET /v1/shadow lists the declared ones.`, { param: 'name' });
      const { limit } = parseBody(reportQuerySchema, request.query ?? {});
      const report = shadowReport(runner.name, runner.definition, await app.store.shadows.recent(runner.name, limit));
      const { headers: _headers, ...candidate } = runner.definition.candidate as Record<string, unknown>;
      return {
        object: 'shadow.report',
        name: report.shadow,
        target: runner.definition.target,
        candidate,
        samples: report.samples,
        compared: report.compared,
        candidate_errors: report.candidateErrors,
        agreement: report.agreement,
        full_agreement: report.fullAgreement,
        fields: report.fields,
        text: report.text ? { mean_similarity: report.text.meanSimilarity, mean_length_ratio: report.text.meanLengthRatio, samples: report.text.samples } : null,
        latency_ms: report.latencyMs ? { primary_p50: report.latencyMs.primaryP50, candidate_p50: report.latencyMs.candidateP50, delta_p50: report.latencyMs.deltaP50 } : null,
        cost_usd: report.costUsd ? { primary_mean: report.costUsd.primaryMean, candidate_mean: report.costUsd.candidateMean, delta_mean: report.costUsd.deltaMean } : null,
        disagreements: report.disagreements.map((example) => ({
          request_id: example.requestId,
          at: example.at,
          fields: example.fields,
          primary: example.primary,
          candidate: example.candidate,
        })),
        recommendation: report.recommendation,
      };
    });
  };
}
