import { createHash } from 'node:crypto';
import type { ChatCompletion, ChatRequest } from '../../wire/chat.js';
import type { Embedder } from '../ports/embedder.js';
import type { ResponseCache } from '../ports/response-cache.js';
import type { VectorIndex, VectorIndexStore } from '../ports/vector-index.js';
import { anchorsAgree, type Anchors } from './anchors.js';
import { languagesDiffer } from './language.js';
import { embeddingText } from './normalise.js';
import { swapsContentWords } from './prompt-match.js';
import { extractRoles, rolesAgree, type Roles } from './roles.js';
import { describePrompt, type CacheablePrompt } from './scope.js';

/**
 * The threshold calibrated for the built-in hashed n-gram embedder on bench:cache's dev set
 * (the lowest at which no dev near-miss is served, a step up for margin); that embedder
 * declares it as its `defaultThreshold`.
 */
export const defaultSimilarityThreshold = 0.6;

/**
 * The similarity a hit needs when neither the route nor the embedder says (an embeddings model
 * without a calibrated threshold): high, since a model's near-misses sit close to its
 * paraphrases. Calibrate with bench:cache (bench/cache/README.md) and configure the result.
 */
export const uncalibratedThreshold = 0.9;

/** The threshold an embedder was calibrated at, or the cautious one. */
export function thresholdFor(embedder: Embedder): number {
  return embedder.defaultThreshold ?? uncalibratedThreshold;
}

export interface SemanticCacheOptions {
  embedder: Embedder;
  /** One index per scope; its dimension must be the embedder's. */
  indexes: VectorIndexStore;
  /** Where the answers live, under `sem:<scope>:<label>`, with their TTL. */
  payloads: ResponseCache;
  /** Entries kept in this process; the oldest go first. */
  maxEntries: number;
  /**
   * Scopes whose index is held in memory (an HNSW index takes ~2.5 MB even when nearly empty);
   * the least recently used is written out and closed beyond it, and read back when used again.
   */
  maxScopes: number;
  /** Scopes kept at all (on disk, or in memory where nothing persists); the least recently used is deleted beyond it. */
  maxStoredScopes: number;
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
  /** Absent in entries stored before roles were kept: derived from `text` then. */
  roles?: Roles;
  language?: string;
  /** Absent in entries stored before it was kept: no evidence then. */
  languages?: string[];
  completion: ChatCompletion;
}

/** An open scope. */
interface ScopeState {
  index: VectorIndex;
  /** Anchor signature per label, once known: rules candidates out without fetching them. */
  signatures: Map<number, string | undefined>;
}

/** A stored scope, open or not. */
interface KnownScope {
  tenant: string;
  alias: string;
  /** Live entries; a closed index may still hold labels forgotten since, pruned when it opens. */
  labels: Set<number>;
  /**
   * The label of each question stored by this process (by questionKey), to find the entry of a
   * question asked again without a vector search; undefined when the scope holds entries this
   * process did not store (read from disk), whose questions only the index can find.
   */
  questions: QuestionLabels | undefined;
}

/** Both ways between a question (questionKey) and its entry's label. */
class QuestionLabels {
  private readonly labels = new Map<string, number>();
  private readonly questions = new Map<number, string>();

  get(question: string): number | undefined {
    return this.labels.get(question);
  }

  set(question: string, label: number): void {
    this.delete(label);
    this.labels.set(question, label);
    this.questions.set(label, question);
  }

  delete(label: number): void {
    const question = this.questions.get(label);
    if (question === undefined) return;
    this.questions.delete(label);
    if (this.labels.get(question) === label) this.labels.delete(question);
  }
}

/** A request's question as the cache worked it out, kept for the call's store (see `prepare`). */
interface Prepared {
  tenant: string;
  alias: string;
  prompt: CacheablePrompt | undefined;
  vector: Float32Array | undefined;
}

/**
 * Answers a question with the answer to an earlier one that means the same. A hit needs the
 * same scope (tenant, alias, prompt version, answer shape, earlier turns — see scope.ts), a
 * cosine similarity at or above the route's threshold, the same anchors (numbers, dates,
 * names, identifiers, negation, direction, units in their letter case — see anchors.ts), not
 * a one-word swap of the cached question (prompt-match.ts), the same roles in the same order
 * (roles.ts), and — unless the embedder is multilingual — the same language (language.ts).
 * Each check is linear in the prompt, or bounded by a cap, so no lookup holds the event loop.
 */
export class SemanticCache {
  /** Every stored scope, least recently used first. */
  private readonly known = new Map<string, KnownScope>();
  /** The open ones, least recently used first. */
  private readonly scopes = new Map<string, ScopeState>();
  private readonly opening = new Map<string, Promise<ScopeState>>();
  /** Scopes a lookup or store is using right now: never closed or deleted under it. */
  private readonly pins = new Map<string, number>();
  /** Closing and deleting scopes beyond the caps, one pass at a time. */
  private evicting: Promise<void> = Promise.resolve();
  /** Every entry, oldest first (labels are handed out in order, so sorting by label restores it). */
  private readonly order = new Map<string, { scope: string; label: number }>();
  private nextLabel = 0;
  private loading: Promise<void> | undefined;
  private readonly candidates: number;
  /**
   * Each request's question, described and embedded once for both its lookup and its store
   * (twice was ~30% of the cache's time per unique request). Keyed by the request object, so
   * it goes with it.
   */
  private readonly prepared = new WeakMap<ChatRequest, Prepared>();

  constructor(private readonly options: SemanticCacheOptions) {
    if (options.indexes.dimension !== options.embedder.dimension) {
      throw new Error(`The vector index holds ${options.indexes.dimension} dimensions; the embedder ${options.embedder.id} makes ${options.embedder.dimension}.`);
    }
    this.candidates = options.candidates ?? 8;
  }

  get size(): number {
    return this.order.size;
  }

  /** Scopes whose index is in memory now. */
  get openScopes(): number {
    return this.scopes.size;
  }

  /** Scopes kept, open or not. */
  get storedScopes(): number {
    return this.known.size;
  }

  /** What is embedded of a normalised question: its content words for a spelling-only embedder, else all of it (Embedder.spellingOnly). */
  private embeddingTextOf(normalised: string): string {
    return this.options.embedder.spellingOnly ? embeddingText(normalised) : normalised;
  }

  /**
   * Works out the request's question now, for this call's store: the entry then keys on what
   * the client sent, even when inner middleware (PII redaction) rewrite the request's messages
   * in place before the answer comes back. A lookup prepares by itself.
   */
  prepare(request: ChatRequest, tenant: string, alias: string): void {
    this.preparedFor(request, tenant, alias);
  }

  private preparedFor(request: ChatRequest, tenant: string, alias: string): Prepared {
    const known = this.prepared.get(request);
    if (known && known.tenant === tenant && known.alias === alias) return known;
    const prepared: Prepared = { tenant, alias, prompt: describePrompt(request, tenant, alias), vector: undefined };
    this.prepared.set(request, prepared);
    return prepared;
  }

  private async vectorOf(prepared: Prepared, prompt: CacheablePrompt, signal: AbortSignal | undefined): Promise<Float32Array> {
    if (prepared.vector) return prepared.vector;
    const [vector] = await this.options.embedder.embed([this.embeddingTextOf(prompt.text)], signal);
    prepared.vector = vector!;
    return vector!;
  }

  async lookup(request: ChatRequest, tenant: string, alias: string, threshold: number, signal?: AbortSignal): Promise<SemanticHit | undefined> {
    await this.load();
    const prepared = this.preparedFor(request, tenant, alias);
    const prompt = prepared.prompt;
    // A shared index also holds other processes' entries: searched even where this one stored none.
    if (!prompt || (!this.options.indexes.capabilities.shared && !this.known.get(prompt.scope)?.labels.size)) return undefined;
    const vector = await this.vectorOf(prepared, prompt, signal);
    const state = await this.use(prompt.scope, tenant, alias);
    try {
      const words = new Set(prompt.text.split(' '));
      for (const match of await state.index.search(vector, this.candidates)) {
        if (match.similarity < threshold) break;
        const known = state.signatures.get(match.label);
        if (known !== undefined && known !== prompt.signature) continue;
        const payload = await this.payload(prompt.scope, match.label);
        if (!payload) continue;
        state.signatures.set(match.label, payload.signature);
        if (!anchorsAgree(prompt.anchors, words, payload.anchors, new Set(payload.text.split(' ')))) continue;
        // A monolingual embedder's similarity across languages is shared names and numbers, not meaning; and the answer is in the other language.
        const crossLanguage = languagesDiffer(prompt.language, payload.language, prompt.languages, payload.languages);
        if (crossLanguage && !this.options.embedder.multilingual) continue;
        // Across languages no word has its counterpart spelled alike: a multilingual model's similarity stands for the content check.
        if (!crossLanguage && swapsContentWords(prompt.text, payload.text, prompt.language ?? payload.language)) continue;
        if (!rolesAgree(prompt.roles, payload.roles ?? extractRoles(payload.text, payload.language))) continue;
        return { completion: payload.completion, similarity: Math.min(1, match.similarity) };
      }
      return undefined;
    } finally {
      this.unuse(prompt.scope);
      // Closing another scope writes it to disk: not on the way to the answer.
      void this.evict();
    }
  }

  /** Stores an answer; false when the request cannot be cached by meaning. */
  async store(request: ChatRequest, tenant: string, alias: string, completion: ChatCompletion, ttlMs: number, signal?: AbortSignal): Promise<boolean> {
    await this.load();
    const prepared = this.preparedFor(request, tenant, alias);
    this.prepared.delete(request);
    const prompt = prepared.prompt;
    if (!prompt) return false;
    const vector = await this.vectorOf(prepared, prompt, signal);
    const state = await this.use(prompt.scope, tenant, alias);
    try {
      const question = questionKey(prompt);
      const label = (await this.sameQuestion(state, prompt, question, vector)) ?? (this.options.indexes.nextLabel ? await this.options.indexes.nextLabel() : this.nextLabel++);
      const payload: Payload = {
        scope: prompt.scope,
        label,
        text: prompt.text,
        anchors: prompt.anchors,
        signature: prompt.signature,
        roles: prompt.roles,
        ...(prompt.language ? { language: prompt.language } : {}),
        languages: prompt.languages,
        completion,
      };
      // The answer first, the vector second: a label is never searchable before its answer exists.
      await this.options.payloads.set(key(prompt.scope, label), JSON.stringify(payload), ttlMs);
      await state.index.add(label, vector);
      state.signatures.set(label, prompt.signature);
      const known = this.known.get(prompt.scope);
      known?.labels.add(label);
      known?.questions?.set(question, label);
      const entry = `${prompt.scope}\0${label}`;
      this.order.delete(entry);
      this.order.set(entry, { scope: prompt.scope, label });
    } finally {
      this.unuse(prompt.scope);
    }
    while (this.order.size > this.options.maxEntries) {
      const oldest = this.order.values().next().value!;
      await this.forget(oldest.scope, oldest.label);
    }
    await this.evict();
    return true;
  }

  /** Drops a tenant's entries (only one alias's, when named); resolves to how many went. */
  async invalidate(target: { tenant: string; alias?: string }): Promise<number> {
    await this.load();
    let dropped = 0;
    // A shared index holds scopes other processes made: those go too.
    if (this.options.indexes.capabilities.shared)
      for (const { scope, meta } of await this.options.indexes.list())
        if (!this.known.has(scope) && meta.tenant !== undefined && meta.alias !== undefined)
          this.known.set(scope, { tenant: meta.tenant, alias: meta.alias, labels: new Set(), questions: undefined });
    for (const [scope, known] of [...this.known]) {
      if (known.tenant !== target.tenant || (target.alias !== undefined && known.alias !== target.alias)) continue;
      dropped += known.labels.size;
      await this.deleteScope(scope);
    }
    return dropped;
  }

  async close(): Promise<void> {
    await this.loading?.catch(() => undefined);
    await this.evicting;
    await this.options.indexes.close();
  }

  /**
   * Reads every stored scope's entries once, dropping scopes whose vectors another embedder
   * made. Only `maxScopes` stay open meanwhile. Recency before a restart is not recorded, so
   * the scope with the newest entry counts as the most recently used.
   */
  private load(): Promise<void> {
    this.loading ??= (async () => {
      const entries: Array<{ scope: string; label: number }> = [];
      for (const { scope, meta } of await this.options.indexes.list()) {
        if (meta.embedder !== this.options.embedder.id || meta.tenant === undefined || meta.alias === undefined) {
          await this.options.indexes.drop(scope);
          continue;
        }
        const state = await this.openScope(scope, meta.tenant, meta.alias);
        const labels = state.index.labels();
        this.known.set(scope, { tenant: meta.tenant, alias: meta.alias, labels: new Set(labels), questions: labels.length === 0 ? new QuestionLabels() : undefined });
        for (const label of labels) entries.push({ scope, label });
        if (this.scopes.size > this.options.maxScopes) await this.closeScope(this.scopes.keys().next().value!);
      }
      const newest = (known: KnownScope) => {
        let label = -1;
        for (const each of known.labels) label = Math.max(label, each);
        return label;
      };
      const byRecency = [...this.known].sort(([, a], [, b]) => newest(a) - newest(b));
      this.known.clear();
      for (const [scope, known] of byRecency) this.known.set(scope, known);
      entries.sort((a, b) => a.label - b.label);
      for (const entry of entries) this.order.set(`${entry.scope}\0${entry.label}`, entry);
      this.nextLabel = entries.length > 0 ? entries.at(-1)!.label + 1 : 0;
      await this.evictNow();
    })();
    return this.loading;
  }

  /** Opens a scope for one lookup or store, pinned until `unuse`, and marks it the most recently used. */
  private async use(scope: string, tenant: string, alias: string): Promise<ScopeState> {
    this.pins.set(scope, (this.pins.get(scope) ?? 0) + 1);
    try {
      // A scope first seen now holds only what this process stores: its questions are all known.
      const known = this.known.get(scope) ?? { tenant, alias, labels: new Set<number>(), questions: this.options.indexes.capabilities.shared ? undefined : new QuestionLabels() };
      this.known.delete(scope);
      this.known.set(scope, known);
      const state = await this.openScope(scope, tenant, alias);
      this.scopes.delete(scope);
      this.scopes.set(scope, state);
      return state;
    } catch (error) {
      this.unuse(scope);
      throw error;
    }
  }

  private unuse(scope: string): void {
    const pins = (this.pins.get(scope) ?? 1) - 1;
    if (pins > 0) this.pins.set(scope, pins);
    else this.pins.delete(scope);
  }

  private openScope(scope: string, tenant: string, alias: string): Promise<ScopeState> {
    const held = this.scopes.get(scope);
    if (held) return Promise.resolve(held);
    let opening = this.opening.get(scope);
    if (!opening) {
      opening = this.options.indexes
        .open(scope, { tenant, alias, embedder: this.options.embedder.id })
        .then(async (index) => {
          // Entries forgotten while the scope was closed are still in its index (a shared one's others are other processes' entries).
          const live = this.known.get(scope)?.labels;
          if (live && !this.options.indexes.capabilities.shared) for (const label of index.labels()) if (!live.has(label)) await index.remove(label);
          const state: ScopeState = { index, signatures: new Map() };
          this.scopes.set(scope, state);
          return state;
        })
        .finally(() => this.opening.delete(scope));
      this.opening.set(scope, opening);
    }
    return opening;
  }

  /** Runs one eviction pass after the one in progress; a failed pass costs memory or disk, never a request. */
  private evict(): Promise<void> {
    if (this.known.size <= this.maxStoredScopes() && this.scopes.size <= this.options.maxScopes) return this.evicting;
    this.evicting = this.evicting.then(() => this.evictNow()).catch(() => undefined);
    return this.evicting;
  }

  /** Where nothing persists, a closed scope is a lost one: both caps count the open scopes. */
  private maxStoredScopes(): number {
    return this.options.indexes.capabilities.persistent ? this.options.maxStoredScopes : Math.min(this.options.maxStoredScopes, this.options.maxScopes);
  }

  /** Deletes the least recently used scopes beyond `maxStoredScopes`, then closes those beyond `maxScopes`. */
  private async evictNow(): Promise<void> {
    // Live iteration: a scope used meanwhile moves to the end and may come round again, which is harmless.
    for (const scope of this.known.keys()) {
      if (this.known.size <= this.maxStoredScopes()) break;
      if (!this.pins.has(scope) && !this.opening.has(scope)) await this.deleteScope(scope);
    }
    for (const scope of this.scopes.keys()) {
      if (this.scopes.size <= this.options.maxScopes) break;
      if (!this.pins.has(scope)) await this.closeScope(scope);
    }
  }

  /** Writes a scope's index out and frees its memory; its entries stay. */
  private async closeScope(scope: string): Promise<void> {
    if (!this.scopes.delete(scope)) return;
    await this.options.indexes.release(scope);
  }

  /** Forgets a scope: its index, its files and its answers. */
  private async deleteScope(scope: string): Promise<void> {
    const known = this.known.get(scope);
    this.known.delete(scope);
    this.scopes.delete(scope);
    const labels = [...(known?.labels ?? [])];
    for (const label of labels) this.order.delete(`${scope}\0${label}`);
    await this.options.indexes.drop(scope);
    await Promise.all(labels.map((label) => this.options.payloads.delete(key(scope, label))));
  }

  /**
   * The label of an entry for this very question (asked again with no-cache), to overwrite it:
   * from the scope's question map when it knows every entry's question, else the index's nearest.
   */
  private async sameQuestion(state: ScopeState, prompt: CacheablePrompt, question: string, vector: Float32Array): Promise<number | undefined> {
    const questions = this.known.get(prompt.scope)?.questions;
    let label: number | undefined;
    if (questions) label = questions.get(question);
    else {
      const [nearest] = await state.index.search(vector, 1);
      if (nearest && nearest.similarity >= 0.9999) label = nearest.label;
    }
    if (label === undefined) return undefined;
    const payload = await this.payload(prompt.scope, label);
    return payload?.text === prompt.text && payload.signature === prompt.signature ? label : undefined;
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
    const questions = this.known.get(scope)?.questions;
    questions?.delete(label);
    this.known.get(scope)?.labels.delete(label);
    const state = this.scopes.get(scope);
    state?.signatures.delete(label);
    await state?.index.remove(label);
    await this.options.payloads.delete(key(scope, label));
    const known = this.known.get(scope);
    // An empty scope is three files for nothing.
    if (known?.labels.size === 0 && !this.options.indexes.capabilities.shared && !this.pins.has(scope) && !this.opening.has(scope)) await this.deleteScope(scope);
  }
}

function key(scope: string, label: number): string {
  return `sem:${scope}:${label}`;
}

/** A question's identity within its scope (its text and anchor signature), hashed to bound its memory. */
function questionKey(prompt: CacheablePrompt): string {
  return createHash('sha1').update(prompt.signature).update('\0').update(prompt.text).digest('base64');
}
