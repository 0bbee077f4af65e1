import { createHash, randomBytes } from 'node:crypto';
import { BreakwaterError, toBreakwaterError } from '../errors/breakwater-error.js';
import { SchemaValidator } from '../extraction/schema-validator.js';
import { parseModelJson } from '../extraction/parse-model-json.js';
import type { Gateway } from '../gateway/gateway.js';
import type { JsonPoster } from '../ports/json-poster.js';
import type { VirtualKey } from '../ports/store.js';
import type { StranglerLedgerRow, StranglerStore } from '../ports/strangler-store.js';
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
  /** The route request's id: its strangler ledger row, and the AI call's usage ledger row. */
  requestId: string;
}

export interface StranglerRouteOptions {
  name: string;
  definition: StranglerDefinition;
  gateway: Gateway;
  prompts: PromptRegistry;
  poster: JsonPoster;
  /** The decision ledger and the shared rollback state (every node of a PostgreSQL store reads the same). */
  store: StranglerStore;
  onDecision?: (route: string, decision: { side: StranglerSide; reason: StranglerReason }) => void;
  /** This node rolled the route back (called once per rollback, on the node that crossed the threshold). */
  onRollback?: (route: string, failureRate: number, requests: number) => void;
  /** The rollback state as last read (each request reads it). */
  onState?: (route: string, rolledBack: boolean) => void;
  now?: () => number;
}

export interface StranglerStatus {
  percent: number;
  rolledBack: { at: number; failureRate: number; requests: number } | null;
  window: { requests: number; failures: number; from: number };
}

/**
 * A strangler-fig migration of one route: a sticky share of end users goes to the AI path, the
 * rest to the legacy handler. An AI answer that fails (error, or not valid against the schema)
 * is replaced by the legacy answer for that caller and counted; when the failures in the last
 * `rollback.windowMs` reach `maxFailureRate` over at least `minRequests` AI requests, the route
 * rolls back — every request goes to legacy — until an operator resumes it.
 *
 * Every request is a row of the strangler ledger (side, reason, failure, latency), and so are
 * the rollback (with the failure rate that caused it) and each resume. The window is counted
 * from that ledger and the rollback is kept in the store, so on a shared store every node sees
 * the same window and the same rollback.
 */
export class StranglerRoute {
  private readonly now: () => number;
  private readonly validator: SchemaValidator | undefined;

  constructor(private readonly options: StranglerRouteOptions) {
    this.now = options.now ?? Date.now;
    this.validator = options.definition.schema ? SchemaValidator.compile(options.definition.schema) : undefined;
  }

  get name(): string {
    return this.options.name;
  }

  async status(): Promise<StranglerStatus> {
    const state = await this.options.store.state(this.name);
    this.options.onState?.(this.name, state.rolledBack !== null);
    const from = this.windowStart(state.windowFrom);
    return { percent: this.options.definition.percent, rolledBack: state.rolledBack, window: { ...(await this.options.store.window(this.name, from)), from } };
  }

  /** Sends traffic to the AI side again (after a rollback), with an empty window, on every node. */
  async resume(actor: string): Promise<void> {
    const at = this.now();
    await this.options.store.resume(this.name, { ...emptyRow(this.name, `resume.${at.toString(36)}`, at), event: 'resume', reason: 'operator', actor });
    this.options.onState?.(this.name, false);
  }

  /** The route's ledger, newest first. */
  ledger(query: { limit: number; beforeId?: number }) {
    return this.options.store.list(this.name, query);
  }

  async handle(key: VirtualKey, user: string | undefined, input: Record<string, unknown>, signal: AbortSignal): Promise<StranglerDecision> {
    const started = performance.now();
    const requestId = `rt_${randomBytes(12).toString('hex')}`;
    const row: StranglerLedgerRow = { ...emptyRow(this.name, requestId, 0), tenant: key.tenant, keyId: key.id };
    const finished = () => ({ ...row, at: this.now(), latencyMs: Math.round((performance.now() - started) * 10) / 10 });
    let decision: StranglerDecision;
    try {
      decision = await this.decide(key, user, input, signal, row);
    } catch (error) {
      // A request no side could answer (the legacy handler failed too, or the caller left) is a row as well.
      await this.record(finished()).catch(() => {});
      throw error;
    }
    this.options.onDecision?.(this.name, decision);
    await this.record(finished());
    return decision;
  }

  private async decide(key: VirtualKey, user: string | undefined, input: Record<string, unknown>, signal: AbortSignal, row: StranglerLedgerRow): Promise<StranglerDecision> {
    const state = await this.options.store.state(this.name);
    this.options.onState?.(this.name, state.rolledBack !== null);
    const legacy = async (reason: StranglerReason, failure?: string): Promise<StranglerDecision> => {
      Object.assign(row, { reason, failure: failure ?? null });
      const answer = await this.legacy(input, signal, row);
      row.side = 'legacy';
      return { side: 'legacy', reason, answer, requestId: row.requestId, ...(failure ? { failure } : {}) };
    };
    if (state.rolledBack) return legacy('rolled-back');
    if (!this.inAiShare(`${key.tenant}\0${user ?? key.id}`)) return legacy('split');
    let failure: { reason: StranglerReason; code: string } | undefined;
    let answer: unknown;
    row.aiAttempted = true;
    try {
      answer = await this.ai(key, input, signal, row);
      const checked = this.validator?.validate(answer);
      if (checked && !checked.ok) failure = { reason: 'ai-schema-failure', code: 'SCHEMA_FAILURE' };
    } catch (thrown) {
      // A caller that left is not the AI side's failure.
      if (signal.aborted) {
        row.aiAttempted = false;
        throw thrown;
      }
      failure = { reason: 'ai-error', code: toBreakwaterError(thrown).code };
    }
    row.aiFailed = failure !== undefined;
    if (!failure) {
      Object.assign(row, { side: 'ai', reason: 'split' });
      return { side: 'ai', reason: 'split', answer, requestId: row.requestId };
    }
    return legacy(failure.reason, failure.code);
  }

  /** Sticky per end user: the same user always lands on the same side for a given percentage. */
  private inAiShare(user: string): boolean {
    const bucket = createHash('sha256').update(`${this.name}\0${user}`).digest().readUInt32BE(0) % 10_000;
    return bucket < this.options.definition.percent * 100;
  }

  /** Writes the request's ledger row; an AI attempt then checks the window (every node's attempts) for a rollback. */
  private async record(row: StranglerLedgerRow): Promise<void> {
    const { store } = this.options;
    await store.append(row);
    if (!row.aiAttempted) return;
    const state = await store.state(this.name);
    if (state.rolledBack) return;
    const window = await store.window(this.name, this.windowStart(state.windowFrom));
    const { maxFailureRate, minRequests } = this.options.definition.rollback;
    if (window.requests < minRequests || window.failures / window.requests < maxFailureRate) return;
    const failureRate = window.failures / window.requests;
    const at = this.now();
    const rollback: StranglerLedgerRow = {
      ...emptyRow(this.name, row.requestId, at),
      event: 'rollback',
      side: 'legacy',
      reason: 'failure-rate',
      failure: row.failure,
      failureRate,
      windowRequests: window.requests,
    };
    if (await store.rollBack(this.name, rollback)) {
      this.options.onState?.(this.name, true);
      this.options.onRollback?.(this.name, failureRate, window.requests);
    }
  }

  private windowStart(windowFrom: number): number {
    return Math.max(this.now() - this.options.definition.rollback.windowMs, windowFrom);
  }

  private async ai(key: VirtualKey, input: Record<string, unknown>, signal: AbortSignal, row: StranglerLedgerRow): Promise<unknown> {
    const { ai } = this.options.definition;
    const version = await this.options.prompts.resolve(key.tenant, { name: ai.prompt, label: ai.label });
    const variables = Object.fromEntries(Object.entries(input).filter(([name]) => Object.hasOwn(version.variables, name)));
    Object.assign(row, { promptName: version.name, promptVersion: version.version });
    const body = promptedChatBody(version, variables, ai.model ? { model: ai.model } : {}) as ChatRequest;
    const { outcome } = await this.options.gateway.call({
      requestId: row.requestId,
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

  private async legacy(input: Record<string, unknown>, signal: AbortSignal, row: StranglerLedgerRow): Promise<unknown> {
    const { legacy } = this.options.definition;
    const timeout = AbortSignal.any([signal, AbortSignal.timeout(legacy.timeoutMs)]);
    let answer: { status: number; body: unknown };
    try {
      answer = await this.options.poster.post(legacy.url, input, { headers: legacy.headers, signal: timeout });
    } catch (error) {
      row.failure = 'LEGACY_UNAVAILABLE';
      throw new BreakwaterError('GATEWAY_UPSTREAM_UNAVAILABLE', `The legacy handler of route "${this.name}" did not answer; retry shortly.`, { cause: error });
    }
    row.legacyStatus = answer.status;
    if (answer.status >= 400 || answer.body === undefined) {
      row.failure = 'LEGACY_ERROR';
      throw new BreakwaterError('GATEWAY_UPSTREAM_ERROR', `The legacy handler of route "${this.name}" answered HTTP ${answer.status}.`, { retryable: answer.status >= 500 });
    }
    return answer.body;
  }
}

function emptyRow(route: string, requestId: string, at: number): StranglerLedgerRow {
  return {
    at,
    route,
    requestId,
    event: 'request',
    tenant: null,
    keyId: null,
    side: null,
    reason: 'split',
    failure: null,
    aiAttempted: false,
    aiFailed: false,
    promptName: null,
    promptVersion: null,
    legacyStatus: null,
    latencyMs: null,
    failureRate: null,
    windowRequests: null,
    actor: null,
  };
}
