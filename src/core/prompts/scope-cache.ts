import type { PromptRegistryStore, PromptVersion } from '../ports/prompt-registry.js';

/** Versions kept in memory; they never change, so the only reason to drop one is room. */
const maxVersions = 2_000;
/** Names whose labels are kept; past it the oldest entry goes. */
const maxNames = 10_000;

interface LabelEntry {
  /** Label → version; null when the scope has no prompt of that name. */
  labels: Map<string, number> | null;
  until: number;
}

/**
 * What the registry reads on every prompt-referencing request, kept per node: the labels of a
 * name for `ttlMs` (or until a move notification drops them) and versions for good. A name
 * exists once its version 1 does (versions are never deleted), so existence costs no query of
 * its own after the first.
 */
export class ScopeCache {
  private readonly labelEntries = new Map<string, LabelEntry>();
  private readonly loading = new Map<string, Promise<LabelEntry>>();
  private readonly versions = new Map<string, PromptVersion>();
  /** Bumped by every forget/clear: a load that began before it must not be stored. */
  private generation = 0;

  constructor(
    private readonly store: PromptRegistryStore,
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {}

  async exists(scope: string, name: string): Promise<boolean> {
    return (await this.labelEntry(scope, name)).labels !== null;
  }

  async labels(scope: string, name: string): Promise<ReadonlyMap<string, number> | null> {
    return (await this.labelEntry(scope, name)).labels;
  }

  async version(scope: string, name: string, version: number): Promise<PromptVersion | undefined> {
    const id = `${scope}\0${name}\0${version}`;
    const cached = this.versions.get(id);
    if (cached) return cached;
    const found = await this.store.getVersion(scope, name, version);
    if (found) {
      if (this.versions.size >= maxVersions) this.versions.delete(this.versions.keys().next().value!);
      this.versions.set(id, found);
    }
    return found;
  }

  forget(scope: string, name: string): void {
    this.generation++;
    this.labelEntries.delete(`${scope}\0${name}`);
    this.loading.delete(`${scope}\0${name}`);
  }

  clear(): void {
    this.generation++;
    this.labelEntries.clear();
    this.loading.clear();
  }

  private async labelEntry(scope: string, name: string): Promise<LabelEntry> {
    const id = `${scope}\0${name}`;
    const cached = this.labelEntries.get(id);
    if (cached && cached.until > this.now()) return cached;
    let pending = this.loading.get(id);
    if (!pending) {
      pending = this.load(id, scope, name);
      this.loading.set(id, pending);
    }
    return pending;
  }

  private async load(id: string, scope: string, name: string): Promise<LabelEntry> {
    const generation = this.generation;
    try {
      const [labels, first] = await Promise.all([this.store.labels(scope, name), this.version(scope, name, 1)]);
      const entry: LabelEntry = { labels: first ? new Map(labels.map((label) => [label.label, label.version])) : null, until: this.now() + this.ttlMs };
      if (generation === this.generation) {
        if (this.labelEntries.size >= maxNames) this.labelEntries.delete(this.labelEntries.keys().next().value!);
        this.labelEntries.set(id, entry);
      }
      return entry;
    } finally {
      if (this.loading.get(id) && generation === this.generation) this.loading.delete(id);
    }
  }
}
