import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { Llama, LlamaContext, LlamaContextSequence, LlamaEmbeddingContext, LlamaGrammar, LlamaModel, Token } from 'node-llama-cpp';
import { BreakwaterError } from '../../../core/errors/breakwater-error.js';
import { upstreamTransportError } from '../../../core/errors/upstream-error.js';
import type { Provider, ProviderCallOptions } from '../../../core/ports/provider.js';
import type { ChatCompletion, ChatCompletionChunk, ChatRequest, FinishReason, ToolCall, Usage } from '../../../wire/chat.js';
import type { EmbeddingsRequest, EmbeddingsResult } from '../../../wire/embeddings.js';
import { isTimeout } from '../shared/http-upstream.js';
import { withIdleTimeout } from '../shared/idle-timeout.js';
import { scrubUpstreamText } from '../shared/scrub-upstream-text.js';
import { Channel } from './channel.js';
import { SlotQueue } from './slot-queue.js';
import { schemaToGbnf } from './schema-to-gbnf.js';
import { toLlamaHistory } from './to-llama-history.js';

export interface LocalProviderOptions {
  name: string;
  /** Path to a .gguf file. */
  model: string;
  /** The `breakwater models pull` name the file comes from, named in the error when it is missing. */
  pull?: string;
  /**
   * Fetches the missing file (the `pull` source) in the background on first use; calls answer
   * 503 with progress and Retry-After meanwhile. Absent: a missing file is only reported.
   */
  fetchModel?: (onProgress: (bytes: number, total: number | null) => void) => Promise<void>;
  threads?: number;
  contextSize?: number;
  /** Parallel generation slots of the one context. */
  sequences?: number;
  /** Requests allowed to wait beyond the busy slots; more are refused with SERVER_OVERLOADED. */
  maxQueue?: number;
  idleUnloadMs?: number;
  embedding?: boolean;
  /** Longest silence between two chunks of a stream before it is stopped with GATEWAY_UPSTREAM_TIMEOUT. */
  streamIdleTimeoutMs?: number;
}

interface Loaded {
  model: LlamaModel;
  context: LlamaContext;
  /** One per slot, kept between calls so a shared prompt prefix (the system prompt) is not evaluated again. */
  freeSequences: LlamaContextSequence[];
  embeddingContext?: Promise<LlamaEmbeddingContext>;
}

interface Generation {
  text: string;
  toolCalls?: ToolCall[];
  finishReason: FinishReason;
  usage: Usage;
}

/**
 * node-llama-cpp (~44 MB resident with its native binding) is loaded with the first model, not
 * at start-up: a process that never calls a local model does not pay for it.
 */
let library: typeof import('node-llama-cpp') | undefined;
/** One native llama.cpp instance per process: it owns the thread pool and the backend. */
let llamaInstance: Promise<Llama> | undefined;
const llama = () =>
  (llamaInstance ??= import('node-llama-cpp').then((loaded) => {
    library = loaded;
    return loaded.getLlama({ gpu: false, build: 'never' });
  }));

const grammarCacheLimit = 64;

/**
 * The `local` provider: a GGUF model run in-process by node-llama-cpp on the CPU, with no
 * server and no network. The model loads on the first call and unloads after `idleUnloadMs`
 * without calls. `sequences` requests generate in parallel in one context; up to `maxQueue`
 * more wait, and beyond that callers get 503 SERVER_OVERLOADED with Retry-After.
 * `response_format: json_schema` and forced tool calls decode under a grammar built from the
 * schema (it does not enforce `pattern`, `minimum`/`maximum` or every `format`, so callers
 * still validate the result).
 *
 * @example
 * providers:
 *   local:
 *     type: local
 *     model: ./models/qwen2.5-0.5b-instruct-q4_k_m.gguf   # `breakwater models pull <name>` fetches one
 *     threads: 2          # set it: llama.cpp's default thread count can be ~500x slower on small machines
 *     contextSize: 2048
 *     sequences: 2
 *     maxQueue: 16
 *     idleUnloadMs: 300000
 *     embedding: false
 *     streamIdleTimeoutMs: 120000   # a stream silent this long is stopped (prompt evaluation counts)
 * routes:
 *   - alias: local-small
 *     deployments: [{ provider: local, model: qwen2.5-0.5b }]
 */
export class LocalProvider implements Provider {
  readonly name: string;
  readonly capabilities: Provider['capabilities'];
  private readonly threads: number;
  private readonly contextSize: number;
  private readonly sequences: number;
  private readonly idleUnloadMs: number;
  private readonly streamIdleTimeoutMs: number;
  private readonly slots: SlotQueue;
  private loaded: Promise<Loaded> | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private readonly grammars = new Map<string, Promise<LlamaGrammar>>();
  /** Aborted by close(): running work stops, and no new work starts, before the model is freed. */
  private readonly closing = new AbortController();
  /** Times the model was loaded; lets tests and metrics see idle unloads. */
  loads = 0;
  /** The first-use download of a missing model file, while it runs or after it failed. */
  private fetching: { done: Promise<void>; bytes: number; total: number | null; failure?: { reason: string; at: number } } | undefined;

  constructor(private readonly options: LocalProviderOptions) {
    this.name = options.name;
    this.contextSize = options.contextSize ?? 2048;
    this.sequences = options.sequences ?? 2;
    // One thread per slot on a small machine: llama.cpp threads that outnumber the cores spin
    // against each other (DESIGN.md: the library's default was ~500x slower on 2 cores).
    this.threads = options.threads ?? Math.max(1, Math.floor(availableParallelism() / this.sequences));
    this.idleUnloadMs = options.idleUnloadMs ?? 300_000;
    this.streamIdleTimeoutMs = options.streamIdleTimeoutMs ?? 120_000;
    this.capabilities = { chat: true, streaming: true, embeddings: options.embedding ?? false, tools: true, jsonSchema: true, grammar: true };
    this.slots = new SlotQueue(
      this.sequences,
      options.maxQueue ?? 16,
      `Local model provider "${options.name}"`,
      () => this.armIdleUnload(),
      () => clearTimeout(this.idleTimer),
    );
  }

  /** Whether the model is in memory now. */
  get isLoaded(): boolean {
    return this.loaded !== undefined;
  }

  async chat(request: ChatRequest, call: ProviderCallOptions): Promise<ChatCompletion> {
    const generation = await this.withSlot(call.signal, (loaded, signal) => this.generate(loaded, request, signal, () => {}));
    return {
      id: `chatcmpl-${randomUUID()}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: call.model,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: generation.toolCalls ? null : generation.text, ...(generation.toolCalls ? { tool_calls: generation.toolCalls } : {}) },
          finish_reason: generation.finishReason,
        },
      ],
      usage: generation.usage,
    };
  }

  async chatStream(request: ChatRequest, call: ProviderCallOptions): Promise<AsyncIterable<ChatCompletionChunk>> {
    // A consumer that stops reading stops the generation, like a client that disconnects.
    const stop = new AbortController();
    const signal = AbortSignal.any([call.signal, stop.signal, this.closing.signal]);
    await this.slots.acquire(signal);
    let loaded: Loaded;
    try {
      loaded = await this.load();
    } catch (error) {
      this.slots.release();
      throw error;
    }
    const base = { id: `chatcmpl-${randomUUID()}`, object: 'chat.completion.chunk' as const, created: Math.floor(Date.now() / 1000), model: call.model };
    const channel = new Channel<ChatCompletionChunk>();
    const chunk = (delta: ChatCompletionChunk['choices'][number]['delta'], finishReason: FinishReason | null = null): ChatCompletionChunk => ({
      ...base,
      choices: [{ index: 0, delta, finish_reason: finishReason }],
    });
    channel.push(chunk({ role: 'assistant', content: '' }));
    const forcedTool = forcedTools(request) !== undefined;
    this.generate(loaded, request, signal, (text) => {
      if (!forcedTool && text) channel.push(chunk({ content: text }));
    })
      .then(
        (generation) => {
          generation.toolCalls?.forEach((toolCall, index) => channel.push(chunk({ tool_calls: [{ index, ...toolCall }] })));
          channel.push(chunk({}, generation.finishReason));
          channel.push({ ...base, choices: [], usage: generation.usage });
          channel.end();
        },
        (error: unknown) => channel.fail(error),
      )
      .finally(() => this.slots.release());
    // A generation stuck in native code would otherwise hold the caller's slots for good.
    return withIdleTimeout(
      channel.iterate(() => stop.abort(new Error('stream consumer stopped reading'))),
      { idleMs: this.streamIdleTimeoutMs, provider: this.name, onIdle: (error) => stop.abort(error) },
    );
  }

  async embed(request: EmbeddingsRequest, call: ProviderCallOptions): Promise<EmbeddingsResult> {
    if (!this.capabilities.embeddings) {
      throw new BreakwaterError('INVALID_REQUEST', `Provider ${this.name} serves no embeddings; set providers.${this.name}.embedding: true to embed with its model.`, {
        param: 'model',
      });
    }
    return this.withSlot(call.signal, async (loaded, signal) => {
      const inputs = embeddingInputs(request.input);
      const context = await (loaded.embeddingContext ??= loaded.model.createEmbeddingContext({ contextSize: this.contextSize, threads: this.threads }));
      const vectors: number[][] = [];
      let promptTokens = 0;
      for (const input of inputs) {
        signal.throwIfAborted();
        promptTokens += typeof input === 'string' ? loaded.model.tokenize(input).length : input.length;
        const embedding = await context.getEmbeddingFor(typeof input === 'string' ? input : (input as Token[]));
        vectors.push([...embedding.vector]);
      }
      return { model: call.model, vectors, usage: { prompt_tokens: promptTokens, total_tokens: promptTokens } };
    });
  }

  /**
   * Stops running work and waits for it before freeing the model: freeing a context that a
   * generation or an embedding still uses crashes the process (SIGSEGV in llama.cpp).
   */
  async close(): Promise<void> {
    this.closing.abort(new BreakwaterError('NOT_READY', `Local model provider "${this.name}" is shutting down.`, { retryAfterSeconds: 1 }));
    await this.slots.whenIdle();
    clearTimeout(this.idleTimer);
    await this.unload();
  }

  private async withSlot<T>(callSignal: AbortSignal, work: (loaded: Loaded, signal: AbortSignal) => Promise<T>): Promise<T> {
    const signal = AbortSignal.any([callSignal, this.closing.signal]);
    await this.slots.acquire(signal);
    try {
      return await work(await this.load(), signal);
    } finally {
      this.slots.release();
    }
  }

  private async generate(loaded: Loaded, request: ChatRequest, signal: AbortSignal, onText: (text: string) => void): Promise<Generation> {
    const tools = forcedTools(request);
    const grammar = await this.grammarFor(request, tools);
    const sequence = loaded.freeSequences.pop();
    if (!sequence) throw new Error('LocalProvider: a slot was granted with no free sequence');
    const chat = new library!.LlamaChat({ contextSequence: sequence, chatWrapper: 'auto' });
    const history = toLlamaHistory(request.messages);
    const promptTokens = chat.chatWrapper.generateContextState({ chatHistory: history }).contextText.tokenize(loaded.model.tokenizer).length;
    let completionTokens = 0;
    let failed = false;
    try {
      const stop = request.stop === undefined || request.stop === null ? [] : [request.stop].flat();
      const maxTokens = request.max_completion_tokens ?? request.max_tokens ?? undefined;
      const result = await chat.generateResponse(history, {
        signal,
        onTextChunk: onText,
        onToken: (tokens) => void (completionTokens += tokens.length),
        temperature: request.temperature ?? 1,
        ...(request.top_p === undefined || request.top_p === null ? {} : { topP: request.top_p }),
        ...(request.seed === undefined || request.seed === null ? {} : { seed: request.seed }),
        ...(maxTokens === undefined ? {} : { maxTokens }),
        ...(stop.length ? { customStopTriggers: stop } : {}),
        ...(grammar ? { grammar } : {}),
      });
      const usage = { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
      const finishReason: FinishReason = result.metadata.stopReason === 'maxTokens' ? 'length' : 'stop';
      if (tools && finishReason === 'stop') {
        return { text: result.response, toolCalls: [toToolCall(result.response, tools)], finishReason: 'tool_calls', usage };
      }
      return { text: result.response, finishReason, usage };
    } catch (error) {
      failed = true;
      // Shutting down is the provider's own reason (NOT_READY, retryable); any other abort is a timeout or a caller gone.
      if (this.closing.signal.aborted) throw this.closing.signal.reason;
      if (signal.aborted) throw upstreamTransportError(this.name, signal.reason, isTimeout(signal));
      throw error;
    } finally {
      chat.dispose({ disposeSequence: false });
      if (failed) await sequence.clearHistory().catch(() => {});
      loaded.freeSequences.push(sequence);
    }
  }

  private async grammarFor(request: ChatRequest, tools: ForcedTool[] | undefined): Promise<LlamaGrammar | undefined> {
    const format = request.response_format;
    if (tools) return this.grammar(toolSchema(tools));
    if (format?.type === 'json_schema' && format.json_schema.schema) return this.grammar(format.json_schema.schema);
    if (format?.type === 'json_object' || format?.type === 'json_schema') return this.grammar(undefined);
    return undefined;
  }

  /** Grammars depend on the backend, not on the model, so they outlive idle unloads. */
  private grammar(schema: Record<string, unknown> | undefined): Promise<LlamaGrammar> {
    const key = schema === undefined ? 'json' : JSON.stringify(schema);
    let grammar = this.grammars.get(key);
    if (!grammar) {
      grammar = llama().then(async (instance) => {
        if (schema === undefined) return instance.getGrammarFor('json');
        try {
          // Our converter also enforces patterns, calendar dates, lower bounds and item counts,
          // so the record validates by construction (ajv still checks it afterwards).
          return new library!.LlamaGrammar(instance, { grammar: schemaToGbnf(schema) });
        } catch {
          try {
            // A schema our converter refuses: node-llama-cpp's own builder covers the structure.
            // `as never`: its parameter type is a const-generic literal type, not a runtime schema.
            return await instance.createGrammarForJsonSchema(schema as never);
          } catch {
            // Neither covers it: syntactically valid JSON, and the extraction engine re-asks.
            return instance.getGrammarFor('json');
          }
        }
      });
      if (this.grammars.size >= grammarCacheLimit) this.grammars.delete(this.grammars.keys().next().value as string);
      this.grammars.set(key, grammar);
      grammar.catch(() => this.grammars.delete(key));
    }
    return grammar;
  }

  private load(): Promise<Loaded> {
    if (this.loaded) return this.loaded;
    const path = this.options.model;
    const loading = (async (): Promise<Loaded> => {
      if (!existsSync(path)) throw this.missingModel(path);
      const instance = await llama();
      const model = await instance.loadModel({ modelPath: path });
      try {
        const context = await model.createContext({ contextSize: this.contextSize, sequences: this.sequences, threads: this.threads });
        this.loads++;
        return { model, context, freeSequences: Array.from({ length: this.sequences }, () => context.getSequence()) };
      } catch (error) {
        await model.dispose();
        throw error;
      }
    })();
    this.loaded = loading;
    loading.catch(() => {
      if (this.loaded === loading) this.loaded = undefined;
    });
    return loading;
  }

  /** The error for a missing model file; with `fetchModel`, starts (or reports) its download. */
  private missingModel(path: string): BreakwaterError {
    const pull = `\`breakwater models pull ${this.options.pull ?? '<name>'}\``;
    const fetchModel = this.options.fetchModel;
    const retryFailedAfterMs = 60_000;
    if (fetchModel && (!this.fetching || (this.fetching.failure && Date.now() - this.fetching.failure.at > retryFailedAfterMs))) {
      const fetching: NonNullable<LocalProvider['fetching']> = {
        bytes: 0,
        total: null,
        done: fetchModel((bytes, total) => {
          fetching.bytes = bytes;
          fetching.total = total;
        }).then(
          () => {
            if (this.fetching === fetching) this.fetching = undefined;
          },
          (error: unknown) => {
            // The reason reaches API callers: the download's URL (a private mirror, a token in
            // its query) is the operator's business, and the full error is in the log.
            const reason = scrubUpstreamText(error instanceof Error ? error.message : String(error), { secrets: [], hosts: [] });
            fetching.failure = { reason, at: Date.now() };
          },
        ),
      };
      this.fetching = fetching;
    }
    const details = { provider: this.name };
    const fetching = this.fetching;
    if (fetchModel && fetching && !fetching.failure) {
      const done = fetching.total ? ` (${Math.floor((100 * fetching.bytes) / fetching.total)}% of ${Math.round(fetching.total / 1_048_576)} MB)` : '';
      return new BreakwaterError(
        'GATEWAY_UPSTREAM_UNAVAILABLE',
        `Local model file ${path} is being downloaded on first use${done}; retry shortly, or fetch it ahead of time with ${pull}.`,
        { details: { ...details, downloading: true }, retryable: false, retryAfterSeconds: 30 },
      );
    }
    const failed = fetching?.failure
      ? ` Downloading it on first use failed (${fetching.failure.reason}): run ${pull} once the machine is online,`
      : ` Run ${pull} to download ${this.options.pull ? 'it' : 'one'},`;
    return new BreakwaterError(
      'GATEWAY_UPSTREAM_UNAVAILABLE',
      `Local model file ${path} does not exist (providers.${this.name}.model).${failed} or set providers.${this.name}.model to the path of a .gguf file.`,
      { details, retryable: false },
    );
  }

  /** Resolves once a first-use download has finished or failed; for tests and the CLI. */
  async downloaded(): Promise<void> {
    await this.fetching?.done;
  }

  private armIdleUnload(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.slots.busy === 0) void this.unload();
    }, this.idleUnloadMs);
    this.idleTimer.unref();
  }

  private async unload(): Promise<void> {
    const loading = this.loaded;
    this.loaded = undefined;
    if (!loading) return;
    const loaded = await loading.catch(() => undefined);
    if (!loaded) return;
    await (await loaded.embeddingContext?.catch(() => undefined))?.dispose();
    await loaded.context.dispose();
    await loaded.model.dispose();
  }
}

/** OpenAI's four input shapes as a list of texts or token lists. */
function embeddingInputs(input: EmbeddingsRequest['input']): Array<string | number[]> {
  if (typeof input === 'string') return [input];
  if (input.every((item) => typeof item === 'string')) return input as string[];
  if (input.every((item) => typeof item === 'number')) return [input as number[]];
  return input as number[][];
}

interface ForcedTool {
  name: string;
  parameters: Record<string, unknown>;
}

/** The tools the model must call: the one `tool_choice` names, or all of them under `required`. */
function forcedTools(request: ChatRequest): ForcedTool[] | undefined {
  const tools = request.tools ?? [];
  const choice = request.tool_choice;
  const toForced = (tool: (typeof tools)[number]): ForcedTool => ({ name: tool.function.name, parameters: tool.function.parameters ?? { type: 'object' } });
  if (typeof choice === 'object') {
    const tool = tools.find((candidate) => candidate.function.name === choice.function.name);
    if (!tool) {
      throw new BreakwaterError('INVALID_REQUEST', `tool_choice names function "${choice.function.name}", which is not in tools; add it to tools or change tool_choice.`, {
        param: 'tool_choice',
      });
    }
    return [toForced(tool)];
  }
  if (choice === 'required' && tools.length) return tools.map(toForced);
  return undefined;
}

function toolSchema(tools: ForcedTool[]): Record<string, unknown> {
  if (tools.length === 1) return tools[0]!.parameters;
  return {
    oneOf: tools.map((tool) => ({
      type: 'object',
      properties: { name: { const: tool.name }, arguments: tool.parameters },
      required: ['name', 'arguments'],
      additionalProperties: false,
    })),
  };
}

function toToolCall(text: string, tools: ForcedTool[]): ToolCall {
  const id = `call_${randomUUID().replace(/-/g, '').slice(0, 24)}`;
  if (tools.length === 1) return { id, type: 'function', function: { name: tools[0]!.name, arguments: text } };
  const parsed = JSON.parse(text) as { name: string; arguments: unknown };
  return { id, type: 'function', function: { name: parsed.name, arguments: JSON.stringify(parsed.arguments) } };
}
