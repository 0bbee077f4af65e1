import type { ModelMiddleware } from '../../gateway/call-context.js';
import { callStatus } from '../../gateway/call-status.js';
import type { LedgerWriter } from './ledger-writer.js';

/** One compact ledger row per request, rejected ones included; written after the answer. */
export function ledger(writer: LedgerWriter): ModelMiddleware {
  return async (context, next) => {
    context.defer(({ error }) => {
      writer.add({
        ts: Date.now(),
        requestId: context.requestId,
        keyId: context.key.id,
        alias: context.requestedAlias,
        deployment: context.progress.deployment?.id ?? null,
        operation: context.input.operation,
        inputTokens: context.usage.inputTokens,
        outputTokens: context.usage.outputTokens,
        costUsd: context.costUsd,
        latencyMs: round(performance.now() - context.startedAt),
        overheadMs: round(context.overheadMs),
        status: callStatus(error),
        cache: context.cache,
        errorCode: error ? (error.details.clientClosed ? 'CLIENT_CLOSED' : error.code) : null,
        routeTier: context.routeDecision?.tier ?? null,
        routeReason: context.routeDecision?.reason ?? null,
        pii: Object.keys(context.pii).length === 0 ? null : context.pii,
        cascade: context.cascade && context.cascade.outcome !== 'pending' ? context.cascade.outcome : null,
        cascadeFirstCostUsd: context.cascade?.outcome === 'escalated' ? context.cascade.firstCostUsd : null,
        promptName: context.prompt?.name ?? null,
        promptVersion: context.prompt?.version ?? null,
      });
    });
    return next();
  };
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
