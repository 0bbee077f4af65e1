import { BreakwaterError, toBreakwaterError } from '../errors/breakwater-error.js';
import type { CallContext } from '../gateway/call-context.js';
import type { Gateway } from '../gateway/gateway.js';
import type { Counters } from '../ports/counters.js';
import type { JsonPoster } from '../ports/json-poster.js';
import type { ShadowSample, ShadowStore } from '../ports/shadow-store.js';
import type { VirtualKey } from '../ports/store.js';
import type { PromptRegistry } from '../prompts/prompt-registry.js';
import { promptedChatBody } from '../prompts/prompted-request.js';
import type { ChatCompletion, ChatRequest } from '../../wire/chat.js';
import { type ComparisonSettings, compareStructured, compareText, parseStructured } from './compare-outputs.js';

/** A shadow as core runs it (the validated `shadows.<name>` config). */
export interface ShadowDefinition {
  target: { alias: string } | { prompt: string };
  candidate: { alias: string } | { prompt: { name: string; label?: string | undefined; version?: number | undefined } } | { url: string; headers: Record<string, string> };
  sampleRate: number;
  budgetUsd: number;
  timeoutMs: number;
  maxConcurrent: number;
  compare: ComparisonSettings;
  promote: { minSamples: number; minAgreement: number; maxErrorRate: number };
}

export interface ShadowRunnerOptions {
  name: string;
  definition: ShadowDefinition;
  /** The gateway the candidate's model calls go through (set once it is built). */
  gateway: () => Gateway;
  prompts: PromptRegistry;
  poster: JsonPoster;
  counters: Counters;
  store: ShadowStore;
  /** L2-normalised vectors of two texts (text comparison). */
  embed: (texts: readonly string[]) => Promise<Float32Array[]>;
  /** The text with personal data masked, for disagreeing examples. */
  mask: (text: string) => Promise<string>;
  onError: (error: unknown) => void;
  /** Counts what happened to each sampled call: compared, candidate-error, or skipped-(busy|budget). */
  onOutcome?: (shadow: string, outcome: string) => void;
  random?: () => number;
  now?: () => number;
}

/** Keys of shadow calls start with this: a shadow call is never shadowed again. */
export const shadowKeyPrefix = 'shadow:';

/** How much of each answer a disagreeing example keeps. */
const exampleChars = 2_000;
/**
 * Disagreeing examples kept per minute per shadow: a report shows ten, and masking personal
 * data in two answers is the costliest step of a sample (bench:shadow's caller p99 moved with it).
 */
const examplesPerMinute = 10;
const day = 86_400_000;
/** Samples are written together, at most this long after the first of a batch, or once this many wait. */
const flushIntervalMs = 1_000;
const maxBuffered = 500;

/**
 * Runs one shadow's candidate beside sampled primary calls, after the primary answered and off
 * the caller's path: the caller's answer is already on its way when `schedule` is called, and
 * nothing the candidate does (fail, hang, overspend) reaches the caller. Calls beyond
 * `maxConcurrent` or the rolling 24-hour budget are skipped, never queued.
 */
export class ShadowRunner {
  private inFlight = 0;
  private buffered: ShadowSample[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private examples = { minute: 0, kept: 0 };
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly settled = new Set<Promise<void>>();

  constructor(private readonly options: ShadowRunnerOptions) {
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
  }

  get name(): string {
    return this.options.name;
  }

  get definition(): ShadowDefinition {
    return this.options.definition;
  }

  /** True for a call of this shadow's target that the sample picked. */
  picks(context: CallContext): boolean {
    const target = this.options.definition.target;
    const matches = 'alias' in target ? context.requestedAlias === target.alias : context.prompt?.name === target.prompt;
    return matches && this.random() < this.options.definition.sampleRate;
  }

  /** Hands a primary answer to the candidate on a later turn of the event loop. */
  schedule(context: CallContext, completion: ChatCompletion, primaryLatencyMs: number): void {
    if (this.inFlight >= this.options.definition.maxConcurrent) {
      this.options.onOutcome?.(this.name, 'skipped-busy');
      return;
    }
    this.inFlight++;
    const done: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.run(context, completion, primaryLatencyMs))
      .catch(this.options.onError)
      .finally(() => {
        this.inFlight--;
        this.settled.delete(done);
      });
    this.settled.add(done);
  }

  /** Resolves when every candidate run started so far has finished and its sample is stored (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.settled.size > 0) await Promise.all([...this.settled]);
    await this.flush();
  }

  /** Writes the buffered samples in one store write. */
  flush(): Promise<void> {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const batch = this.buffered;
    this.buffered = [];
    this.flushing = this.flushing.then(() => (batch.length > 0 ? this.options.store.append(batch) : undefined)).catch(this.options.onError);
    return this.flushing;
  }

  private async run(context: CallContext, completion: ChatCompletion, primaryLatencyMs: number): Promise<void> {
    const { definition, counters } = this.options;
    const budgetName = `shadow:${this.name}:nano-usd`;
    const estimate = Math.round(context.costUsd * 1e9);
    const taken = await counters.takeFromWindow(budgetName, estimate, Math.round(definition.budgetUsd * 1e9), day);
    if (!taken.ok) {
      this.options.onOutcome?.(this.name, 'skipped-budget');
      return;
    }
    const primaryText = completionText(completion);
    const started = performance.now();
    const signal = AbortSignal.timeout(definition.timeoutMs);
    let candidate: { text: string; structured: unknown; costUsd: number };
    try {
      candidate = await this.callCandidate(context, signal);
    } catch (thrown) {
      const error = signal.aborted ? new BreakwaterError('GATEWAY_UPSTREAM_TIMEOUT', `The candidate did not answer within ${definition.timeoutMs} ms.`) : toBreakwaterError(thrown);
      this.record(context, primaryLatencyMs, {
        outcome: 'candidate-error',
        fields: null,
        similarity: null,
        lengthRatio: null,
        candidateLatencyMs: performance.now() - started,
        candidateCostUsd: null,
        example: null,
        errorCode: error.code,
      });
      return;
    }
    const candidateLatencyMs = performance.now() - started;
    await counters.adjustWindow(budgetName, Math.round(candidate.costUsd * 1e9) - estimate, day);
    // Comparing is the shadow's own CPU: callers' work already waiting on the loop goes first.
    await new Promise((resolve) => setImmediate(resolve));

    const settings = definition.compare;
    const primaryStructured = settings.mode === 'text' ? undefined : parseStructured(primaryText);
    const candidateStructured = settings.mode === 'text' ? undefined : (candidate.structured ?? parseStructured(candidate.text));
    let fields: Record<string, boolean> | null = null;
    let similarity: number | null = null;
    let lengthRatio: number | null = null;
    let agrees: boolean;
    if (settings.mode === 'structured' || (primaryStructured !== undefined && candidateStructured !== undefined)) {
      fields = compareStructured(primaryStructured ?? primaryText, candidateStructured ?? candidate.text, settings);
      agrees = Object.values(fields).every(Boolean);
    } else {
      const vectors = await this.options.embed([primaryText, candidate.text]);
      const comparison = compareText(primaryText, candidate.text, [vectors[0]!, vectors[1]!], settings);
      if (comparison.kind !== 'text') throw new Error('unreachable');
      similarity = comparison.similarity;
      lengthRatio = comparison.lengthRatio;
      agrees = comparison.agrees;
    }
    const example =
      agrees || !this.keepExample()
        ? null
        : { primary: await this.options.mask(primaryText.slice(0, exampleChars)), candidate: await this.options.mask(candidate.text.slice(0, exampleChars)) };
    this.record(context, primaryLatencyMs, {
      outcome: 'compared',
      fields,
      similarity,
      lengthRatio,
      candidateLatencyMs,
      candidateCostUsd: candidate.costUsd,
      example,
      errorCode: null,
    });
  }

  private keepExample(): boolean {
    const minute = Math.floor(this.now() / 60_000);
    if (minute !== this.examples.minute) this.examples = { minute, kept: 0 };
    return this.examples.kept++ < examplesPerMinute;
  }

  private async callCandidate(context: CallContext, signal: AbortSignal): Promise<{ text: string; structured: unknown; costUsd: number }> {
    const { definition } = this.options;
    const candidate = definition.candidate;
    if (context.input.operation !== 'chat') throw new BreakwaterError('INTERNAL_ERROR', 'Only chat calls are shadowed.');
    const primary = context.input.request;
    if ('url' in candidate) {
      const prompt = context.prompt ? { name: context.prompt.name, version: context.prompt.version, variables: context.prompt.variables ?? {} } : null;
      const answer = await this.options.poster.post(candidate.url, { request: primary, prompt }, { headers: candidate.headers, signal });
      if (answer.status >= 400 || answer.body === undefined) {
        throw new BreakwaterError('GATEWAY_UPSTREAM_ERROR', `The shadow endpoint answered HTTP ${answer.status}${answer.body === undefined ? ' without JSON' : ''}.`);
      }
      const body = answer.body as { choices?: Array<{ message?: { content?: string | null } }> };
      if (Array.isArray(body.choices)) return { text: body.choices[0]?.message?.content ?? '', structured: undefined, costUsd: 0 };
      return { text: JSON.stringify(answer.body), structured: answer.body, costUsd: 0 };
    }
    let request: ChatRequest;
    if ('alias' in candidate) request = { ...primary, model: candidate.alias };
    else {
      const version = await this.options.prompts.resolve(
        context.key.tenant,
        candidate.prompt.version === undefined
          ? { name: candidate.prompt.name, label: candidate.prompt.label ?? 'production' }
          : { name: candidate.prompt.name, version: candidate.prompt.version },
      );
      const { messages, ...rest } = primary;
      const own = messages.slice(context.prompt?.renderedMessages ?? 0);
      request = promptedChatBody(version, context.prompt?.variables ?? {}, { ...rest, model: version.model ?? primary.model, messages: own }) as ChatRequest;
    }
    const { stream: _stream, stream_options: _options, ...unstreamed } = request;
    const { context: candidateContext, outcome } = await this.options.gateway().call({
      requestId: `${context.requestId}.shadow.${this.name}`,
      key: shadowKey(this.name, context.key),
      input: { operation: 'chat', request: unstreamed },
      stream: false,
      // The candidate's own answer, every time: no cache read, and nothing it says is cached for callers.
      cacheControl: { noStore: true, noCache: true },
      signal,
      startedAt: performance.now(),
    });
    if (outcome.kind !== 'completion') throw new BreakwaterError('INTERNAL_ERROR', 'A shadow call got a non-completion answer.');
    return { text: completionText(outcome.completion), structured: undefined, costUsd: candidateContext.costUsd };
  }

  private record(
    context: CallContext,
    primaryLatencyMs: number,
    result: Pick<ShadowSample, 'outcome' | 'fields' | 'similarity' | 'lengthRatio' | 'candidateLatencyMs' | 'candidateCostUsd' | 'example' | 'errorCode'>,
  ): void {
    this.buffered.push({
      shadow: this.name,
      tenant: context.key.tenant,
      requestId: context.requestId,
      at: this.now(),
      primaryLatencyMs,
      primaryCostUsd: context.costUsd,
      ...result,
    });
    if (this.buffered.length >= maxBuffered) void this.flush();
    else if (!this.flushTimer) {
      this.flushTimer = setTimeout(() => void this.flush(), flushIntervalMs);
      this.flushTimer.unref();
    }
    this.options.onOutcome?.(this.name, result.outcome);
  }
}

/** The key a shadow's calls run as: the caller's tenant and PII policy, none of its limits or budget (the shadow has its own). */
function shadowKey(name: string, caller: VirtualKey): VirtualKey {
  return {
    id: `${shadowKeyPrefix}${name}`,
    name: `shadow ${name}`,
    prefix: '',
    tenant: caller.tenant,
    allowedModels: null,
    rpm: null,
    tpm: null,
    budget: null,
    tags: { shadow: name },
    piiPolicy: caller.piiPolicy,
    createdAt: 0,
    revokedAt: null,
  };
}

function completionText(completion: ChatCompletion): string {
  return completion.choices[0]?.message.content ?? '';
}
