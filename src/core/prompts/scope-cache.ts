import type { PromptRegistryStore, PromptVersion } from '../ports/prompt-registry.js';

/** Versions kept in memory; they never change, so the only reason to drop one is room. */
const maxVersions = 2_000;
/** Names remembered as absent or their labels; past it the oldest entry goes. */
const maxNames = 10_000;

/**
 * What the registry reads on every prompt-referencing request, per node.
 *
 * - Versions never change: cached for good.
 * - A name that exists in a scope always will (versions are never deleted); one that does not
 *   is remembered as absent until the store announces its first version.
 * - Labels are read through the store on every request by default (`ttlMs` 0): one indexed
 *   read, and the only way a move made on node A is served by node B on its very next
 *   request — a notice can reach B a moment after a client that watched A's answer does. A
 *   positive `ttlMs` trades that for fewer reads: labels are then kept that long, or until a
 *   move notice drops them.
 */
export class ScopeCache {
  private readonly labelEntries = new Map<string, { labels: Map<string, number>; until: number }>();
  private readonly present = new Set<string>();
  private readonly absent = new Set<string>();
  private readonly versions = new Map<string, PromptVersion>();
  /** Bumped by every forget/clear: a read that began before it must not be kept. */
  private generation = 0;

  constructor(
    private readonly store: PromptRegistryStore,
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {}

  async exists(scope: string, name: string): Promise<boolean> {
    const id = `${scope}\0${name}`;
    if (this.present.has(id)) return true;
    if (this.absent.has(id)) return false;
    const generation = this.generation;
    const found = (await this.version(scope, name, 1)) !== undefined;
    if (found) this.present.add(id);
    else if (generation === this.generation) {
      if (this.absent.size >= maxNames) this.absent.delete(this.absent.values().next().value!);
      this.absent.add(id);
    }
    return found;
  }

  async labels(scope: string, name: string): Promise<ReadonlyMap<string, number>> {
    const id = `${scope}\0${name}`;
    const cached = this.labelEntries.get(id);
    if (cached && cached.until > this.now()) return cached.labels;
    const generation = this.generation;
    const labels = new Map((await this.store.labels(scope, name)).map((label) => [label.label, label.version]));
    if (this.ttlMs > 0 && generation === this.generation) {
      if (this.labelEntries.size >= maxNames) this.labelEntries.delete(this.labelEntries.keys().next().value!);
      this.labelEntries.set(id, { labels, until: this.now() + this.ttlMs });
    }
    return labels;
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
    this.absent.delete(`${scope}\0${name}`);
  }

  clear(): void {
    this.generation++;
    this.labelEntries.clear();
    this.absent.clear();
  }
}
