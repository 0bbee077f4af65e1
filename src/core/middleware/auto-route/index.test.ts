import { testCallContext, testKey } from '../../../../test/support/call-context.js';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CallContext, CallOutcome } from '../../gateway/call-context.js';
import type { VirtualKey } from '../../ports/store.js';
import type { AliasRoute } from '../../routing/alias-route.js';
import { parseAutoRouteConfig } from '../../routing/auto/rules.js';
import type { ChatRequest } from '../../../wire/chat.js';
import { autoRoute, type AutoRouteOptions } from './index.js';

const route = (alias: string): AliasRoute => ({ alias, strategy: 'fallback', deployments: [], maxPrice: { input: 1, output: 1 } });
const routes = new Map([
  ['gpt-mini', route('gpt-mini')],
  ['gpt-big', route('gpt-big')],
  ['auto', route('auto')],
]);
const parsed = parseAutoRouteConfig({
  tiers: [
    { name: 'small', alias: 'gpt-mini' },
    { name: 'large', alias: 'gpt-big' },
  ],
});
if (!parsed.ok) throw new Error(parsed.error.join('\n'));
const configs = new Map([['auto', parsed.value]]);
const completion: CallOutcome = { kind: 'completion', completion: { id: 'x', object: 'chat.completion', created: 0, model: 'm', choices: [] } };

function context(alias: string, request: Partial<ChatRequest>, budget: VirtualKey['budget'] = null, allowedModels: string[] | null = null): CallContext {
  return testCallContext({
    key: testKey({ allowedModels, budget }),
    route: routes.get(alias)!,
    input: { operation: 'chat', request: { model: alias, messages: [{ role: 'user', content: 'hi' }], ...request } },
    estimatedInputTokens: 420,
  });
}

async function run(call: CallContext, options: Partial<AutoRouteOptions> = {}): Promise<string> {
  let routedTo = '';
  await autoRoute({ configs, routes, ...options })(call, async () => {
    routedTo = call.route.alias;
    return completion;
  });
  return routedTo;
}

describe('autoRoute', () => {
  it('swaps in the chosen tier before the rest of the chain runs, and records the decision', async () => {
    const hard = context('auto', { messages: [{ role: 'user', content: 'Prove that the square root of 2 is irrational.' }] });
    assert.equal(await run(hard), 'gpt-big');
    assert.equal(hard.routeDecision?.tier, 'large');
    assert.match(hard.routeDecision?.reason ?? '', /p\(hard\) [\d.]+ >= [\d.]+ \(top: .*maths: proof.*maths cues \(proof\).*420 prompt tokens/);
    const easy = context('auto', { messages: [{ role: 'user', content: 'Do you take PayPal?' }] });
    assert.equal(await run(easy), 'gpt-mini');
    assert.equal(easy.routeDecision?.tier, 'small');
  });

  it('leaves calls to other aliases alone', async () => {
    const call = context('gpt-big', {});
    assert.equal(await run(call), 'gpt-big');
    assert.equal(call.routeDecision, undefined);
  });

  it('takes hints from metadata and removes them before the request goes upstream', async () => {
    const call = context('auto', { metadata: { breakwater_route_hint: 'large', team: 'web' } });
    assert.equal(await run(call), 'gpt-big');
    assert.match(call.routeDecision?.reason ?? '', /explicit hint "large"/);
    assert.deepEqual(call.input.operation === 'chat' && call.input.request.metadata, { team: 'web' });
    const latency = context('auto', { metadata: { breakwater_latency_target_ms: '500' }, messages: [{ role: 'user', content: 'Prove Fermat.' }] });
    assert.equal(await run(latency), 'gpt-mini');
    assert.equal(latency.input.operation === 'chat' && latency.input.request.metadata, undefined);
  });

  it('lets hints from hintsOf (the headers) win over metadata', async () => {
    const call = context('auto', { metadata: { breakwater_route_hint: 'small' } });
    assert.equal(await run(call, { hintsOf: () => ({ tier: 'large' }) }), 'gpt-big');
  });

  it('asks for budget headroom only for keys with a budget, and downgrades near the limit', async () => {
    let asked = 0;
    const headroom = async () => {
      asked++;
      return 0.05;
    };
    const hardText = { messages: [{ role: 'user' as const, content: 'Prove that the square root of 2 is irrational.' }] };
    assert.equal(await run(context('auto', hardText), { headroom }), 'gpt-big');
    assert.equal(asked, 0);
    const budgeted = context('auto', hardText, { usd: 10, period: 'month' });
    assert.equal(await run(budgeted, { headroom }), 'gpt-mini');
    assert.equal(asked, 1);
    assert.match(budgeted.routeDecision?.reason ?? '', /budget headroom 5% < 10%/);
  });

  it('reports each decision with its time', async () => {
    const seen: string[] = [];
    await run(context('auto', {}), { onDecision: (alias, decision, ms) => seen.push(`${alias}:${decision.tier}:${ms >= 0}`) });
    assert.deepEqual(seen, ['auto:small:true']);
  });

  it('routes a key to the tiers its allowed models name, never to another (a key allowed auto and the small model reached the large one)', async () => {
    const hardText = { messages: [{ role: 'user' as const, content: 'Prove that the square root of 2 is irrational.' }] };
    const smallOnly = context('auto', hardText, null, ['auto', 'gpt-mini']);
    assert.equal(await run(smallOnly), 'gpt-mini');
    assert.equal(smallOnly.routeDecision?.tier, 'small');
    assert.match(smallOnly.routeDecision?.reason ?? '', /tier "large" is not in this key's allowed models/);
    const hinted = context('auto', { metadata: { breakwater_route_hint: 'large' } }, null, ['auto', 'gpt-mini']);
    assert.equal(await run(hinted), 'gpt-mini', 'a hint cannot open a tier the key may not use');
    const largeOnly = context('auto', { messages: [{ role: 'user', content: 'Do you take PayPal?' }] }, null, ['auto', 'gpt-big']);
    assert.equal(await run(largeOnly), 'gpt-big', 'the default tier is not allowed: the first allowed tier answers');
    const both = context('auto', hardText, null, ['auto', 'gpt-mini', 'gpt-big']);
    assert.equal(await run(both), 'gpt-big');
    assert.doesNotMatch(both.routeDecision?.reason ?? '', /allowed models/);
  });

  it('refuses a key allowed none of the tiers with MODEL_NOT_ALLOWED, before anything is called', async () => {
    let called = false;
    const call = context('auto', {}, null, ['auto']);
    await assert.rejects(
      autoRoute({ configs, routes })(call, async () => {
        called = true;
        return completion;
      }),
      (error: Error & { code?: string }) => error.code === 'MODEL_NOT_ALLOWED' && /gpt-mini, gpt-big/.test(error.message),
    );
    assert.equal(called, false);
  });

  it('refuses a config whose tier alias is not a model', () => {
    const broken = parseAutoRouteConfig({
      tiers: [
        { name: 'small', alias: 'gpt-mini' },
        { name: 'large', alias: 'gpt-huge' },
      ],
    });
    assert.ok(broken.ok);
    assert.throws(() => autoRoute({ configs: new Map([['auto', broken.value]]), routes }), /routes tier "large" to "gpt-huge", which is not a model/);
  });
});
