import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { BreakwaterError } from '../../errors/breakwater-error.js';
import type { CallContext, ModelMiddleware } from '../../gateway/call-context.js';
import { callStatus } from '../../gateway/call-status.js';
import type { GatewayMetrics } from '../../ports/gateway-metrics.js';
import { breakwaterAttributes, genAi } from './genai-attributes.js';

const tracer = trace.getTracer('breakwater');

/**
 * One span per model call with GenAI semantic-convention attributes (only when tracing is
 * configured: the span's attributes are not even built otherwise) and the Prometheus figures. Never records prompt text,
 * the virtual key's secret or provider keys.
 */
export function telemetry(metrics: GatewayMetrics, tracing: boolean): ModelMiddleware {
  return async (context, next) => {
    if (!tracing) {
      context.defer(({ error }) => record(metrics, context, error));
      return next();
    }
    const request = context.input.request;
    const operation = context.input.operation === 'chat' ? 'chat' : 'embeddings';
    const span = tracer.startSpan(`${operation} ${context.route.alias}`, {
      kind: SpanKind.CLIENT,
      attributes: {
        [genAi.operationName]: operation,
        [genAi.requestModel]: request.model,
        [genAi.requestStreaming]: context.stream,
        [breakwaterAttributes.requestId]: context.requestId,
        [breakwaterAttributes.keyId]: context.key.id,
        [breakwaterAttributes.alias]: context.route.alias,
        ...('temperature' in request && typeof request.temperature === 'number' ? { [genAi.requestTemperature]: request.temperature } : {}),
        ...('top_p' in request && typeof request.top_p === 'number' ? { [genAi.requestTopP]: request.top_p } : {}),
        ...('seed' in request && typeof request.seed === 'number' ? { [genAi.requestSeed]: request.seed } : {}),
      },
    });
    context.defer(({ error, completion }) => {
      const deployment = context.progress.deployment;
      const deploymentId = deployment?.id ?? 'none';
      span.setAttributes({
        [breakwaterAttributes.deployment]: deploymentId,
        [breakwaterAttributes.attempts]: context.progress.attempts,
        [breakwaterAttributes.cache]: context.cache,
        [breakwaterAttributes.costUsd]: context.costUsd,
        [breakwaterAttributes.overheadMs]: context.overheadMs,
        [genAi.inputTokens]: context.usage.inputTokens,
        [genAi.outputTokens]: context.usage.outputTokens,
        ...(deployment ? { [genAi.providerName]: deployment.provider.name, [genAi.responseModel]: deployment.model } : {}),
        ...(context.input.operation === 'chat' && (context.input.request.max_completion_tokens ?? context.input.request.max_tokens)
          ? { [genAi.requestMaxTokens]: context.input.request.max_completion_tokens ?? context.input.request.max_tokens ?? 0 }
          : {}),
        ...(completion ? { [genAi.responseId]: completion.id, [genAi.responseFinishReasons]: completion.choices.map((choice) => choice.finish_reason ?? 'unknown') } : {}),
      });
      if (error) {
        span.setAttribute(genAi.errorType, error.code);
        span.setStatus({ code: SpanStatusCode.ERROR, message: error.code });
      }
      span.end();
      record(metrics, context, error);
    });
    return next();
  };
}

function record(metrics: GatewayMetrics, context: CallContext, error: BreakwaterError | undefined): void {
  const labels = { alias: context.route.alias, deployment: context.progress.deployment?.id ?? 'none' };
  const status = callStatus(error);
  metrics.observeCall({ ...labels, status, cache: context.cache }, (performance.now() - context.startedAt) / 1000, context.overheadMs / 1000);
  if (context.usage.inputTokens || context.usage.outputTokens) metrics.addTokens(labels, context.usage.inputTokens, context.usage.outputTokens);
  if (context.costUsd > 0) metrics.addCost(labels, context.costUsd);
}
