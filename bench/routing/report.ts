import type { LabelledRequest } from './dataset/index.js';
import { completionTokens, tierPrices } from './mock-deployments.js';
import { defaultRouterModel } from '../../src/core/routing/auto/default-router-model.js';

export interface Outcome {
  entry: LabelledRequest;
  tier: string;
  reason: string;
  decisionUs: number;
  routedUsd: number;
  largeUsd: number;
  smallUsd: number;
}

/** One request through the whole stack (router, exact cache, semantic cache): what it cost and which cache answered. */
export interface StackOutcome {
  entry: LabelledRequest;
  usd: number;
  cache: 'exact' | 'semantic' | 'miss';
}

const percent = (part: number, whole: number) => (whole === 0 ? '—' : `${((100 * part) / whole).toFixed(1)}%`);
const usd = (value: number) => `$${value.toFixed(4)}`;
const round = (value: number, digits: number) => Number(value.toFixed(digits));
const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

function table(header: readonly string[], rows: readonly string[][]): string[] {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join('  ');
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)];
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
}

/** The kinds of signal a reason names ("code cues (stack trace)" → "code cues"). */
function reasonKinds(reason: string): string[] {
  const kinds =
    reason.match(
      /explicit hint|budget headroom|latency target|near the boundary|p\(hard\) [\d.]+ >=|(?:code|maths|reasoning|risk) cues|code earlier in the conversation|response schema|\d+ tools|user turns|long instructions|numbers to combine|stacked requirements|prompt tokens >|no hard cues/g,
    ) ?? [];
  return [...new Set(kinds.map((kind) => kind.replace(/^\d+ /, '').replace(/^p\(hard\) [\d.]+ >=$/, 'learned score above the threshold')))];
}

/** The headline figures of one set. `oracle_share`: the share of the oracle's saving the router achieves. */
function summary(outcomes: Outcome[]) {
  const hard = outcomes.filter((outcome) => outcome.entry.label === 'hard');
  const easy = outcomes.filter((outcome) => outcome.entry.label === 'easy');
  const routed = sum(outcomes.map((outcome) => outcome.routedUsd));
  const large = sum(outcomes.map((outcome) => outcome.largeUsd));
  const oracle = sum(outcomes.map((outcome) => (outcome.entry.label === 'hard' ? outcome.largeUsd : outcome.smallUsd)));
  return {
    requests: outcomes.length,
    hard: hard.length,
    hardToSmall: hard.filter((outcome) => outcome.tier === 'small').length / Math.max(1, hard.length),
    easyToLarge: easy.filter((outcome) => outcome.tier !== 'small').length / Math.max(1, easy.length),
    costCut: 1 - routed / large,
    oracleCostCut: 1 - oracle / large,
    oracleShare: (large - routed) / (large - oracle),
  };
}

/** Per-category rates of the blind set: no request, id or reason is shown, only shares. */
function blindByCategory(outcomes: Outcome[]): string[] {
  const categories = [...new Set(outcomes.map((outcome) => outcome.entry.category))].sort();
  return table(
    ['blind category', 'requests', 'hard share', 'hard → small', 'easy → large', 'share of oracle saving'],
    categories.map((category) => {
      const figures = summary(outcomes.filter((outcome) => outcome.entry.category === category));
      return [
        category,
        String(figures.requests),
        percent(figures.hard, figures.requests),
        percent(figures.hardToSmall, 1),
        percent(figures.easyToLarge, 1),
        percent(figures.oracleShare, 1),
      ];
    }),
  );
}

export interface BlindOutcomes {
  outcomes: Outcome[];
  files: number;
  sha256: string;
}

export function report({
  outcomes,
  blind,
  devOnly,
  stack,
  decisionBestUs,
  unique,
  environment,
}: {
  outcomes: Outcome[];
  blind: BlindOutcomes | undefined;
  devOnly: boolean;
  stack: StackOutcome[];
  decisionBestUs: number[];
  unique: number;
  environment: string;
}): string[] {
  const dev = summary(outcomes);
  const blindFigures = blind ? summary(blind.outcomes) : undefined;
  const blindLocales = blind ? new Set(blind.outcomes.map((outcome) => outcome.entry.locale)).size : 0;
  const pair = (pick: (figures: ReturnType<typeof summary>) => string) => [blindFigures ? pick(blindFigures) : '—', pick(dev)];
  const headline = [
    blind
      ? `HEADLINE (blind set, eval/blind/routing: ${blind.outcomes.length} requests, ${blindFigures!.hard} hard, ${blindLocales} locales, ${blind.files} files, sha256 ${blind.sha256}): ` +
        `hard → small ${percent(blindFigures!.hardToSmall, 1)}, cost cut ${percent(blindFigures!.costCut, 1)}, ${percent(blindFigures!.oracleShare, 1)} of the oracle's saving`
      : devOnly
        ? 'blind set not measured (--dev-only): dev figures only, which are in-sample'
        : 'blind set not present (eval/blind/routing/*.jsonl): dev figures only, which are in-sample',
    '',
    ...table(
      ['', 'blind (headline)', 'dev (in-sample)'],
      [
        ['requests (hard)', ...pair((f) => `${f.requests} (${f.hard})`)],
        ['hard requests on small', ...pair((f) => percent(f.hardToSmall, 1))],
        ['easy requests on large', ...pair((f) => percent(f.easyToLarge, 1))],
        ['cost cut vs always-large', ...pair((f) => percent(f.costCut, 1))],
        ['oracle cost cut', ...pair((f) => percent(f.oracleCostCut, 1))],
        ["share of the oracle's saving", ...pair((f) => percent(f.oracleShare, 1))],
      ],
    ),
    ...(blind ? ['', ...blindByCategory(blind.outcomes)] : []),
    `dev is in-sample: the shipped model was trained on it. Out of fold (5 folds, neighbouring paraphrases kept together, each scored by a model trained on the others): ` +
      `${percent(Number(defaultRouterModel.trainedOn?.outOfFoldHardToSmall ?? Number.NaN), 1)} of hard requests below the threshold, ${percent(Number(defaultRouterModel.trainedOn?.outOfFoldEasyToLarge ?? Number.NaN), 1)} of easy ones at or above it (before the margin).`,
    '',
    '— dev set (bench/routing/dataset) in detail —',
  ];
  const hard = outcomes.filter((outcome) => outcome.entry.label === 'hard');
  const easy = outcomes.filter((outcome) => outcome.entry.label === 'easy');
  const hardToSmall = hard.filter((outcome) => outcome.tier === 'small');
  const easyToLarge = easy.filter((outcome) => outcome.tier !== 'small');
  const routed = sum(outcomes.map((outcome) => outcome.routedUsd));
  const large = sum(outcomes.map((outcome) => outcome.largeUsd));
  const small = sum(outcomes.map((outcome) => outcome.smallUsd));
  const oracle = sum(outcomes.map((outcome) => (outcome.entry.label === 'hard' ? outcome.largeUsd : outcome.smallUsd)));
  const decisions = outcomes.map((outcome) => outcome.decisionUs);
  const locales = new Set(outcomes.map((outcome) => outcome.entry.locale));
  const categories = [...new Set(outcomes.map((outcome) => outcome.entry.category))];
  const reasonCounts = new Map<string, number>();
  for (const outcome of outcomes)
    for (const kind of reasonKinds(outcome.reason)) reasonCounts.set(`${outcome.tier} ← ${kind}`, (reasonCounts.get(`${outcome.tier} ← ${kind}`) ?? 0) + 1);
  const costCut = 1 - routed / large;
  // Every category but `product` (the high-volume in-app calls), as measured before `product` joined the set.
  const withoutProduct = outcomes.filter((outcome) => outcome.entry.category !== 'product');
  const costCutWithoutProduct = 1 - sum(withoutProduct.map((o) => o.routedUsd)) / sum(withoutProduct.map((o) => o.largeUsd));
  const stackCostCut = 1 - sum(stack.map((outcome) => outcome.usd)) / large;
  const stackHits = (cache: StackOutcome['cache']) => stack.filter((outcome) => outcome.cache === cache);
  const hardSemanticHits = stackHits('semantic').filter((outcome) => outcome.entry.label === 'hard').length;
  // The best any router can do is the oracle; it depends on the share of hard requests. With
  // this dataset's mean costs per class, the hard share at which the oracle cuts 60%:
  const meanOf = (rows: Outcome[], pick: (outcome: Outcome) => number) => sum(rows.map(pick)) / rows.length;
  const [easyLarge, easySmall, hardLarge] = [meanOf(easy, (o) => o.largeUsd), meanOf(easy, (o) => o.smallUsd), meanOf(hard, (o) => o.largeUsd)];
  // cut(h) = 1 - ((1-h)·Se + h·Lh) / ((1-h)·Le + h·Lh), solved for cut(h) = 0.6.
  const target = 0.6;
  const hardShareFor60 = ((1 - target) * easyLarge - easySmall) / ((1 - target) * easyLarge - easySmall + target * hardLarge);
  return [
    ...headline,
    `bench:routing — ${outcomes.length} labelled requests (${unique} unique; ${easy.length} easy, ${hard.length} hard; ${locales.size} locales: ${[...locales].join(', ')})`,
    `tiers: small = ${tierPrices.small.model} ($${tierPrices.small.price.input}/$${tierPrices.small.price.output} per 1M), large = ${tierPrices.large.model} ($${tierPrices.large.price.input}/$${tierPrices.large.price.output} per 1M); completion tokens easy ${completionTokens.easy}, hard ${completionTokens.hard}; ${environment}`,
    '',
    ...table(
      ['', 'always-large (baseline)', 'auto (router)', 'auto / always-large', 'oracle (labels)', 'always-small'],
      [
        ['cost', usd(large), usd(routed), (routed / large).toFixed(3), usd(oracle), usd(small)],
        ['cost cut vs always-large', '—', percent(large - routed, large), '', percent(large - oracle, large), percent(large - small, large)],
        ['hard requests on small', '0.0%', `${hardToSmall.length}/${hard.length} (${percent(hardToSmall.length, hard.length)})`, '', '0.0%', '100.0%'],
        ['easy requests on large', '100.0%', `${easyToLarge.length}/${easy.length} (${percent(easyToLarge.length, easy.length)})`, '', '0.0%', '0.0%'],
        ['decision p50 / p99 (in gateway)', '—', `${quantile(decisions, 0.5).toFixed(0)} / ${quantile(decisions, 0.99).toFixed(0)} µs`, '', '', ''],
        ['decision p50 / p99 (best of 20)', '—', `${quantile(decisionBestUs, 0.5).toFixed(0)} / ${quantile(decisionBestUs, 0.99).toFixed(0)} µs`, '', '', ''],
      ],
    ),
    '',
    ...table(
      ['category', 'requests', 'hard', 'hard → small', 'easy → large', 'auto / always-large cost'],
      categories.map((category) => {
        const rows = outcomes.filter((outcome) => outcome.entry.category === category);
        const rowsHard = rows.filter((outcome) => outcome.entry.label === 'hard');
        const rowsEasy = rows.filter((outcome) => outcome.entry.label === 'easy');
        return [
          category,
          String(rows.length),
          String(rowsHard.length),
          String(rowsHard.filter((outcome) => outcome.tier === 'small').length),
          `${rowsEasy.filter((outcome) => outcome.tier !== 'small').length}/${rowsEasy.length}`,
          (sum(rows.map((outcome) => outcome.routedUsd)) / sum(rows.map((outcome) => outcome.largeUsd))).toFixed(3),
        ];
      }),
    ),
    '',
    ...table(
      ['decision ← signal named in the reason', 'requests'],
      [...reasonCounts].sort((a, b) => b[1] - a[1]).map(([kind, count]) => [kind, String(count)]),
    ),
    `without the product category (the other ${categories.length - 1} categories, ${withoutProduct.length} requests): the router cuts ${percent(costCutWithoutProduct, 1)}.`,
    `the whole stack (router, then exact and semantic answer caches as serve orders them, each request once in dataset order): cost cut ${percent(stackCostCut, 1)} vs always-large; ` +
      `${stackHits('exact').length} exact and ${stackHits('semantic').length} semantic hits (${hardSemanticHits} of them on hard requests) of ${stack.length} requests.`,
    `oracle ceiling: with ${percent(hard.length, outcomes.length)} hard requests no router can cut more than ${percent(large - oracle, large)} without sending hard requests small; at these per-class costs a 60% cut needs ≤ ${percent(hardShareFor60, 1)} hard requests.`,
    '',
    'hard requests routed small:',
    ...(hardToSmall.length === 0
      ? ['  (none)']
      : [...new Map(hardToSmall.map((outcome) => [outcome.entry.id, outcome])).values()].map((outcome) => `  ${outcome.entry.id} [${outcome.entry.locale}]: ${outcome.reason}`)),
    'easy requests routed large (unique):',
    ...[...new Map(easyToLarge.map((outcome) => [outcome.entry.id, outcome])).values()].map((outcome) => `  ${outcome.entry.id} [${outcome.entry.locale}]: ${outcome.reason}`),
    '',
    JSON.stringify({
      requests: outcomes.length,
      unique_requests: unique,
      hard: hard.length,
      cost_cut: round(costCut, 4),
      hard_to_small: round(hardToSmall.length / hard.length, 4),
      easy_to_large: round(easyToLarge.length / easy.length, 4),
      oracle_cost_cut: round(1 - oracle / large, 4),
      always_small_cost_cut: round(1 - small / large, 4),
      routed_cost_usd: round(routed, 6),
      always_large_cost_usd: round(large, 6),
      decision_p50_us: round(quantile(decisionBestUs, 0.5), 1),
      decision_p99_us: round(quantile(decisionBestUs, 0.99), 1),
      decision_in_gateway_p99_us: round(quantile(decisions, 0.99), 1),
      hard_share_for_60pct_oracle: round(hardShareFor60, 4),
      cost_cut_without_product: round(costCutWithoutProduct, 4),
      stack_cost_cut: round(stackCostCut, 4),
      stack_exact_hits: stackHits('exact').length,
      stack_semantic_hits: stackHits('semantic').length,
      oracle_share: round(dev.oracleShare, 4),
      ...(blindFigures && blind
        ? {
            blind_requests: blindFigures.requests,
            blind_hard: blindFigures.hard,
            blind_cost_cut: round(blindFigures.costCut, 4),
            blind_hard_to_small: round(blindFigures.hardToSmall, 4),
            blind_easy_to_large: round(blindFigures.easyToLarge, 4),
            blind_oracle_cost_cut: round(blindFigures.oracleCostCut, 4),
            blind_oracle_share: round(blindFigures.oracleShare, 4),
            blind_sha256: blind.sha256,
          }
        : {}),
    }),
  ];
}
