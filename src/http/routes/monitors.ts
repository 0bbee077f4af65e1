import type { FastifyPluginAsync } from 'fastify';
import type { App } from '../../app.js';

/**
 * GET /v1/monitors: drift of each alias and prompt version from the ledger (`data`), and of each
 * alias, prompt version and pipeline from the drift recorder (`quality`: schema failures,
 * repairs, refusals, input distribution), current window against its reference (admin token).
 */
export function monitorRoutes(app: App): FastifyPluginAsync {
  return async (server) => {
    server.get('/v1/monitors', { config: { access: 'admin' } }, async () => {
      const report = await app.monitors.report();
      const figures = (window: NonNullable<(typeof report.series)[number]['reference']>) => ({
        requests: window.requests,
        error_rate: window.errorRate,
        mean_latency_ms: window.meanLatencyMs,
        mean_cost_usd: window.meanCostUsd,
        mean_input_tokens: window.meanInputTokens,
        mean_output_tokens: window.meanOutputTokens,
      });
      const quality = (window: NonNullable<(typeof report.quality)[number]['reference']>) => ({
        requests: window.requests,
        schema_checked: window.schemaChecked,
        schema_failure_rate: window.schemaFailureRate,
        repair_rate: window.repairRate,
        refusal_rate: window.refusalRate,
        embedded_inputs: window.embedded,
      });
      return {
        object: 'list',
        window: report.window,
        reference_window: report.reference,
        data: report.series.map((series) => ({
          object: 'monitor',
          alias: series.alias,
          prompt: series.prompt,
          judged: series.judged,
          drifting: series.drifting,
          current: figures(series.current),
          reference: series.reference ? figures(series.reference) : null,
        })),
        quality: report.quality.map((series) => ({
          object: 'monitor.quality',
          alias: series.alias,
          prompt: series.prompt,
          pipeline: series.pipeline,
          judged: series.judged,
          drifting: series.drifting,
          input_distance: series.inputDistance,
          current: quality(series.current),
          reference: series.reference ? quality(series.reference) : null,
        })),
      };
    });
  };
}
