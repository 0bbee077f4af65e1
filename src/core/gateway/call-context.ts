import type { BreakwaterError } from '../errors/breakwater-error.js';
import type { ServedPrompt } from '../prompts/prompted-request.js';
import type { VirtualKey } from '../ports/store.js';
import type { AliasRoute } from '../routing/alias-route.js';
import type { RouteHints } from '../routing/auto/features.js';
import type { RouteProgress } from '../routing/router.js';
import type { ChatCompletion, ChatCompletionChunk, ChatRequest } from '../../wire/chat.js';
import type { EmbeddingsRequest, EmbeddingsResult } from '../../wire/embeddings.js';

export type CallOutcome =
  | { kind: 'completion'; completion: ChatCompletion }
  | { kind: 'stream'; chunks: AsyncIterable<ChatCompletionChunk> }
  | { kind: 'embeddings'; result: EmbeddingsResult };

export type CallInput = { operation: 'chat'; request: ChatRequest } | { operation: 'embeddings'; request: EmbeddingsRequest };

/** Where a call comes from, beyond its key: a pipeline's extraction (drift monitors count its re-asks). */
export interface CallOrigin {
  pipeline: string;
  attempt: number;
}

/** How the call ended, handed to every deferred step once the answer is complete. */
export interface CallSettlement {
  error: BreakwaterError | undefined;
  /** The full answer (streams are assembled), for caching; absent on error. */
  completion: ChatCompletion | undefined;
}

/**
 * A structured call an `auto` alias answers from a cheaper tier first: `escalated` when that
 * answer failed the request's JSON Schema and the dearer tier answered instead.
 */
export interface CallCascade {
  /** The alias tried first (the router's choice) and the one a schema failure escalates to. */
  first: string;
  escalation: string;
  outcome: 'pending' | 'answered' | 'escalated';
  /** What the discarded first answer cost; part of `costUsd` once the call is settled. */
  firstCostUsd: number;
}

/** Everything one model call carries through the middleware. No prompt text is logged from here. */
export interface CallContext {
  readonly requestId: string;
  readonly key: VirtualKey;
  /** The alias the client named (`model`); the cache and the ledger scope by it. */
  readonly requestedAlias: string;
  /**
   * The route the call takes. The cost-aware router of an `auto` alias replaces it with the
   * chosen tier's route before the budget reserves (so the reservation uses the tier's price).
   */
  route: AliasRoute;
  /** Set by the cost-aware router: the tier it picked and why, for headers and the ledger. */
  routeDecision: { tier: string; reason: string } | undefined;
  /** The registry prompt version the request was built from (a chat `prompt` reference, a pipeline's `name@label`). */
  readonly prompt: ServedPrompt | undefined;
  /** The pipeline a call extracts for and its extraction attempt (2+: a re-ask after a failed answer). */
  readonly origin?: CallOrigin | undefined;
  /** Set by the structured-call cascade (middleware/cascade) on a call it took over. */
  cascade?: CallCascade | undefined;
  readonly input: CallInput;
  readonly stream: boolean;
  /** `cache-control` from the client: no-store skips the cache both ways, no-cache skips the lookup. */
  readonly cacheControl: { noStore: boolean; noCache: boolean };
  /** Routing hints from outside the body (`x-breakwater-route-hint`, `x-breakwater-latency-target-ms`). */
  readonly routeHints: RouteHints | undefined;
  readonly signal: AbortSignal;
  /** performance.now() when the request reached Breakwater. */
  readonly startedAt: number;
  readonly progress: RouteProgress;
  cache: 'miss' | 'hit' | 'semantic' | 'bypass';
  /** Cosine similarity of a semantic cache hit. */
  cacheSimilarity: number | undefined;
  /** Personal data found in the request, by type (EMAIL, PHONE, …) and count; never values. */
  pii: Record<string, number>;
  /** Prompt tokens counted before the call (tokenizer), for reservations. */
  estimatedInputTokens: number;
  /** Output cap the gateway set on the upstream request, when the client set none. */
  gatewayOutputCap: number | undefined;
  usage: { inputTokens: number; outputTokens: number };
  costUsd: number;
  /** Gateway time excluding upstream waits, fixed when the answer (or first chunk) is ready. */
  overheadMs: number;
  /** Registers a step to run once the call is complete (streams: after the last chunk). */
  defer(step: (settlement: CallSettlement) => void | Promise<void>): void;
}

export type ModelMiddleware = (context: CallContext, next: () => Promise<CallOutcome>) => Promise<CallOutcome>;
