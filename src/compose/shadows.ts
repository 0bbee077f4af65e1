import type { Logger } from 'pino';
import { HashedNgramEmbedder } from '../adapters/embedders/hashed-ngram/hashed-ngram-embedder.js';
import { UndiciJsonPoster } from '../adapters/http/undici-json-poster.js';
import type { ParsedConfig } from '../config/schema.js';
import { BreakwaterError } from '../core/errors/breakwater-error.js';
import type { Gateway } from '../core/gateway/gateway.js';
import type { ModelMiddleware } from '../core/gateway/call-context.js';
import { scrubChatRequest } from '../core/pii/scrubber.js';
import type { Counters } from '../core/ports/counters.js';
import type { ShadowStore } from '../core/ports/shadow-store.js';
import type { PromptRegistry } from '../core/prompts/prompt-registry.js';
import { shadowMode } from '../core/shadow/shadow-middleware.js';
import { ShadowRunner } from '../core/shadow/shadow-runner.js';

export interface Shadows {
  runners: ReadonlyMap<string, ShadowRunner>;
  /** Outermost model middleware, when any shadow is declared. */
  middleware: ModelMiddleware | undefined;
  /** The gateway the candidates call, once it is built. */
  bind(gateway: Gateway): void;
  close(): Promise<void>;
}

/**
 * The shadows of `shadows:`: one runner each, the middleware that samples their targets, and
 * what they share — an HTTP client for legacy endpoints, the built-in embedder for text
 * similarity, and the PII scrubber (mask) for the examples a report shows.
 */
export function buildShadows(parts: {
  config: ParsedConfig;
  prompts: PromptRegistry;
  counters: Counters;
  store: ShadowStore;
  logger: Logger;
  onOutcome?: (shadow: string, outcome: string) => void;
}): Shadows {
  const { config, logger } = parts;
  let gateway: Gateway | undefined;
  const poster = new UndiciJsonPoster();
  const embedder = new HashedNgramEmbedder({ dimension: 256 });
  const mask = async (text: string) => {
    const scrubbed = await scrubChatRequest({ model: 'shadow', messages: [{ role: 'user', content: text }] }, { mode: 'mask', nlp: false });
    return String(scrubbed.request.messages[0]!.content);
  };
  const runners = new Map<string, ShadowRunner>();
  for (const [name, definition] of Object.entries(config.shadows)) {
    for (const alias of [definition.target, definition.candidate].flatMap((side) => ('alias' in side ? [side.alias] : []))) {
      if (!config.models[alias] && !config.autoRoutes[alias]) {
        throw new BreakwaterError('CONFIG_INVALID', `shadows.${name}: the model alias "${alias}" is not declared under models (or autoRoutes).`);
      }
    }
    runners.set(
      name,
      new ShadowRunner({
        name,
        definition,
        gateway: () => {
          if (!gateway) throw new Error('the shadow runner ran before the gateway was built');
          return gateway;
        },
        prompts: parts.prompts,
        poster,
        counters: parts.counters,
        store: parts.store,
        embed: (texts) => embedder.embed(texts),
        mask,
        onError: (error) => logger.warn({ err: error, shadow: name }, 'a shadow run failed to record; the caller was not affected'),
        ...(parts.onOutcome ? { onOutcome: parts.onOutcome } : {}),
      }),
    );
  }
  return {
    runners,
    middleware: runners.size > 0 ? shadowMode([...runners.values()]) : undefined,
    bind(built) {
      gateway = built;
    },
    async close() {
      await Promise.all([...runners.values()].map((runner) => runner.idle()));
      await poster.close();
    },
  };
}
