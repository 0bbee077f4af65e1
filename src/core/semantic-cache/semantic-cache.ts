import type { ChatCompletion, ChatRequest } from '../../wire/chat.js';
import type { Embedder } from '../ports/embedder.js';
import type { ResponseCache } from '../ports/response-cache.js';
import type { VectorIndex, VectorIndexStore } from '../ports/vector-index.js';
import { anchorsAgree, type Anchors } from './anchors.js';
import { swapsContentWords } from './prompt-match.js';
import { describePrompt, type CacheablePrompt } from './scope.js';

/**
 * The similarity a route needs for a hit unless configured: on bench:cache's paraphrase set
 * (hashed n-gram embedder) it serves about three paraphrases in four with no near-miss served;
 * lower thresholds serve more but leave the anchor and word-swap guards as the only defence.
 */
export const defaultSimilarityThreshold = 0.75;

export interface SemanticCacheOptions {
  embedder: Embedder;
  /** One index per scope; its dimension must be the embedder's. */
  indexes: VectorIndexStore;
  /** Where the answers live, under `sem:<scope>:<label>`, with their TTL. */
  payloads: ResponseCache;
  /** Entries kept in this process; the oldest go first. */
  maxEntries: number;
  /** Neighbours checked per lookup, most similar first (default 8). */
  candidates?: number;
}

export interface SemanticHit {
  completion: ChatCompletion;
  similarity: number;
}

/** What is stored per entry: the answer, and the question it answers, to verify candidates. */
interface Payload {
  scope: string;
  label: number;
  text: string;
  anchors: Anchors;
  signature: string;
  completion: ChatCompletion;
}

interface ScopeState {
  tenant: string;
  alias: string;
  index: VectorIndex;
  /** Anchor signature per label, once known: rules candidates out without fetching them. */
  signatures: Map<number, string | undefined>;
}

/**
 * Answers a question with the answer to an earlier one that means the same. A hit needs the
 * same scope (tenant, alias, prompt version, answer shape, earlier turns — see scope.ts), a
 * cosine similarity at or above the route's threshold, the same anchors (numbers, dates,
 * names, identifiers, negation, direction — see anchors.ts), and not a one-word swap of the
 * cached question (prompt-match.ts).
 */
export class SemanticCache {
  private readonly scopes = new Map<string, ScopeState>();
  private readonly opening = new Map<string, Promise<ScopeState>>();
  /** Every entry, oldest first (labels are handed out in order, so sorting by label restores it). */
  private readonly order = new Map<string, { scope: string; label: number }>();
  private nextLabel = 0;
  private loading: Promise<void> | undefined;
  private readonly candidates: number;

  constructor(private readonly options: SemanticCacheOptions) {
    if (options.indexes.dimension !== options.embedder.dimension) {
      throw new Error(`The vector index holds ${options.indexes.dimension} dimensions; the embedder ${options.embedder.id} makes ${options.embedder.dimension}.`);
    }
    this.candidates = options.candidates ?? 8;
  }

  get size(): number {
    return this.order.size;
  }

  async lookup(request: ChatRequest, tenant: string, alias: string, threshold: number, signal?: AbortSignal): Promise<SemanticHit | undefined> {
    await this.load();
    const prompt = describePrompt(request, tenant, alias);
    const state = prompt && this.scopes.get(prompt.scope);
    if (!prompt || !state || state.index.size() === 0) return undefined;
    const [vector] = await this.options.embedder.embed([prompt.text], signal);
    const words = new Set(prompt.text.split(' '));
    for (const match of await state.index.search(vector!, this.candidates)) {
      if (match.similarity < threshold) break;
      const known = state.signatures.get(match.label);
      if (known !== undefined && known !== prompt.signature) continue;
      const payload = await this.payload(prompt.scope, match.label);
      if (!payload) continue;
      state.signatures.set(match.label, payload.signature);
      if (!anchorsAgree(prompt.anchors, words, payload.anchors, new Set(payload.text.split(' ')))) continue;
      if (swapsContentWords(prompt.text, payload.text)) continue;
      return { completion: payload.completion, similarity: Math.min(1, match.similarity) };
    }
    return undefined;
  }

  /** Stores an answer; false when the request cannot be cached by meaning. */
  async store(request: ChatRequest, tenant: string, alias: string, completion: ChatCompletion, ttlMs: number, signal?: AbortSignal): Promise<boolean> {
    await this.load();
    const prompt = describePrompt(request, tenant, alias);
    if (!prompt) return false;
    const [vector] = await this.options.embedder.embed([prompt.text], signal);
    const state = await this.openScope(prompt.scope, tenant, alias);
    const label = (await this.sameQuestion(state, prompt, vector!)) ?? this.nextLabel++;
    const payload: Payload = { scope: prompt.scope, label, text: prompt.text, anchors: prompt.anchors, signature: prompt.signature, completion };
    // The answer first, the vector second: a label is never searchable before its answer exists.
    await this.options.payloads.set(key(prompt.scope, label), JSON.stringify(payload), ttlMs);
    await state.index.add(label, vector!);
    state.signatures.set(label, prompt.signature);
    const entry = `${prompt.scope}\0${label}`;
    this.order.delete(entry);
    this.order.set(entry, { scope: prompt.scope, label });
    while (this.order.size > this.options.maxEntries) {
      const oldest = this.order.values().next().value!;
      await this.forget(oldest.scope, oldest.label);
    }
    return true;
  }

  /** Drops a tenant's entries (only one alias's, when named); resolves to how many went. */
  async invalidate(target: { tenant: string; alias?: string }): Promise<number> {
    await this.load();
    let dropped = 0;
    for (const [scope, state] of [...this.scopes]) {
      if (state.tenant !== target.tenant || (target.alias !== undefined && state.alias !== target.alias)) continue;
      const labels = state.index.labels();
      this.scopes.delete(scope);
      await this.options.indexes.drop(scope);
      await Promise.all(labels.map((label) => this.options.payloads.delete(key(scope, label))));
      for (const label of labels) this.order.delete(`${scope}\0${label}`);
      dropped += labels.length;
    }
    return dropped;
  }

  async close(): Promise<void> {
    await this.loading?.catch(() => undefined);
    await this.options.indexes.close();
  }

  /** Opens every stored scope once, dropping those whose vectors another embedder made. */
  private load(): Promise<void> {
    this.loading ??= (async () => {
      const entries: Array<{ scope: string; label: number }> = [];
      for (const { scope, meta } of await this.options.indexes.list()) {
        if (meta.embedder !== this.options.embedder.id || meta.tenant === undefined || meta.alias === undefined) {
          await this.options.indexes.drop(scope);
          continue;
        }
        const state = await this.openScope(scope, meta.tenant, meta.alias);
        for (const label of state.index.labels()) entries.push({ scope, label });
      }
      entries.sort((a, b) => a.label - b.label);
      for (const entry of entries) this.order.set(`${entry.scope}\0${entry.label}`, entry);
      this.nextLabel = entries.length > 0 ? entries.at(-1)!.label + 1 : 0;
    })();
    return this.loading;
  }

  private openScope(scope: string, tenant: string, alias: string): Promise<ScopeState> {
    const held = this.scopes.get(scope);
    if (held) return Promise.resolve(held);
    let opening = this.opening.get(scope);
    if (!opening) {
      opening = this.options.indexes
        .open(scope, { tenant, alias, embedder: this.options.embedder.id })
        .then((index) => {
          const state: ScopeState = { tenant, alias, index, signatures: new Map() };
          this.scopes.set(scope, state);
          return state;
        })
        .finally(() => this.opening.delete(scope));
      this.opening.set(scope, opening);
    }
    return opening;
  }

  /** The label of an entry for this very question (asked again with no-cache), to overwrite it. */
  private async sameQuestion(state: ScopeState, prompt: CacheablePrompt, vector: Float32Array): Promise<number | undefined> {
    const [nearest] = await state.index.search(vector, 1);
    if (!nearest || nearest.similarity < 0.9999) return undefined;
    const payload = await this.payload(prompt.scope, nearest.label);
    return payload?.text === prompt.text && payload.signature === prompt.signature ? nearest.label : undefined;
  }

  /** The stored entry, or undefined (and the label forgotten) when its answer expired. */
  private async payload(scope: string, label: number): Promise<Payload | undefined> {
    const stored = await this.options.payloads.get(key(scope, label));
    const payload = stored === undefined ? undefined : (JSON.parse(stored) as Payload);
    if (payload?.scope === scope && payload.label === label) return payload;
    await this.forget(scope, label);
    return undefined;
  }

  private async forget(scope: string, label: number): Promise<void> {
    this.order.delete(`${scope}\0${label}`);
    const state = this.scopes.get(scope);
    state?.signatures.delete(label);
    await state?.index.remove(label);
    await this.options.payloads.delete(key(scope, label));
  }
}

function key(scope: string, label: number): string {
  return `sem:${scope}:${label}`;
}
