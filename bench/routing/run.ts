/**
 * bench:routing — what the cost-aware router of an `auto` alias saves against sending every
 * request to the large tier, and how many hard requests it sends to the small one. Every
 * labelled request (dataset/) goes through the real Gateway three times: to `auto` (the
 * router picks), to `large` (the baseline) and to `small` (for the oracle that knows the
 * labels). The same runs over the blind set (eval/blind/routing/, written without seeing the
 * rules or the dev set) give the headline; the dev set's figures stand beside it. The report
 * goes to stdout and ends with one JSON line. See README.md here.
 *
 *   npm run bench:routing                 # dev and blind
 *   npm run bench:routing -- --dev-only   # while developing: never touches the blind set
 */
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { loadBlindSet } from './blind-set.js';
import { withCascade } from './cascade.js';
import { MemoryResponseCache } from '../../src/adapters/cache/memory/memory-response-cache.js';
import { HashedNgramEmbedder } from '../../src/adapters/embedders/hashed-ngram/hashed-ngram-embedder.js';
import { BruteForceVectorIndexStore } from '../../src/adapters/vector-index/brute-force/brute-force-vector-index.js';
import type { CallContext } from '../../src/core/gateway/call-context.js';
import { Gateway } from '../../src/core/gateway/gateway.js';
import { autoRoute } from '../../src/core/middleware/auto-route/index.js';
import { exactCache } from '../../src/core/middleware/exact-cache/index.js';
import { semanticCache } from '../../src/core/middleware/semantic-cache/index.js';
import { TokenCounter } from '../../src/core/pricing/token-counter.js';
import { decideRoute, type RouteDecision } from '../../src/core/routing/auto/decide.js';
import { extractFeatures } from '../../src/core/routing/auto/features.js';
import { parseAutoRouteConfig } from '../../src/core/routing/auto/rules.js';
import { Router } from '../../src/core/routing/router.js';
import { defaultSimilarityThreshold, SemanticCache } from '../../src/core/semantic-cache/semantic-cache.js';
import type { ChatRequest } from '../../src/wire/chat.js';
import { labelledRequests, uniqueRequestCount, type Label, type LabelledRequest } from './dataset/index.js';
import { benchRoutes, PricedMockProvider } from './mock-deployments.js';
import { report, type Outcome, type StackOutcome } from './report.js';
import { testKey } from '../../test/support/call-context.js';

const config = parseAutoRouteConfig({
  tiers: [
    { name: 'small', alias: 'small' },
    { name: 'large', alias: 'large' },
  ],
});
if (!config.ok) throw new Error(config.error.join('\n'));

const labels = new WeakMap<ChatRequest, Label>();
const routes = benchRoutes(new PricedMockProvider(labels));
let lastDecision: { decision: RouteDecision; ms: number } | undefined;
const router = () => autoRoute({ configs: new Map([['auto', config.value]]), routes, onDecision: (_alias, decision, ms) => (lastDecision = { decision, ms }) });
const gatewayWith = (middleware: ConstructorParameters<typeof Gateway>[0]['middleware']) =>
  new Gateway({
    routes,
    router: new Router({ backoffBaseMs: 10, backoffMaxMs: 100, maxRetryAfterMs: 1000 }),
    tokens: new TokenCounter(),
    middleware,
    onDeferredError: (error) => process.stderr.write(`deferred step failed: ${String(error)}\n`),
  });
const gateway = gatewayWith([router()]);
// The whole governance stack as `serve` orders it: router, exact cache, semantic cache (built-in
// embedder, default threshold). A separate figure: the router's own cut is measured without caches.
const answers = new MemoryResponseCache(100_000);
const hourMs = 3_600_000;
const stack = gatewayWith([
  router(),
  exactCache({ cache: answers, ttlMs: hourMs, onHit: () => {} }),
  semanticCache({
    cache: new SemanticCache({
      embedder: new HashedNgramEmbedder(),
      indexes: new BruteForceVectorIndexStore(256),
      payloads: answers,
      maxEntries: 100_000,
      maxScopes: 64,
      maxStoredScopes: 10_000,
    }),
    thresholdFor: () => defaultSimilarityThreshold,
    ttlMs: hourMs,
    onHit: () => {},
    onError: (error) => {
      throw error;
    },
  }),
]);
const key = testKey({ id: 'bench', name: 'bench', prefix: 'bw_bench', tenant: 'bench' });

async function send(entry: LabelledRequest, model: string, index: number, through: Gateway = gateway): Promise<CallContext> {
  // A fresh copy per call: middleware may adjust the request (e.g. strip routing metadata).
  const request = structuredClone({ ...entry.request, model }) as ChatRequest;
  labels.set(request, entry.label);
  const caching = through === stack;
  const { context } = await through.call({
    requestId: `${entry.id}-${model}-${index}`,
    key,
    input: { operation: 'chat', request },
    stream: false,
    cacheControl: { noStore: !caching, noCache: !caching },
    signal: new AbortController().signal,
    startedAt: performance.now(),
  });
  return context;
}

/** Each request to `auto`, `large` and `small`: what the router chose and what each would cost. */
async function replay(requests: LabelledRequest[]): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const [index, entry] of requests.entries()) {
    lastDecision = undefined;
    const routed = await send(entry, 'auto', index);
    // Set by onDecision during the call (TypeScript cannot see the callback assign it).
    const observed = lastDecision as { decision: RouteDecision; ms: number } | undefined;
    if (!observed || !routed.routeDecision) throw new Error(`${entry.id}: the router made no decision`);
    const { decision, ms } = observed;
    const large = await send(entry, 'large', index);
    const small = await send(entry, 'small', index);
    outcomes.push({ entry, tier: decision.tier, reason: decision.reason, decisionUs: ms * 1000, routedUsd: routed.costUsd, largeUsd: large.costUsd, smallUsd: small.costUsd });
  }
  return outcomes;
}

const devOnly = process.argv.includes('--dev-only');
const blindSet = devOnly ? undefined : loadBlindSet(fileURLToPath(new URL('../../eval/blind/routing/', import.meta.url)));
const requests = labelledRequests();
// One pass to warm the tokenizer and the JIT, so the decision times are steady-state.
for (const [index, entry] of requests.entries()) await send(entry, 'auto', index);
const outcomes = await replay(requests);
const blind = blindSet ? { outcomes: await replay(blindSet.requests), files: blindSet.files, sha256: blindSet.sha256 } : undefined;
// The stack: each request once, in dataset order (repeats and paraphrases follow their originals).
const stackOutcomes: StackOutcome[] = [];
for (const [index, entry] of requests.entries()) {
  const context = await send(entry, 'auto', index, stack);
  stackOutcomes.push({ entry, usd: context.costUsd, cache: context.cache === 'semantic' ? 'semantic' : context.cache === 'hit' ? 'exact' : 'miss' });
}

// Decision time on its own: features + rules, best of 20 per request (the machine is shared, and
// a scheduler pause is not the router's cost); the in-gateway times above are single samples.
const bestUs = outcomes.map(() => Infinity);
for (let round = 0; round < 20; round++) {
  outcomes.forEach((outcome, index) => {
    const request = { ...outcome.entry.request, model: 'auto' } as ChatRequest;
    const started = performance.now();
    decideRoute(extractFeatures(request, { promptTokens: 500 }), config.value);
    bestUs[index] = Math.min(bestUs[index]!, (performance.now() - started) * 1000);
  });
}
for (const line of await withCascade(
  report({ outcomes, blind, devOnly, stack: stackOutcomes, decisionBestUs: bestUs, unique: uniqueRequestCount(), environment: `${cpus().length} CPUs, Node ${process.version}` }),
  { devOnly },
))
  console.log(line);
