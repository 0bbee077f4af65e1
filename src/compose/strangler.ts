import type { Logger } from 'pino';
import { UndiciJsonPoster } from '../adapters/http/undici-json-poster.js';
import type { ParsedConfig } from '../config/schema.js';
import type { Gateway } from '../core/gateway/gateway.js';
import type { PromptRegistry } from '../core/prompts/prompt-registry.js';
import type { StranglerStore } from '../core/ports/strangler-store.js';
import { StranglerRoute } from '../core/strangler/strangler-route.js';
import type { LlmopsMetrics } from '../telemetry/llmops-metrics.js';

/** The routes of `strangler:`, each with its legacy handler client, its ledger and state in the store, counted in the metrics and logged when one rolls back. */
export function buildStranglerRoutes(parts: { config: ParsedConfig; gateway: Gateway; prompts: PromptRegistry; store: StranglerStore; metrics: LlmopsMetrics; logger: Logger }): {
  routes: ReadonlyMap<string, StranglerRoute>;
  close(): Promise<void>;
} {
  const poster = new UndiciJsonPoster();
  const routes = new Map<string, StranglerRoute>();
  for (const [name, definition] of Object.entries(parts.config.strangler)) {
    parts.metrics.setStranglerRolledBack(name, false);
    routes.set(
      name,
      new StranglerRoute({
        name,
        definition,
        gateway: parts.gateway,
        prompts: parts.prompts,
        poster,
        store: parts.store,
        onState: (route, rolledBack) => parts.metrics.setStranglerRolledBack(route, rolledBack),
        onDecision: (route, decision) => parts.metrics.countStranglerDecision(route, decision.side, decision.reason),
        onRollback: (route, failureRate, requests) => {
          parts.metrics.countStranglerRollback(route);
          parts.logger.warn(
            { route, failureRate, requests },
            'strangler route rolled back to its legacy handler: the AI side failed too often; POST /v1/routes/:name/resume once fixed',
          );
        },
      }),
    );
  }
  // The gauge shows a rollback that outlived a restart (or that another node made) from the start.
  for (const route of routes.values()) void route.status().catch(() => {});
  return { routes, close: () => poster.close() };
}
