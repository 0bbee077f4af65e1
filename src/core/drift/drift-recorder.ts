import type { ChatCompletion, ChatRequest } from '../../wire/chat.js';
import { parseModelJson } from '../extraction/parse-model-json.js';
import { SchemaValidator } from '../extraction/schema-validator.js';
import type { CallContext, ModelMiddleware } from '../gateway/call-context.js';
import type { DriftObservation, DriftStore } from '../ports/drift-store.js';
import { isRefusal } from './refusal.js';

export interface DriftRecorderOptions {
  store: DriftStore;
  /** Embeds inputs for the input-distribution signal (unit vectors). */
  embed: (texts: readonly string[]) => Promise<Float32Array[]>;
  /** The embedder's id, stored with the sums. */
  embedderId: string;
  /** Inputs embedded per second on this node at most (the rest are counted, not embedded). */
  maxEmbedPerSecond: number;
  /** Characters of an input embedded at most (its start). */
  maxInputChars: number;
  /** How often buffered minutes are written (ms). */
  flushMs: number;
  onError: (error: unknown) => void;
  now?: () => number;
}

interface Bucket extends DriftObservation {
  embeddingSum: Float32Array | null;
}

/** Compiled validators of the schemas requests carry, by their JSON text (a few pipelines and prompts in practice). */
const validatorLimit = 64;

/**
 * Records what the drift monitors need that the usage ledger does not hold, per alias, prompt
 * version and pipeline: whether a JSON answer parsed and met the request's schema, pipeline
 * re-asks (repairs), refusals, and the input's embedding (summed per minute, so a window's
 * centroid is one division). As model middleware it only reads the call after its answer
 * (off the caller's path: answered calls are queued and handled together on a later turn); minutes are buffered and written
 * every `flushMs`, one row per series and minute per node.
 */
export class DriftRecorder {
  private buckets = new Map<string, Bucket>();
  private readonly validators = new Map<string, SchemaValidator>();
  private embedBudget: { second: number; left: number } = { second: 0, left: 0 };
  private timer: NodeJS.Timeout | undefined;
  private readonly now: () => number;
  /** Answered calls waiting for the next drain (one turn of the event loop handles them all): two arrays, no object per call. */
  private queuedContexts: CallContext[] = [];
  private queuedCompletions: ChatCompletion[] = [];
  private draining: Promise<void> | undefined;
  /** The bucket the last observation went to: consecutive calls of one series skip building its key. */
  private lastBucket: Bucket | undefined;

  constructor(private readonly options: DriftRecorderOptions) {
    this.now = options.now ?? Date.now;
  }

  start(): void {
    this.timer ??= setInterval(() => void this.flush().catch(this.options.onError), this.options.flushMs);
    this.timer.unref();
  }

  readonly middleware: ModelMiddleware = (context, next) => {
    if (context.input.operation !== 'chat') return next();
    context.defer(({ error, completion }) => {
      if (error || !completion || context.cache === 'hit' || context.cache === 'semantic') return;
      this.queuedContexts.push(context);
      this.queuedCompletions.push(completion);
      // One setImmediate per batch, not per call: a promise chain per call cost more than the observation.
      this.draining ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.drain());
    });
    return next();
  };

  /** Writes the buffered minutes (after the observations in flight). */
  async flush(): Promise<void> {
    await this.draining;
    if (this.buckets.size === 0) return;
    const rows = [...this.buckets.values()];
    this.buckets = new Map();
    this.lastBucket = undefined;
    await this.options.store.append(rows);
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  /**
   * Observes every queued call in one synchronous pass (the clock read once per batch), then
   * embeds the inputs that got a slot in one call of the embedder.
   */
  private async drain(): Promise<void> {
    try {
      while (this.queuedContexts.length > 0) {
        const contexts = this.queuedContexts;
        const completions = this.queuedCompletions;
        this.queuedContexts = [];
        this.queuedCompletions = [];
        const at = Math.floor(this.now() / 60_000) * 60_000;
        const inputs: string[] = [];
        const inputBuckets: Bucket[] = [];
        for (let index = 0; index < contexts.length; index++) {
          try {
            const context = contexts[index]!;
            const bucket = this.observe(context, completions[index]!, at);
            const request = (context.input as { request: ChatRequest }).request;
            const input = this.takeEmbedSlot() ? inputText(request, this.options.maxInputChars) : undefined;
            if (input) {
              inputs.push(input);
              inputBuckets.push(bucket);
            }
          } catch (error) {
            this.options.onError(error);
          }
        }
        if (inputs.length > 0) await this.addEmbeddings(inputs, inputBuckets).catch(this.options.onError);
      }
    } finally {
      this.draining = undefined;
    }
  }

  private async addEmbeddings(inputs: string[], buckets: Bucket[]): Promise<void> {
    const vectors = await this.options.embed(inputs);
    for (let index = 0; index < buckets.length; index++) {
      const vector = vectors[index];
      if (!vector) continue;
      const bucket = buckets[index]!;
      bucket.embeddingSum ??= new Float32Array(vector.length);
      if (bucket.embeddingSum.length === vector.length) {
        for (let dimension = 0; dimension < vector.length; dimension++) bucket.embeddingSum[dimension]! += vector[dimension]!;
        bucket.embedded++;
      }
    }
  }

  private observe(context: CallContext, completion: ChatCompletion, at: number): Bucket {
    const request = (context.input as { request: ChatRequest }).request;
    const schema = this.schemaCheck(request, completion);
    const bucket = this.bucketOf(context, at);
    bucket.requests++;
    if (schema !== undefined) {
      bucket.schemaChecked++;
      if (!schema) bucket.schemaFailures++;
    }
    if ((context.origin?.attempt ?? 1) > 1) bucket.repairs++;
    if (isRefusal(completion)) bucket.refusals++;
    return bucket;
  }

  private bucketOf(context: CallContext, at: number): Bucket {
    const prompt = context.prompt;
    const promptName = prompt?.name ?? null;
    const promptVersion = prompt?.version ?? null;
    const pipeline = context.origin?.pipeline ?? null;
    const last = this.lastBucket;
    if (
      last !== undefined &&
      last.at === at &&
      last.alias === context.requestedAlias &&
      last.promptName === promptName &&
      last.promptVersion === promptVersion &&
      last.pipeline === pipeline
    ) {
      return last;
    }
    const key = `${at}\0${context.requestedAlias}\0${promptName ?? ''}\0${promptVersion ?? ''}\0${pipeline ?? ''}`;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = {
        at,
        alias: context.requestedAlias,
        promptName,
        promptVersion,
        pipeline,
        requests: 0,
        schemaChecked: 0,
        schemaFailures: 0,
        repairs: 0,
        refusals: 0,
        embedded: 0,
        embeddingSum: null,
        embedder: this.options.embedderId,
      };
      this.buckets.set(key, bucket);
    }
    this.lastBucket = bucket;
    return bucket;
  }

  /** True/false when the request asked for JSON (parsed, and valid against its json_schema); undefined when it did not. */
  private schemaCheck(request: ChatRequest, completion: ChatCompletion): boolean | undefined {
    const format = request.response_format;
    if (!format || format.type === 'text') return undefined;
    const text = completion.choices[0]?.message.content;
    if (typeof text !== 'string') return false;
    const parsed = parseModelJson(text);
    if (!parsed.ok) return false;
    if (format.type !== 'json_schema' || !format.json_schema.schema) return true;
    const source = JSON.stringify(format.json_schema.schema);
    let validator = this.validators.get(source);
    if (!validator) {
      if (this.validators.size >= validatorLimit) this.validators.delete(this.validators.keys().next().value!);
      validator = SchemaValidator.compile(format.json_schema.schema);
      this.validators.set(source, validator);
    }
    return validator.validate(parsed.value).ok;
  }

  private takeEmbedSlot(): boolean {
    const second = Math.floor(this.now() / 1000);
    if (this.embedBudget.second !== second) this.embedBudget = { second, left: this.options.maxEmbedPerSecond };
    if (this.embedBudget.left <= 0) return false;
    this.embedBudget.left--;
    return true;
  }
}

/** The input the distribution is about: the last user message's text (its start). */
export function inputText(request: ChatRequest, maxChars: number): string | undefined {
  for (let index = request.messages.length - 1; index >= 0; index--) {
    const message = request.messages[index]!;
    if (message.role !== 'user') continue;
    const content = message.content as unknown;
    if (typeof content === 'string') return content.slice(0, maxChars) || undefined;
    if (Array.isArray(content)) {
      const text = content
        .map((part: { type?: string; text?: string }) => (part.type === 'text' ? (part.text ?? '') : ''))
        .join(' ')
        .slice(0, maxChars);
      return text || undefined;
    }
    return undefined;
  }
  return undefined;
}
