import { chatTextLength } from '../text-length.js';
import { nextTurn } from '../turns.js';
import { BreakwaterError, toBreakwaterError } from '../errors/breakwater-error.js';
import type { VirtualKey } from '../ports/store.js';
import { costOf } from '../pricing/pricing.js';
import { exactBudget, type TokenCounter } from '../pricing/token-counter.js';
import type { AliasRoute } from '../routing/alias-route.js';
import type { RouteHints } from '../routing/auto/features.js';
import type { Router } from '../routing/router.js';
import type { ChatCompletion, ChatCompletionChunk } from '../../wire/chat.js';
import type { ServedPrompt } from '../prompts/prompted-request.js';
import type { CallContext, CallInput, CallOrigin, CallOutcome, CallSettlement, ModelMiddleware } from './call-context.js';
import { StreamAssembler } from './stream-assembly.js';

export interface GatewayCall {
  requestId: string;
  key: VirtualKey;
  input: CallInput;
  stream: boolean;
  cacheControl: { noStore: boolean; noCache: boolean };
  /** Hints for an `auto` alias's router, from the HTTP headers. */
  routeHints?: RouteHints | undefined;
  /** The registry prompt version the request was built from. */
  prompt?: ServedPrompt | undefined;
  /** The pipeline a call extracts for, and which extraction attempt it is (drift monitors). */
  origin?: CallOrigin | undefined;
  signal: AbortSignal;
  startedAt: number;
}

export interface GatewayOptions {
  routes: ReadonlyMap<string, AliasRoute>;
  router: Router;
  tokens: TokenCounter;
  /** Outermost first. */
  middleware: readonly ModelMiddleware[];
  onDeferredError: (error: unknown) => void;
  /**
   * The output an abandoned attempt is charged when the request set no cap (`limits.defaultMaxOutputTokens`);
   * without it such an attempt is charged its prompt only. Budgeted calls always carry a cap.
   */
  defaultMaxOutputTokens?: number;
}

/**
 * A call of `exactBudget` (16 K) characters of text or more waits for a turn (core/turns.ts)
 * before each middleware and the provider call. Each step is linear, but a 4 MB request walked
 * by several of them in one stretch (cache key, token counts, router cues, serialisation) held
 * the loop for 150 ms and more, and every other request waited; between steps they answer. At
 * 16 K characters one step (the exact token count of them) can reach tens of milliseconds; a
 * turn costs microseconds, so ordinary calls, far below it, take none. The rule reads
 * lengths, not the token count (which was 8 K tokens, ~32 K characters of prose), so that
 * deciding it never needs the tokenizer.
 */

function afterATurn<T>(next: (context: CallContext, large: boolean) => Promise<T>, context: CallContext, large: boolean): Promise<T> {
  return nextTurn().then(() => next(context, large));
}

/** The characters of a call's texts, from their lengths alone. */
function textLength(input: GatewayCall['input']): number {
  if (input.operation === 'chat') return chatTextLength(input.request);
  const items = input.request.input;
  if (typeof items === 'string') return items.length;
  let length = 0;
  for (const item of items) length += typeof item === 'string' ? item.length : 1;
  return length;
}

type UsageCounts = Pick<NonNullable<ChatCompletion['usage']>, 'prompt_tokens' | 'completion_tokens'>;

/** What came back from the deployment that answered: its usage, or else its text to count. */
interface Answer {
  usage: UsageCounts | undefined;
  outputText(): string;
}

/**
 * The one door every model call goes through: resolves the alias, runs the model
 * middleware (limits, cache, budget, ledger, telemetry) around the routed provider call,
 * and settles accounting once the answer is complete — for streams, after the last chunk.
 */
export class Gateway {
  private readonly chain: (context: CallContext, large: boolean) => Promise<CallOutcome>;

  constructor(private readonly options: GatewayOptions) {
    const terminal = (context: CallContext) => this.callProvider(context);
    this.chain = options.middleware.reduceRight<(context: CallContext, large: boolean) => Promise<CallOutcome>>(
      (next, middleware) => (context, large) => middleware(context, large ? () => afterATurn(next, context, large) : () => next(context, large)),
      terminal,
    );
  }

  /** The aliases a key may call, for GET /v1/models. */
  aliasesFor(key: VirtualKey): AliasRoute[] {
    return [...this.options.routes.values()].filter((route) => key.allowedModels === null || key.allowedModels.includes(route.alias));
  }

  resolve(alias: string, key: VirtualKey): AliasRoute {
    const route = this.options.routes.get(alias);
    if (!route) {
      throw new BreakwaterError('MODEL_NOT_FOUND', `The model "${alias}" does not exist; GET /v1/models lists the models this key may use.`, { param: 'model' });
    }
    if (key.allowedModels !== null && !key.allowedModels.includes(alias)) {
      throw new BreakwaterError('MODEL_NOT_ALLOWED', `This key may not use the model "${alias}"; ask an admin to add it to the key's allowed models.`, {
        param: 'model',
      });
    }
    return route;
  }

  async call(call: GatewayCall): Promise<{ context: CallContext; outcome: CallOutcome }> {
    const route = this.resolve(call.input.request.model, call.key);
    // Counting a call's tokens exactly (up to exactBudget characters) is a step of its own when
    // that much text is there: 16 K characters of unseen CJK or emoji took 20-45 ms.
    const large = textLength(call.input) >= exactBudget;
    if (large) await nextTurn();
    const deferred: Array<(settlement: CallSettlement) => void | Promise<void>> = [];
    // Fields named one by one, not `...call`: the spread made V8 build this object the slow
    // way, ~10 KB and a third of the gateway's own time per call (`npm run bench:gateway-core`: 63 → 40 µs of own time per call).
    const context: CallContext = {
      requestId: call.requestId,
      key: call.key,
      input: call.input,
      stream: call.stream,
      cacheControl: call.cacheControl,
      signal: call.signal,
      startedAt: call.startedAt,
      routeHints: call.routeHints,
      prompt: call.prompt,
      origin: call.origin,
      requestedAlias: route.alias,
      route,
      routeDecision: undefined,
      progress: { attempts: 0, upstreamMs: 0, deployment: undefined, unanswered: [] },
      cache: 'bypass',
      cacheSimilarity: undefined,
      pii: {},
      estimatedInputTokens: call.input.operation === 'chat' ? this.options.tokens.countChat(call.input.request) : this.options.tokens.countInputs(call.input.request.input),
      gatewayOutputCap: undefined,
      usage: { inputTokens: 0, outputTokens: 0 },
      costUsd: 0,
      overheadMs: 0,
      defer: (step) => deferred.push(step),
    };
    let outcome: CallOutcome;
    try {
      outcome = await this.chain(context, large);
    } catch (thrown) {
      const error = toBreakwaterError(thrown);
      context.overheadMs = this.overhead(context);
      // No answer, but attempts that timed out or lost their client may still have cost.
      this.account(context, undefined);
      this.settle(deferred, { error, completion: undefined });
      throw error;
    }
    context.overheadMs = this.overhead(context);
    if (outcome.kind === 'stream') return { context, outcome: { kind: 'stream', chunks: this.accountStream(context, outcome.chunks, deferred) } };
    if (outcome.kind === 'completion') {
      const completion = outcome.completion;
      this.account(context, { usage: completion.usage, outputText: () => completionText(completion) });
    } else {
      this.account(context, { usage: { prompt_tokens: outcome.result.usage.prompt_tokens, completion_tokens: 0 }, outputText: () => '' });
    }
    this.settle(deferred, { error: undefined, completion: outcome.kind === 'completion' ? outcome.completion : undefined });
    return { context, outcome };
  }

  private async callProvider(context: CallContext): Promise<CallOutcome> {
    const { router } = this.options;
    const input = context.input;
    if (input.operation === 'embeddings') {
      const result = await router.execute(context.route, context.signal, context.progress, (deployment, signal) => {
        if (!deployment.provider.capabilities.embeddings) throw capabilityMissing(context.route.alias, 'embeddings');
        return deployment.provider.embed(input.request, { signal, model: deployment.model });
      });
      return { kind: 'embeddings', result };
    }
    if (!context.stream) {
      const completion = await router.execute(context.route, context.signal, context.progress, (deployment, signal) =>
        deployment.provider.chat(input.request, { signal, model: deployment.model }),
      );
      return { kind: 'completion', completion };
    }
    const opened = await router.execute(context.route, context.signal, context.progress, async (deployment, signal) => {
      const iterator = (await deployment.provider.chatStream(input.request, { signal, model: deployment.model }))[Symbol.asyncIterator]();
      // The first chunk is part of the attempt: a failure before it can still be retried.
      const first = await iterator.next();
      return { iterator, first };
    });
    return { kind: 'stream', chunks: resume(opened.iterator, opened.first) };
  }

  private async *accountStream(
    context: CallContext,
    chunks: AsyncIterable<ChatCompletionChunk>,
    deferred: Array<(settlement: CallSettlement) => void | Promise<void>>,
  ): AsyncGenerator<ChatCompletionChunk> {
    const assembler = new StreamAssembler();
    let error: BreakwaterError | undefined;
    try {
      for await (const chunk of chunks) {
        assembler.add(chunk);
        yield chunk;
      }
    } catch (thrown) {
      error = toBreakwaterError(thrown);
      throw error;
    } finally {
      if (!error && !assembler.finished) {
        error = new BreakwaterError('INVALID_REQUEST', 'The client closed the connection during the stream.', { details: { clientClosed: true } });
      }
      // Providers that send no usage on streams, and streams cut short: count what was received.
      this.account(context, { usage: assembler.usage, outputText: () => assembler.outputText });
      this.settle(deferred, { error, completion: error ? undefined : assembler.toCompletion() });
    }
  }

  /**
   * Tokens and cost of the call: the answer by its usage (or, without usage, its prompt estimate
   * and its counted text), plus every attempt that was sent and abandoned (timed out, or the
   * client left) at its prompt estimate and the request's output cap — the upstream bills
   * those whether or not anyone reads the answer.
   */
  private account(context: CallContext, answer: Answer | undefined): void {
    if (context.cache === 'hit' || context.cache === 'semantic') return;
    let inputTokens = 0;
    let outputTokens = 0;
    let costUsd = 0;
    const { unanswered, deployment } = context.progress;
    if (unanswered.length > 0) {
      const cap = this.outputCap(context);
      for (const abandoned of unanswered) {
        inputTokens += context.estimatedInputTokens;
        outputTokens += cap;
        costUsd += costOf(abandoned.price, context.estimatedInputTokens, cap);
      }
    }
    if (answer) {
      const answerInput = answer.usage?.prompt_tokens ?? context.estimatedInputTokens;
      const answerOutput = answer.usage?.completion_tokens ?? this.options.tokens.count(answer.outputText());
      inputTokens += answerInput;
      outputTokens += answerOutput;
      if (deployment) costUsd += costOf(deployment.price, answerInput, answerOutput);
    }
    context.usage = { inputTokens, outputTokens };
    context.costUsd = costUsd;
  }

  /** The most output the upstream may have generated for this request. */
  private outputCap(context: CallContext): number {
    const input = context.input;
    if (input.operation !== 'chat') return 0;
    return input.request.max_completion_tokens ?? input.request.max_tokens ?? context.gatewayOutputCap ?? this.options.defaultMaxOutputTokens ?? 0;
  }

  private overhead(context: CallContext): number {
    return Math.max(0, performance.now() - context.startedAt - context.progress.upstreamMs);
  }

  /** Runs deferred steps innermost first; the response does not wait for them. */
  private settle(deferred: Array<(settlement: CallSettlement) => void | Promise<void>>, settlement: CallSettlement): void {
    void (async () => {
      for (let index = deferred.length - 1; index >= 0; index--) {
        try {
          await deferred[index]!(settlement);
        } catch (error) {
          this.options.onDeferredError(error);
        }
      }
    })();
  }
}

async function* resume<T>(iterator: AsyncIterator<T>, first: IteratorResult<T>): AsyncGenerator<T> {
  try {
    if (first.done) return;
    yield first.value;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  } finally {
    await iterator.return?.();
  }
}

function completionText(completion: ChatCompletion): string {
  let text = '';
  for (const choice of completion.choices) {
    text += choice.message.content ?? '';
    for (const call of choice.message.tool_calls ?? []) text += call.function.name + call.function.arguments;
  }
  return text;
}

function capabilityMissing(alias: string, capability: string): BreakwaterError {
  return new BreakwaterError('MODEL_CAPABILITY_MISSING', `The model "${alias}" does not support ${capability}; pick a model that does (GET /v1/models).`, {
    param: 'model',
  });
}
