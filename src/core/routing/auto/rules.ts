import { z } from 'zod';
import { formatPath } from '../../errors/format-path.js';
import type { Result } from '../../result.js';

/**
 * The rules of an `auto` alias, as data (YAML config). Rules are tried in order and the first
 * whose condition holds picks the tier; when none holds, `default` does. Within one condition
 * every field must hold; `any` holds when one of its conditions does.
 */
export interface Condition {
  /** The explicit hint (`x-breakwater-route-hint`) equals this. */
  hint?: string | undefined;
  /** Share of the key's budget still free is below this (0..1); never holds for keys without a budget. */
  budgetHeadroomBelow?: number | undefined;
  latencyTargetBelowMs?: number | undefined;
  promptTokensAbove?: number | undefined;
  /** At least this many code cues (true: one). */
  codeCues?: boolean | number | undefined;
  mathCues?: boolean | number | undefined;
  reasoningCues?: boolean | number | undefined;
  schemaComplexityAbove?: number | undefined;
  toolsAtLeast?: number | undefined;
  /** More user turns than this. */
  depthAbove?: number | undefined;
  /** The difficulty score (difficulty.ts) is at least this. */
  scoreAtLeast?: number | undefined;
  /**
   * The learned scorer puts the request's probability of being hard at or above the model's
   * threshold less `margin`: near the boundary the larger tier answers.
   */
  likelyHard?: boolean | undefined;
  any?: Condition[] | undefined;
}

export interface RouteRule {
  when: Condition;
  tier: string;
  /** Leads the route reason; the features that matched follow it. */
  reason?: string | undefined;
}

export interface AutoRouteConfig {
  tiers: Array<{ name: string; alias: string }>;
  default: string;
  /** A hint naming a tier wins over every rule. */
  hints: boolean;
  rules: RouteRule[];
  /** A model file written by `breakwater router train`; unset: the model shipped with Breakwater. */
  model?: string | undefined;
  /** Overrides the model's own threshold (probability of "hard", 0..1). */
  threshold?: number | undefined;
  /** Below the threshold by less than this, a request still goes to the larger tier. */
  margin: number;
}

const cueCount = z.union([z.boolean(), z.number().int().min(1)]);

const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z
    .object({
      hint: z.string().min(1).optional(),
      budgetHeadroomBelow: z.number().min(0).max(1).optional(),
      latencyTargetBelowMs: z.number().positive().optional(),
      promptTokensAbove: z.number().int().nonnegative().optional(),
      codeCues: cueCount.optional(),
      mathCues: cueCount.optional(),
      reasoningCues: cueCount.optional(),
      schemaComplexityAbove: z.number().nonnegative().optional(),
      toolsAtLeast: z.number().int().min(1).optional(),
      depthAbove: z.number().int().nonnegative().optional(),
      scoreAtLeast: z.number().nonnegative().optional(),
      likelyHard: z.literal(true).optional(),
      any: z.array(conditionSchema).min(1).optional(),
    })
    .strict()
    .refine((condition) => Object.values(condition).some((value) => value !== undefined), {
      message: 'an empty condition always holds; give it a field, or use `default` for the fallback tier',
    }),
);

const ruleSchema = z
  .object({
    when: conditionSchema,
    tier: z.string().min(1),
    reason: z.string().min(1).optional(),
  })
  .strict();

/**
 * The default rules, for tiers named `small` and `large`: an explicit hint wins (`hints`);
 * near the budget limit (under 10% left) and under a tight latency target the small tier
 * answers; a prompt over 12,000 tokens, or a request the learned scorer finds likely hard (at
 * or above its threshold less the margin), goes to the large tier; everything else to the
 * small one.
 */
export const defaultRouteRules: readonly RouteRule[] = [
  { when: { budgetHeadroomBelow: 0.1 }, tier: 'small', reason: 'near the budget limit' },
  { when: { latencyTargetBelowMs: 1500 }, tier: 'small', reason: 'tight latency target' },
  // Few labelled requests are this long, so the learned scorer has little to say about them;
  // small models lose the thread of a long context first.
  { when: { promptTokensAbove: 12_000 }, tier: 'large', reason: 'very long prompt' },
  { when: { likelyHard: true }, tier: 'large', reason: 'hard request' },
];

export const autoRouteConfigSchema = z
  .object({
    tiers: z.array(z.object({ name: z.string().min(1), alias: z.string().min(1) }).strict()).min(1),
    default: z.string().min(1).default('small'),
    hints: z.boolean().default(true),
    rules: z.array(ruleSchema).default(() => defaultRouteRules.map((rule) => ({ ...rule }))),
    model: z.string().min(1).optional(),
    threshold: z.number().gt(0).lt(1).optional(),
    margin: z.number().min(0).max(0.5).default(0.05),
  })
  .strict()
  .superRefine((config, context) => {
    const names = new Set<string>();
    config.tiers.forEach((tier, index) => {
      if (names.has(tier.name)) context.addIssue({ code: 'custom', path: ['tiers', index, 'name'], message: `tier "${tier.name}" is declared twice; give each tier its own name` });
      names.add(tier.name);
    });
    const declared = [...names].map((name) => `"${name}"`).join(', ');
    if (!names.has(config.default)) context.addIssue({ code: 'custom', path: ['default'], message: `names no tier ("${config.default}"); use one of ${declared}` });
    config.rules.forEach((rule, index) => {
      if (!names.has(rule.tier)) {
        context.addIssue({
          code: 'custom',
          path: ['rules', index, 'tier'],
          message: `names no tier ("${rule.tier}"); use one of ${declared} (the default rules need tiers "small" and "large")`,
        });
      }
    });
  });

export type AutoRouteConfigInput = z.input<typeof autoRouteConfigSchema>;

/** Parses one alias's router config; errors read `rules[1].when.codeCues: …`. */
export function parseAutoRouteConfig(raw: unknown): Result<AutoRouteConfig, string[]> {
  const parsed = autoRouteConfigSchema.safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    error: parsed.error.issues.map((issue) => {
      const at = issue.path.length === 0 ? '(top level)' : formatPath(issue.path);
      return issue.code === 'unrecognized_keys' ? `${at}: unknown setting(s) ${issue.keys.join(', ')}` : `${at}: ${issue.message}`;
    }),
  };
}
