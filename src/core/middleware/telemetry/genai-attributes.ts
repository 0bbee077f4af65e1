/**
 * OpenTelemetry GenAI semantic-convention attribute names, kept in one file
 * (https://opentelemetry.io/docs/specs/semconv/gen-ai/). Breakwater's own attributes use
 * the `breakwater.` prefix.
 */
export const genAi = {
  operationName: 'gen_ai.operation.name',
  providerName: 'gen_ai.provider.name',
  requestModel: 'gen_ai.request.model',
  responseModel: 'gen_ai.response.model',
  requestMaxTokens: 'gen_ai.request.max_tokens',
  requestTemperature: 'gen_ai.request.temperature',
  requestTopP: 'gen_ai.request.top_p',
  requestSeed: 'gen_ai.request.seed',
  requestStreaming: 'gen_ai.request.streaming',
  responseFinishReasons: 'gen_ai.response.finish_reasons',
  responseId: 'gen_ai.response.id',
  inputTokens: 'gen_ai.usage.input_tokens',
  outputTokens: 'gen_ai.usage.output_tokens',
  errorType: 'error.type',
} as const;

export const breakwaterAttributes = {
  requestId: 'breakwater.request_id',
  alias: 'breakwater.alias',
  deployment: 'breakwater.deployment',
  attempts: 'breakwater.attempts',
  cache: 'breakwater.cache',
  costUsd: 'breakwater.cost_usd',
  keyId: 'breakwater.key_id',
  overheadMs: 'breakwater.overhead_ms',
} as const;
