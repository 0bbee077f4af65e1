import type { CallContext } from '../../src/core/gateway/call-context.js';
import type { VirtualKey } from '../../src/core/ports/store.js';

/** A virtual key for middleware unit tests: no limits, no budget, every model; override what the test is about. */
export function testKey(overrides: Partial<VirtualKey> = {}): VirtualKey {
  return {
    id: 'k1',
    name: 'k',
    prefix: 'bw_',
    tenant: 't',
    allowedModels: null,
    rpm: null,
    tpm: null,
    budget: null,
    tags: {},
    piiPolicy: null,
    createdAt: 0,
    revokedAt: null,
    ...overrides,
  };
}

/**
 * A call as the gateway hands it to a middleware, before any middleware ran: a one-message
 * chat on `route`, no cache, nothing spent. Override the fields the test is about.
 */
export function testCallContext(overrides: Partial<CallContext> & Pick<CallContext, 'route'>): CallContext {
  const alias = overrides.route.alias;
  return {
    requestId: 'r1',
    key: testKey(),
    requestedAlias: alias,
    routeDecision: undefined,
    routeHints: undefined,
    prompt: undefined,
    input: { operation: 'chat', request: { model: alias, messages: [{ role: 'user', content: 'hi' }] } },
    stream: false,
    cacheControl: { noStore: false, noCache: false },
    signal: new AbortController().signal,
    startedAt: 0,
    progress: { attempts: 0, upstreamMs: 0, deployment: undefined, unanswered: [] },
    cache: 'bypass',
    cacheSimilarity: undefined,
    pii: {},
    estimatedInputTokens: 0,
    gatewayOutputCap: undefined,
    usage: { inputTokens: 0, outputTokens: 0 },
    costUsd: 0,
    overheadMs: 0,
    defer: () => {},
    ...overrides,
  };
}
