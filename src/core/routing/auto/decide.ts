import { difficulty, formatCount, type Difficulty } from './difficulty.js';
import type { RouteFeatures } from './features.js';
import type { AutoRouteConfig, Condition } from './rules.js';
import { defaultRouterModel } from './default-router-model.js';
import { scoreRoute, type RouteScore, type RouterModel } from './router-model.js';
import { routeVector } from './route-vector.js';

export interface RouteDecision {
  tier: string;
  /** The alias the tier routes to. */
  alias: string;
  /** ASCII (it travels in `x-breakwater-route-reason`), naming the features that decided. */
  reason: string;
  /** The learned scorer's probability that the request is hard, when a rule or the reason asked for it. */
  probability?: number | undefined;
}

/** Both scores, each computed once and only when a rule (or the reason) reads it. */
interface Scores {
  difficulty(): Difficulty;
  learned(): RouteScore;
  model: RouterModel;
  threshold: number;
  margin: number;
}

/**
 * Picks the tier of one request: a hint naming a tier (when `hints` is on), else the first
 * rule whose condition holds, else the default tier.
 */
export function decideRoute(features: RouteFeatures, config: AutoRouteConfig, model: RouterModel = defaultRouterModel): RouteDecision {
  const aliasOf = (tier: string) => config.tiers.find((candidate) => candidate.name === tier)?.alias ?? tier;
  const tokens = `${formatCount(features.promptTokens)} prompt tokens`;
  let ignoredHint = '';
  if (features.hint !== undefined && config.hints) {
    if (config.tiers.some((tier) => tier.name === features.hint)) {
      return { tier: features.hint, alias: aliasOf(features.hint), reason: `explicit hint "${features.hint}"; ${tokens}` };
    }
    ignoredHint = `; hint "${ascii(features.hint)}" names no tier, ignored`;
  }
  let scored: Difficulty | undefined;
  let learned: RouteScore | undefined;
  const scores: Scores = {
    difficulty: () => (scored ??= difficulty(features)),
    learned: () => (learned ??= scoreRoute(model, routeVector(features))),
    model,
    threshold: config.threshold ?? model.threshold,
    margin: config.margin,
  };
  const probability = () => learned?.probability;
  for (const rule of config.rules) {
    const matched = holds(rule.when, features, scores);
    if (!matched) continue;
    const because = matched.join('; ');
    const withTokens = because.includes('prompt tokens') ? because : `${because}; ${tokens}`;
    return { tier: rule.tier, alias: aliasOf(rule.tier), reason: `${rule.reason ? `${rule.reason}: ` : ''}${withTokens}${ignoredHint}`, probability: probability() };
  }
  const { score: points, signals } = scores.difficulty();
  const weak = signals.length === 0 ? 'no hard cues' : `difficulty ${points} (${signals.map((signal) => signal.label).join('; ')})`;
  const learnedPart = learned ? `p(hard) ${learned.probability.toFixed(2)} < ${(scores.threshold - scores.margin).toFixed(2)} (${topFeatures(learned, false)}); ` : '';
  return { tier: config.default, alias: aliasOf(config.default), reason: `default: ${learnedPart}${weak}; ${tokens}${ignoredHint}`, probability: probability() };
}

/**
 * The three features that pushed hardest towards the side chosen (towards "hard" for the large
 * tier, "easy" for the small one), with their weights.
 */
function topFeatures(score: RouteScore, towardsHard: boolean): string {
  const top = score.contributions
    .filter((item) => (towardsHard ? item.weight > 0 : item.weight < 0))
    .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight))
    .slice(0, 3);
  if (top.length === 0) return 'no single feature';
  return `top: ${top.map((item) => `${ascii(item.feature)} ${item.weight >= 0 ? '+' : ''}${item.weight.toFixed(2)}`).join(', ')}`;
}

/** The hand-written difficulty signals behind the `difficulty score` feature, when there are any. */
function signalsOf(scored: Difficulty): string {
  return scored.signals.length === 0 ? '' : `; ${scored.signals.map((signal) => signal.label).join('; ')}`;
}

/** The phrases naming why the condition holds, or undefined when it does not. */
function holds(condition: Condition, features: RouteFeatures, scores: Scores): string[] | undefined {
  const phrases: string[] = [];
  if (condition.hint !== undefined) {
    if (features.hint !== condition.hint.toLowerCase()) return undefined;
    phrases.push(`hint "${condition.hint}"`);
  }
  if (condition.budgetHeadroomBelow !== undefined) {
    if (features.budgetHeadroom === undefined || features.budgetHeadroom >= condition.budgetHeadroomBelow) return undefined;
    phrases.push(`budget headroom ${percent(features.budgetHeadroom)} < ${percent(condition.budgetHeadroomBelow)}`);
  }
  if (condition.latencyTargetBelowMs !== undefined) {
    if (features.latencyTargetMs === undefined || features.latencyTargetMs >= condition.latencyTargetBelowMs) return undefined;
    phrases.push(`latency target ${formatCount(features.latencyTargetMs)} ms < ${formatCount(condition.latencyTargetBelowMs)} ms`);
  }
  if (condition.promptTokensAbove !== undefined) {
    if (features.promptTokens <= condition.promptTokensAbove) return undefined;
    phrases.push(`${formatCount(features.promptTokens)} prompt tokens > ${formatCount(condition.promptTokensAbove)}`);
  }
  for (const [key, category] of [
    ['codeCues', 'code'],
    ['mathCues', 'maths'],
    ['reasoningCues', 'reasoning'],
  ] as const) {
    const wanted = condition[key];
    if (wanted === undefined) continue;
    const found = features[key];
    const least = wanted === true ? 1 : wanted === false ? 0 : wanted;
    if (wanted === false ? found.length > 0 : found.length < least) return undefined;
    phrases.push(found.length > 0 ? `${category} cues (${found.join(', ')})` : `no ${category} cues`);
  }
  if (condition.schemaComplexityAbove !== undefined) {
    if (!features.schema || features.schema.score <= condition.schemaComplexityAbove) return undefined;
    phrases.push(`response schema complexity ${features.schema.score} > ${condition.schemaComplexityAbove}`);
  }
  if (condition.toolsAtLeast !== undefined) {
    if (features.tools < condition.toolsAtLeast) return undefined;
    phrases.push(`${features.tools} tools`);
  }
  if (condition.depthAbove !== undefined) {
    if (features.turns <= condition.depthAbove) return undefined;
    phrases.push(`${features.turns} user turns`);
  }
  if (condition.scoreAtLeast !== undefined) {
    const { score: points, signals } = scores.difficulty();
    if (points < condition.scoreAtLeast) return undefined;
    phrases.push(`difficulty ${points} >= ${condition.scoreAtLeast} from ${signals.map((signal) => signal.label).join('; ')}`);
  }
  if (condition.likelyHard) {
    const learned = scores.learned();
    const { threshold, margin } = scores;
    if (learned.probability < threshold - margin) return undefined;
    const p = learned.probability.toFixed(2);
    const why = `${topFeatures(learned, true)}${signalsOf(scores.difficulty())}`;
    phrases.push(
      learned.probability >= threshold
        ? `p(hard) ${p} >= ${threshold.toFixed(2)} (${why})`
        : `near the boundary, larger tier: p(hard) ${p} within ${margin.toFixed(2)} of ${threshold.toFixed(2)} (${why})`,
    );
  }
  if (condition.any !== undefined) {
    const first = condition.any.map((option) => holds(option, features, scores)).find((matched) => matched !== undefined);
    if (!first) return undefined;
    phrases.push(...first);
  }
  return phrases;
}

function percent(fraction: number): string {
  return `${Math.round(fraction * 1000) / 10}%`;
}

/** Header values must be visible ASCII; a client's hint is echoed back only in that form. */
function ascii(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?').slice(0, 40);
}
