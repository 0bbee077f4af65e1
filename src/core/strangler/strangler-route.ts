import { createHash } from 'node:crypto';
import { BreakwaterError, toBreakwaterError } from '../errors/breakwater-error.js';
import { SchemaValidator } from '../extraction/schema-validator.js';
import { parseModelJson } from '../extraction/parse-model-json.js';
import type { Gateway } from '../gateway/gateway.js';
import type { JsonPoster } from '../ports/json-poster.js';
import type { VirtualKey } from '../ports/store.js';
import type { PromptRegistry } from '../prompts/prompt-registry.js';
import { promptedChatBody } from '../prompts/prompted-request.js';
import type { ChatRequest } from '../../wire/chat.js';

/** A strangler route as core runs it (the validated `strangler.<name>` config). */
export interface StranglerDefinition {
  /** The existing handler: POSTed the caller's input as JSON, answers JSON. */
  legacy: { url: string; headers: Record<string, string>; timeoutMs: number };
  /** The AI path: a registry prompt rendered with the input's fields as its variables. */
  ai: { prompt: string; label: string; model?: string | undefined };
  /** JSON Schema the AI side's answer must meet; a failure counts against it and the caller gets the legacy answer. */
  schema?: Record<string, unknown> | undefined;
  /** Share of end users (sticky: hashed user id) sent to the AI side, 0–100. */
  percent: number;
  rollback: { maxFailureRate: number; windowMs: number; minRequests: number };
}

export type StranglerSide = 'ai' | 'legacy';

/** Why a request went where it went: the split, a rollback in force, or a failed AI answer replaced by legacy's. */
export type StranglerReason = 'split' | 'rolled-back' | 'ai-error' | 'ai-schema-failure';

export interface StranglerDecision {
  side: StranglerSide;
  reason: StranglerReason;
  answer: unknown;
  /** The AI side's failure code, when it failed. */
  failure?: string;
}

export interface StranglerRouteOptions {
  name: string;
  definition: StranglerDefinition;
  gateway: Gateway;
  prompts: PromptRegistry;
  poster: JsonPoster;
  onDecision?: (route: string, decision: StranglerDecision) => void;
  onRollback?: (route: string, failureRate: number, requests: number) => void;
  now?: () => number;
}

/**
 * A strangler-fig migration of one route: a sticky share of end users goes to the AI path, the
 * rest to the legacy handler. An AI answer that fails (error, or not valid against the schema)
 * is replaced by the legacy answer for that caller and counted; when the failures in the last
 * `rollback.windowMs` reach `maxFailureRate` over at least `minRequests` AI requests, the route
 * rolls back — every request goes to legacy — until an operator resumes it. The window and
 * the rollback are per node.
 */
export class StranglerRoute {
  private outcomes: Array<{ at: number; failed: boolean }> = [];
  private rolledBack: { at: number; failureRate: number; requests: number } | undefined;
  private readonly now: () => number;
  private readonly validator: SchemaValidator | undefined;

  constructor(private readonly options: StranglerRouteOptions) {
    this.now = options.now ?? Date.now;
    this.validator = options.definition.schema ? SchemaValidator.compile(options.definition.schema) : undefined;
  }

  get name(): string {
    return this.options.name;
  }

  status(): { percent: number; rolledBack: { at: number; failureRate: number; requests: number } | null; window: { requests: number; failures: number } } {
    this.prune();
    return {
      percent: this.options.definition.percent,
      rolledBack: this.rolledBack ?? null,
      window: { requests: this.outcomes.length, failures: this.outcomes.filter((outcome) => outcome.failed).length },
    };
  }

  /** Sends traffic to the AI side again (after a rollback), with an empty window. */
  resume(): void {
    this.rolledBack = undefined;
    this.outcomes = [];
  }

  async handle(key: VirtualKey, user: string | undefined, input: Record<string, unknown>, signal: AbortSignal): Promise<StranglerDecision> {
    const decision = await this.decide(key, user, input, signal);
    this.options.onDecision?.(this.name, decision);
    return decision;
  }

  private async decide(key: VirtualKey, user: string | undefined, input: Record<string, unknown>, signal: AbortSignal): Promise<StranglerDecision> {
    if (this.rolledBack) return { side: 'legacy', reason: 'rolled-back', answer: await this.legacy(input, signal) };
    if (!this.inAiShare(`${key.tenant}\0${user ?? key.id}`)) return { side: 'legacy', reason: 'split', answer: await this.legacy(input, signal) };
    let failure: { reason: StranglerReason; code: string } | undefined;
    let answer: unknown;
    try {
      answer = await this.ai(key, input, signal);
      const checked = this.validator?.validate(answer);
      if (checked && !checked.ok) failure = { reason: 'ai-schema-failure', code: 'SCHEMA_FAILURE' };
    } catch (thrown) {
      // A caller that left is not the AI side's failure.
      if (signal.aborted) throw thrown;
      failure = { reason: 'ai-error', code: toBreakwaterError(thrown).code };
    }
    this.count(failure !== undefined);
    if (!failure) return { side: 'ai', reason: 'split', answer };
    return { side: 'legacy', reason: failure.reason, failure: failure.code, answer: await this.legacy(input, signal) };
  }

  /** Sticky per end user: the same user always lands on the same side for a given percentage. */
  private inAiShare(user: string): boolean {
    const bucket = createHash('sha256').update(`${this.name}\0${user}`).digest().readUInt32BE(0) % 10_000;
    return bucket < this.options.definition.percent * 100;
  }

  private count(failed: boolean): void {
    this.outcomes.push({ at: this.now(), failed });
    this.prune();
    const { maxFailureRate, minRequests } = this.options.definition.rollback;
    const failures = this.outcomes.filter((outcome) => outcome.failed).length;
    if (this.outcomes.length >= minRequests && failures / this.outcomes.length >= maxFailureRate && !this.rolledBack) {
      this.rolledBack = { at: this.now(), failureRate: failures / this.outcomes.length, requests: this.outcomes.length };
      this.options.onRollback?.(this.name, this.rolledBack.failureRate, this.rolledBack.requests);
    }
  }

  private prune(): void {
    const since = this.now() - this.options.definition.rollback.windowMs;
    let first = 0;
    while (first < this.outcomes.length && this.outcomes[first]!.at < since) first++;
    if (first > 0) this.outcomes = this.outcomes.slice(first);
  }

  private async ai(key: VirtualKey, input: Record<string, unknown>, signal: AbortSignal): Promise<unknown> {
    const { ai } = this.options.definition;
    const version = await this.options.prompts.resolve(key.tenant, { name: ai.prompt, label: ai.label });
    const variables = Object.fromEntries(Object.entries(input).filter(([name]) => Object.hasOwn(version.variables, name)));
    const body = promptedChatBody(version, variables, ai.model ? { model: ai.model } : {}) as ChatRequest;
    const { outcome } = await this.options.gateway.call({
      requestId: `strangler.${this.name}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`,
      key,
      input: { operation: 'chat', request: body },
      stream: false,
      cacheControl: { noStore: false, noCache: false },
      signal,
      startedAt: performance.now(),
      prompt: { name: version.name, version: version.version, label: ai.label },
    });
    if (outcome.kind !== 'completion') throw new BreakwaterError('INTERNAL_ERROR', 'The AI path got a non-completion answer.');
    const text = outcome.completion.choices[0]?.message.content ?? '';
    const parsed = parseModelJson(text);
    return parsed.ok ? parsed.value : text;
  }

  private async legacy(input: Record<string, unknown>, signal: AbortSignal): Promise<unknown> {
    const { legacy } = this.options.definition;
    const timeout = AbortSignal.any([signal, AbortSignal.timeout(legacy.timeoutMs)]);
    let answer: { status: number; body: unknown };
    try {
      answer = await this.options.poster.post(legacy.url, input, { headers: legacy.headers, signal: timeout });
    } catch (error) {
      throw new BreakwaterError('GATEWAY_UPSTREAM_UNAVAILABLE', `The legacy handler of route "${this.name}" did not answer; retry shortly.`, { cause: error });
    }
    if (answer.status >= 400 || answer.body === undefined) {
      throw new BreakwaterError('GATEWAY_UPSTREAM_ERROR', `The legacy handler of route "${this.name}" answered HTTP ${answer.status}.`, { retryable: answer.status >= 500 });
    }
    return answer.body;
  }
}
