/**
 * bench:routing, cascade section — what the structured-call cascade (src/core/middleware/cascade)
 * costs and saves on the structured requests (`response_format: json_schema`) of the dev set and
 * of the blind set (eval/blind/routing, aggregates only: no example, id or reason is printed).
 * Each request goes through the real Gateway three times: router only, router + cascade, and
 * straight to the large tier. The simulated small model breaks the schema on a fixed share of
 * hard requests and a smaller share of easy ones (chosen per request by a hash of its id, so
 * runs repeat); the large model never does. See README.md here.
 *
 *   node --import tsx bench/routing/cascade.ts [--dev-only] [--small-fails-hard=0.4] [--small-fails-easy=0.05]
 *
 * `npm run bench:routing` runs it too (withCascade): its section goes before the JSON line,
 * and its keys join that line.
 */
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { readBlindLines } from '../../eval/blind-set.js';
import { SchemaValidator } from '../../src/core/extraction/schema-validator.js';
import type { CallContext } from '../../src/core/gateway/call-context.js';
import { Gateway } from '../../src/core/gateway/gateway.js';
import { autoRoute } from '../../src/core/middleware/auto-route/index.js';
import { structuredCascade } from '../../src/core/middleware/cascade/index.js';
import { judgeStructuredAnswer } from '../../src/core/middleware/cascade/structured-answer.js';
import type { Provider } from '../../src/core/ports/provider.js';
import { TokenCounter } from '../../src/core/pricing/token-counter.js';
import { parseAutoRouteConfig } from '../../src/core/routing/auto/rules.js';
import { Router } from '../../src/core/routing/router.js';
import type { ChatCompletion, ChatRequest } from '../../src/wire/chat.js';
import { labelledRequests, type Label, type LabelledRequest } from './dataset/index.js';
import { benchRoutes, completionTokens, tierPrices } from './mock-deployments.js';
import { schemaInstance } from './schema-instance.js';
import { testKey } from '../../test/support/call-context.js';

/** Shares of requests whose small-model answer breaks the schema (defaults; flags override). */
export interface FailureShares {
  hard: number;
  easy: number;
}
export const defaultFailureShares: FailureShares = { hard: 0.4, easy: 0.05 };

interface Tagged {
  id: string;
  label: Label;
  schema: Record<string, unknown>;
}

/**
 * Answers instantly with the usage bench:routing uses (tokenizer prompt tokens; 150 or 600
 * completion tokens by label). Its answer is a generated instance of the request's schema,
 * or, for the small model on the requests its hash picks, prose that is no JSON at all.
 */
class StructuredMockProvider implements Provider {
  readonly name = 'bench-structured';
  readonly capabilities = { chat: true, streaming: false, embeddings: false, tools: true, jsonSchema: true };
  private readonly tokens = new TokenCounter();

  constructor(
    private readonly tags: WeakMap<ChatRequest, Tagged>,
    private readonly shares: FailureShares,
  ) {}

  async chat(request: ChatRequest, options: { model: string }): Promise<ChatCompletion> {
    const tag = this.tags.get(request)!;
    const prompt = this.tokens.countChat(request);
    const completion = Math.min(completionTokens[tag.label], request.max_completion_tokens ?? request.max_tokens ?? Infinity);
    const content =
      options.model === tierPrices.small.model && smallFails(tag, this.shares) ? 'Here is what I found: see the details above.' : JSON.stringify(schemaInstance(tag.schema));
    return {
      id: 'chatcmpl-cascade',
      object: 'chat.completion',
      created: 0,
      model: options.model,
      choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
      usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion },
    };
  }

  chatStream(): never {
    throw new Error('the cascade bench does not stream');
  }

  embed(): never {
    throw new Error('the cascade bench does not embed');
  }
}

/** A fixed draw per request id: the same requests fail in every run and in every pass. */
function smallFails(tag: Tagged, shares: FailureShares): boolean {
  const draw = createHash('sha256').update(tag.id).digest().readUInt32BE(0) / 2 ** 32;
  return draw < shares[tag.label];
}

interface Outcome {
  label: Label;
  routerUsd: number;
  cascadeUsd: number;
  largeUsd: number;
  /** Router only: the tier it chose, and whether that answer broke the schema. */
  routerTier: string;
  routerInvalid: boolean;
  cascade: 'answered' | 'escalated' | 'none';
  cascadeInvalid: boolean;
}

export interface CascadeFigures {
  requests: number;
  hard: number;
  /** Requests left out because no valid instance of their schema could be generated. */
  skipped: number;
  escalationRate: number;
  /** Escalations among the calls the cascade tried small first. */
  escalationRateOfSmallFirst: number;
  costCut: number;
  routerCostCut: number;
  /** Cascade cost over router-only cost, minus one. */
  extraOverRouter: number;
  hardSmallRouter: number;
  hardSmallCascade: number;
  invalidRouter: number;
  invalidCascade: number;
}

const key = testKey({ id: 'bench', name: 'bench', prefix: 'bw_bench', tenant: 'bench' });

/** Router only, router + cascade, and always-large, over each structured request. */
export async function replayCascade(requests: readonly LabelledRequest[], shares: FailureShares): Promise<CascadeFigures> {
  const parsed = parseAutoRouteConfig({
    tiers: [
      { name: 'small', alias: 'small' },
      { name: 'large', alias: 'large' },
    ],
  });
  if (!parsed.ok) throw new Error(parsed.error.join('\n'));
  const tags = new WeakMap<ChatRequest, Tagged>();
  const routes = benchRoutes(new StructuredMockProvider(tags, shares));
  const tokens = new TokenCounter();
  const cascade = structuredCascade({
    escalations: new Map([
      [
        'auto',
        [
          { tier: 'large', route: routes.get('large')! },
          { tier: 'small', route: routes.get('small')! },
        ],
      ],
    ]),
    countTokens: (text) => tokens.count(text),
  });
  const gatewayWith = (middleware: ConstructorParameters<typeof Gateway>[0]['middleware']) =>
    new Gateway({
      routes,
      router: new Router({ backoffBaseMs: 10, backoffMaxMs: 100, maxRetryAfterMs: 1000 }),
      tokens,
      middleware,
      onDeferredError: (error) => {
        throw error;
      },
    });
  const router = () => autoRoute({ configs: new Map([['auto', parsed.value]]), routes });
  const routerOnly = gatewayWith([router()]);
  const withCascade = gatewayWith([router(), cascade.plan, cascade.attempt]);

  const send = async (through: Gateway, entry: LabelledRequest, model: string, schema: Record<string, unknown>, index: number) => {
    const request = structuredClone({ ...entry.request, model }) as ChatRequest;
    tags.set(request, { id: entry.id, label: entry.label, schema });
    const called = await through.call({
      requestId: `${entry.id}-${model}-${index}`,
      key,
      input: { operation: 'chat', request },
      stream: false,
      cacheControl: { noStore: true, noCache: true },
      signal: new AbortController().signal,
      startedAt: performance.now(),
    });
    // Deferred steps (the cascade's charge for a discarded answer) run before call() returns.
    return called as { context: CallContext; outcome: { kind: 'completion'; completion: ChatCompletion } };
  };

  const outcomes: Outcome[] = [];
  let skipped = 0;
  for (const [index, entry] of requests.entries()) {
    const format = entry.request.response_format;
    if (format?.type !== 'json_schema' || !format.json_schema.schema) continue;
    const schema = format.json_schema.schema;
    const validator = SchemaValidator.compile(schema);
    if (!validator.validate(schemaInstance(schema)).ok) {
      skipped++;
      continue;
    }
    const routed = await send(routerOnly, entry, 'auto', schema, index);
    const cascaded = await send(withCascade, entry, 'auto', schema, index);
    const large = await send(routerOnly, entry, 'large', schema, index);
    outcomes.push({
      label: entry.label,
      routerUsd: routed.context.costUsd,
      cascadeUsd: cascaded.context.costUsd,
      largeUsd: large.context.costUsd,
      routerTier: routed.context.routeDecision?.tier ?? '?',
      routerInvalid: !judgeStructuredAnswer(routed.outcome.completion, validator).ok,
      cascade: cascaded.context.cascade?.outcome === 'escalated' ? 'escalated' : cascaded.context.cascade ? 'answered' : 'none',
      cascadeInvalid: !judgeStructuredAnswer(cascaded.outcome.completion, validator).ok,
    });
  }
  const sum = (pick: (outcome: Outcome) => number) => outcomes.reduce((total, outcome) => total + pick(outcome), 0);
  const count = (test: (outcome: Outcome) => boolean) => outcomes.filter(test).length;
  const large = sum((outcome) => outcome.largeUsd);
  const hard = count((outcome) => outcome.label === 'hard');
  const smallFirst = count((outcome) => outcome.cascade !== 'none');
  return {
    requests: outcomes.length,
    hard,
    skipped,
    escalationRate: count((outcome) => outcome.cascade === 'escalated') / Math.max(1, outcomes.length),
    escalationRateOfSmallFirst: count((outcome) => outcome.cascade === 'escalated') / Math.max(1, smallFirst),
    costCut: 1 - sum((outcome) => outcome.cascadeUsd) / large,
    routerCostCut: 1 - sum((outcome) => outcome.routerUsd) / large,
    extraOverRouter: sum((outcome) => outcome.cascadeUsd) / sum((outcome) => outcome.routerUsd) - 1,
    hardSmallRouter: count((outcome) => outcome.label === 'hard' && outcome.routerTier === 'small'),
    hardSmallCascade: count((outcome) => outcome.label === 'hard' && outcome.cascade === 'answered'),
    invalidRouter: count((outcome) => outcome.routerInvalid),
    invalidCascade: count((outcome) => outcome.cascadeInvalid),
  };
}

/** The blind set's structured requests; nothing of them is printed but counts and rates. */
function blindRequests(): LabelledRequest[] {
  return readBlindLines<{ label: Label; request: LabelledRequest['request'] }>('routing').map((row, index) => ({
    id: `blind:${row.file}:${index}`,
    label: row.label,
    locale: '?',
    category: 'blind',
    request: row.request,
  }));
}

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;
const round = (value: number) => Math.round(value * 10_000) / 10_000;

function rows(name: string, figures: CascadeFigures): string[] {
  return [
    `  ${name}: ${figures.requests} structured requests (${figures.hard} hard${figures.skipped ? `; ${figures.skipped} skipped: no valid instance of their schema generated` : ''})`,
    `    escalated ${percent(figures.escalationRate)} of them (${percent(figures.escalationRateOfSmallFirst)} of those tried small first)`,
    `    cost cut vs always-large: cascade ${percent(figures.costCut)}, router only ${percent(figures.routerCostCut)}; cascade costs ${percent(figures.extraOverRouter)} more than router only`,
    `    hard requests answered by small in the end: router only ${figures.hardSmallRouter}/${figures.hard}, cascade ${figures.hardSmallCascade}/${figures.hard}`,
    `    schema-invalid answers delivered: router only ${figures.invalidRouter}, cascade ${figures.invalidCascade}`,
  ];
}

/** The cascade section's report lines and its JSON keys. */
export async function cascadeReport(options: { devOnly: boolean; shares?: FailureShares }): Promise<{ lines: string[]; json: Record<string, number> }> {
  const shares = options.shares ?? defaultFailureShares;
  const dev = await replayCascade(labelledRequests(), shares);
  const blind = options.devOnly ? undefined : await replayCascade(blindRequests(), shares);
  const lines = [
    `structured-call cascade (small model breaks the schema on ${percent(shares.hard)} of hard and ${percent(shares.easy)} of easy requests; large never):`,
    ...(blind ? rows('blind (headline)', blind) : []),
    ...rows('dev', dev),
    `  sensitivity (${blind ? 'blind' : 'dev'}), share of hard requests whose small answer breaks the schema → escalated, cascade cost cut, hard answered by small:`,
  ];
  for (const hard of [0.2, 0.6, 0.9]) {
    const figures = await replayCascade(blind ? blindRequests() : labelledRequests(), { ...shares, hard });
    lines.push(`    ${percent(hard)} → ${percent(figures.escalationRate)}, ${percent(figures.costCut)}, ${figures.hardSmallCascade}/${figures.hard}`);
  }
  const json: Record<string, number> = {
    cascade_requests: dev.requests,
    cascade_escalation_rate: round(dev.escalationRate),
    cascade_cost_cut: round(dev.costCut),
    cascade_router_cost_cut: round(dev.routerCostCut),
    cascade_extra_over_router: round(dev.extraOverRouter),
    cascade_hard_small_router: dev.hardSmallRouter,
    cascade_hard_small: dev.hardSmallCascade,
    ...(blind
      ? {
          blind_cascade_requests: blind.requests,
          blind_cascade_escalation_rate: round(blind.escalationRate),
          blind_cascade_cost_cut: round(blind.costCut),
          blind_cascade_router_cost_cut: round(blind.routerCostCut),
          blind_cascade_extra_over_router: round(blind.extraOverRouter),
          blind_cascade_hard_small_router: blind.hardSmallRouter,
          blind_cascade_hard_small: blind.hardSmallCascade,
        }
      : {}),
  };
  return { lines, json };
}

/**
 * For bench:routing: its report lines with the cascade section before the last (JSON) line
 * and the cascade keys added to that line.
 */
export async function withCascade(lines: Iterable<string>, options: { devOnly: boolean }): Promise<string[]> {
  const all = [...lines];
  const last = all.pop() ?? '{}';
  const { lines: section, json } = await cascadeReport(options);
  return [...all, ...section, '', JSON.stringify({ ...(JSON.parse(last) as Record<string, unknown>), ...json })];
}

function shareFlag(name: string, fallback: number): number {
  const flag = process.argv.find((argument) => argument.startsWith(`--${name}=`));
  const value = flag === undefined ? fallback : Number(flag.slice(name.length + 3));
  if (!(value >= 0 && value <= 1)) throw new Error(`--${name} takes a share between 0 and 1`);
  return value;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const shares = { hard: shareFlag('small-fails-hard', defaultFailureShares.hard), easy: shareFlag('small-fails-easy', defaultFailureShares.easy) };
  const { lines, json } = await cascadeReport({ devOnly: process.argv.includes('--dev-only'), shares });
  for (const line of lines) console.log(line);
  console.log(JSON.stringify(json));
}
