import type { CallContext, ModelMiddleware } from '../../gateway/call-context.js';
import type { SchemaValidator } from '../../extraction/schema-validator.js';
import { costOf } from '../../pricing/pricing.js';
import type { AliasRoute } from '../../routing/alias-route.js';
import type { ChatCompletion } from '../../../wire/chat.js';
import { cascadeReservationRoute } from './cascade-route.js';
import { judgeStructuredAnswer, structuredSchemaOf } from './structured-answer.js';

export interface CascadeTier {
  tier: string;
  route: AliasRoute;
}

export interface StructuredCascadeOptions {
  /**
   * For each `auto` alias with the cascade on, its tiers dearest first: a call escalates to
   * the first of them the key may use.
   */
  escalations: ReadonlyMap<string, readonly CascadeTier[]>;
  /** Output tokens of an answer that came without usage (the gateway's tokenizer). */
  countTokens(text: string): number;
}

/** The two halves of the cascade; they share what `plan` decided per call. */
export interface StructuredCascade {
  /**
   * After the router and the caches, before PII and the budget: takes the call over when the
   * router chose a cheaper tier than the dearest one the key may use, and widens the route the
   * budget reserves against to cover both attempts.
   */
  plan: ModelMiddleware;
  /** Innermost, after the budget: the first tier's attempt, the schema check, the escalation. */
  attempt: ModelMiddleware;
}

interface Plan {
  first: AliasRoute;
  escalation: CascadeTier;
  validator: SchemaValidator;
}

/**
 * The structured-call cascade of `auto` aliases: a non-streaming call with
 * `response_format: json_schema` that the router sent to a cheaper tier is answered there
 * when the answer parses and validates against the request's schema, and otherwise sent once
 * to the dearest tier the key may use, whose answer the client gets. Both attempts are
 * charged: the budget reserves for both up front, and the discarded answer's tokens and cost
 * are added to the call's (`context.cascade.firstCostUsd` says how much of it was the first).
 * A call the router already sent to the dearest tier, a stream (its chunks reach the client
 * before the answer is whole) and a cache hit are left alone.
 */
export function structuredCascade(options: StructuredCascadeOptions): StructuredCascade {
  const plans = new WeakMap<CallContext, Plan>();
  return {
    plan: async (context, next) => {
      const tiers = options.escalations.get(context.requestedAlias);
      const input = context.input;
      if (!tiers || !context.routeDecision || context.stream || input.operation !== 'chat') return next();
      const allowed = context.key.allowedModels;
      const escalation = tiers.find((tier) => allowed === null || allowed.includes(tier.route.alias));
      if (!escalation || escalation.route.alias === context.route.alias) return next();
      const validator = structuredSchemaOf(input.request);
      if (!validator) return next();
      plans.set(context, { first: context.route, escalation, validator });
      context.cascade = { first: context.route.alias, escalation: escalation.route.alias, outcome: 'pending', firstCostUsd: 0 };
      context.route = cascadeReservationRoute(context.route, escalation.route);
      return next();
    },

    attempt: async (context, next) => {
      const plan = plans.get(context);
      const cascade = context.cascade;
      if (!plan || !cascade) return next();
      context.route = plan.first;
      const first = await next();
      if (first.kind !== 'completion') return first;
      const verdict = judgeStructuredAnswer(first.completion, plan.validator);
      if (verdict.ok) {
        cascade.outcome = 'answered';
        return first;
      }
      const spent = firstAttemptSpend(context, first.completion, options.countTokens);
      cascade.outcome = 'escalated';
      cascade.firstCostUsd = spent.costUsd;
      // The gateway accounts only the answer it returns (and abandoned attempts, which stay in
      // `progress.unanswered` at their own price). Deferred steps run innermost first, so this
      // one adds the discarded answer before the budget settles and the ledger writes the row.
      context.defer(() => {
        context.costUsd += spent.costUsd;
        context.usage = { inputTokens: context.usage.inputTokens + spent.inputTokens, outputTokens: context.usage.outputTokens + spent.outputTokens };
      });
      const decided = context.routeDecision;
      context.routeDecision = {
        tier: plan.escalation.tier,
        reason: `${decided ? `${decided.reason}; ` : ''}cascade: the ${decided?.tier ?? plan.first.alias} answer failed the schema (${verdict.reason}), escalated`,
      };
      context.route = plan.escalation.route;
      return next();
    },
  };
}

function firstAttemptSpend(
  context: CallContext,
  completion: ChatCompletion,
  countTokens: (text: string) => number,
): { inputTokens: number; outputTokens: number; costUsd: number } {
  const inputTokens = completion.usage?.prompt_tokens ?? context.estimatedInputTokens;
  const outputTokens = completion.usage?.completion_tokens ?? countTokens(completion.choices.map((choice) => choice.message.content ?? '').join(''));
  const deployment = context.progress.deployment;
  return { inputTokens, outputTokens, costUsd: deployment ? costOf(deployment.price, inputTokens, outputTokens) : 0 };
}
