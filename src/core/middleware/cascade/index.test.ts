import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testCallContext, testKey } from '../../../../test/support/call-context.js';
import type { CallContext, CallOutcome, CallSettlement } from '../../gateway/call-context.js';
import type { AliasRoute, Deployment } from '../../routing/alias-route.js';
import type { ChatRequest } from '../../../wire/chat.js';
import { structuredCascade, type CascadeTier } from './index.js';

const deployment = (id: string, input: number, output: number) => ({ id, price: { input, output } }) as Deployment;
const route = (alias: string, input: number, output: number): AliasRoute => ({
  alias,
  strategy: 'fallback',
  deployments: [deployment(`up/${alias}`, input, output)],
  maxPrice: { input, output },
});
const small = route('mini', 1, 2);
const large = route('big', 10, 20);
const tiers: CascadeTier[] = [
  { tier: 'large', route: large },
  { tier: 'small', route: small },
];
const schema = { type: 'object', properties: { total: { type: 'number' } }, required: ['total'], additionalProperties: false };
const structured: Partial<ChatRequest> = { response_format: { type: 'json_schema', json_schema: { name: 'r', schema } } };

interface Run {
  context: CallContext;
  outcome: CallOutcome;
  /** The alias of each provider call, in order. */
  calls: string[];
  /** maxPrice of the route the budget would reserve against. */
  reserved: { input: number; output: number };
}

/**
 * plan → (budget stand-in) → attempt → provider stand-in, then the gateway's accounting of the
 * returned answer and its deferred steps, innermost first, as Gateway.call runs them.
 */
async function run(answers: Record<string, string>, request: Partial<ChatRequest> = structured, overrides: Partial<CallContext> = {}): Promise<Run> {
  const deferred: Array<(settlement: CallSettlement) => void | Promise<void>> = [];
  const context = testCallContext({
    route: small,
    requestedAlias: 'auto',
    routeDecision: { tier: 'small', reason: 'default: no hard cues' },
    input: { operation: 'chat', request: { model: 'auto', messages: [{ role: 'user', content: 'total?' }], ...request } },
    defer: (step) => deferred.push(step),
    ...overrides,
  });
  const cascade = structuredCascade({ escalations: new Map([['auto', tiers]]), countTokens: (text) => text.length });
  const calls: string[] = [];
  let reserved = { input: 0, output: 0 };
  const provider = async (): Promise<CallOutcome> => {
    calls.push(context.route.alias);
    context.progress.deployment = context.route.deployments[0];
    const content = answers[context.route.alias]!;
    return {
      kind: 'completion',
      completion: {
        id: 'x',
        object: 'chat.completion',
        created: 0,
        model: 'm',
        choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 100, completion_tokens: 10, total_tokens: 110 },
      },
    };
  };
  const outcome = await cascade.plan(context, () => {
    reserved = context.route.maxPrice;
    return cascade.attempt(context, provider);
  });
  // Gateway.account: the answer returned, at the deployment that gave it.
  const price = context.progress.deployment!.price;
  context.usage = { inputTokens: 100, outputTokens: 10 };
  context.costUsd = (price.input * 100 + price.output * 10) / 1_000_000;
  for (let index = deferred.length - 1; index >= 0; index--) await deferred[index]!({ error: undefined, completion: undefined });
  return { context, outcome, calls, reserved };
}

const contentOf = (outcome: CallOutcome) => (outcome.kind === 'completion' ? outcome.completion.choices[0]?.message.content : undefined);

describe('structuredCascade', () => {
  it('keeps the small tier answer when it validates, charging one attempt', async () => {
    const { context, outcome, calls, reserved } = await run({ mini: '{"total": 3}', big: '{"total": 4}' });
    assert.deepEqual(calls, ['mini']);
    assert.equal(contentOf(outcome), '{"total": 3}');
    assert.equal(context.cascade?.outcome, 'answered');
    assert.deepEqual(reserved, { input: 11, output: 22 }, 'the budget reserves for both tiers up front');
    assert.equal(context.costUsd, (1 * 100 + 2 * 10) / 1e6);
  });

  it('escalates once to the large tier on a schema failure, and charges both attempts', async () => {
    const { context, outcome, calls } = await run({ mini: '{"total": "three"}', big: '{"total": 3}' });
    assert.deepEqual(calls, ['mini', 'big']);
    assert.equal(contentOf(outcome), '{"total": 3}', 'the caller gets the large answer');
    assert.equal(context.cascade?.outcome, 'escalated');
    const first = (1 * 100 + 2 * 10) / 1e6;
    assert.equal(context.cascade?.firstCostUsd, first);
    assert.equal(context.costUsd, first + (10 * 100 + 20 * 10) / 1e6);
    assert.deepEqual(context.usage, { inputTokens: 200, outputTokens: 20 });
    assert.equal(context.routeDecision?.tier, 'large');
    assert.match(context.routeDecision?.reason ?? '', /cascade: the small answer failed the schema \(schema: \/total must be number\), escalated/);
  });

  it('escalates on an answer that is not JSON, or JSON only inside code fences', async () => {
    assert.deepEqual((await run({ mini: 'Sure! The total is 3.', big: '{"total": 3}' })).calls, ['mini', 'big']);
    assert.deepEqual((await run({ mini: '```json\n{"total": 3}\n```', big: '{"total": 3}' })).calls, ['mini', 'big']);
  });

  it('sends straight to the large tier when the router already chose it', async () => {
    const { context, calls, reserved } = await run({ mini: '{"total": 3}', big: '{"total": 3}' }, structured, {
      route: large,
      routeDecision: { tier: 'large', reason: 'hard request' },
    });
    assert.deepEqual(calls, ['big']);
    assert.equal(context.cascade, undefined);
    assert.deepEqual(reserved, { input: 10, output: 20 });
  });

  it('leaves streams, calls without a json_schema and other aliases to the router alone', async () => {
    const invalid = { mini: 'not json', big: '{"total": 3}' };
    assert.deepEqual((await run(invalid, structured, { stream: true })).calls, ['mini']);
    assert.deepEqual((await run(invalid, { response_format: { type: 'json_object' } })).calls, ['mini']);
    assert.deepEqual((await run(invalid, structured, { requestedAlias: 'mini', routeDecision: undefined })).calls, ['mini']);
  });

  it('escalates only to a tier the key may use', async () => {
    const { calls, context } = await run({ mini: 'not json', big: '{"total": 3}' }, structured, { key: testKey({ allowedModels: ['auto', 'mini'] }) });
    assert.deepEqual(calls, ['mini']);
    assert.equal(context.cascade, undefined);
  });
});
