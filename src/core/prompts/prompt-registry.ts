import { createHash } from 'node:crypto';
import { canonicalJson } from '../canonical-json.js';
import { BreakwaterError } from '../errors/breakwater-error.js';
import {
  type LabelChange,
  type NewPromptVersion,
  type PromptAuditEntry,
  type PromptLabel,
  type PromptRegistryStore,
  type PromptSummary,
  type PromptVersion,
  sharedScope,
  tenantScope,
} from '../ports/prompt-registry.js';
import type { VirtualKey } from '../ports/store.js';
import { placeholdersOf } from './render-prompt.js';
import { ScopeCache } from './scope-cache.js';

/** Who asks: the admin token (every scope) or a virtual key (its tenant's scope; reads the shared one too). */
export type PromptActor = { kind: 'admin' } | { kind: 'key'; key: VirtualKey };

/** A prompt as pushed: everything a version holds except what the registry assigns. */
export type PromptDefinition = Pick<NewPromptVersion, 'messages' | 'variables' | 'model' | 'parameters' | 'responseSchema' | 'description'>;

/** Names a version: by label or by number. */
export type PromptReference = { name: string; label: string } | { name: string; version: number };

export interface PromptRegistryOptions {
  store: PromptRegistryStore;
  /** Labels only the admin token may move (`prompts.protectedLabels`). */
  protectedLabels: readonly string[];
  /** How long a node keeps a label it read (0: read on every request; see ScopeCache). */
  labelCacheMs: number;
  /** True when other processes share the store: a move waits (at most a second) until this node heard its own notice. */
  sharedStore: boolean;
  now?: () => number;
}

/** How long a label move waits to hear its own notification (which every node hears at the same time). */
const heardTimeoutMs = 1_000;

/**
 * The prompt registry: pushes immutable versions, moves labels (protected ones by the admin
 * token only) and rolls them back, each as one audited store transaction, and resolves a
 * request's `prompt` reference to the version it is served with.
 *
 * Labels are read through the store on each request (or kept for `labelCacheMs` when an
 * operator sets it, dropped by the move notices the store sends every node: PostgreSQL NOTIFY
 * in the scale-out shape), so a move or rollback is served by every node's next request.
 * Versions never change, so they are cached for good (scope-cache.ts).
 */
export class PromptRegistry {
  private readonly cache: ScopeCache;
  private readonly now: () => number;
  private readonly waiters = new Set<{ key: string; resolve: () => void }>();
  private unwatch: (() => void) | undefined;

  constructor(private readonly options: PromptRegistryOptions) {
    this.now = options.now ?? Date.now;
    this.cache = new ScopeCache(options.store, options.labelCacheMs, this.now);
  }

  /** Starts listening for label moves (on every node sharing the store). */
  start(): void {
    this.unwatch ??= this.options.store.watchLabels((change) => this.onChange(change));
  }

  stop(): void {
    this.unwatch?.();
    this.unwatch = undefined;
    for (const waiter of this.waiters) waiter.resolve();
  }

  async push(actor: PromptActor, name: string, definition: PromptDefinition, tenant?: string): Promise<{ version: PromptVersion; created: boolean }> {
    const scope = this.writeScope(actor, tenant);
    const undeclared = placeholdersOf(definition.messages).filter((variable) => !Object.hasOwn(definition.variables, variable));
    if (undeclared.length > 0) {
      throw new BreakwaterError(
        'INVALID_REQUEST',
        `The messages use ${undeclared.map((variable) => `{{${variable}}}`).join(', ')} but "variables" does not declare ${undeclared.length === 1 ? 'it' : 'them'}; declare each with its type.`,
        { param: 'variables' },
      );
    }
    const sha256 = createHash('sha256').update(canonicalJson(definition)).digest('hex');
    return this.options.store.push({ ...definition, scope, name, sha256, createdBy: actorName(actor), createdAt: this.now() });
  }

  list(actor: PromptActor, tenant?: string): Promise<PromptSummary[]> {
    return this.options.store.listPrompts(this.readScopeForListing(actor, tenant));
  }

  /** The versions (newest first) and labels of a name, in the scope the actor reads it from. */
  async show(actor: PromptActor, name: string, tenant?: string): Promise<{ scope: string; versions: PromptVersion[]; labels: PromptLabel[] }> {
    const scope = await this.scopeOf(actor, name, tenant);
    const [versions, labels] = await Promise.all([this.options.store.listVersions(scope, name), this.options.store.labels(scope, name)]);
    return { scope, versions, labels };
  }

  async version(actor: PromptActor, name: string, version: number, tenant?: string): Promise<PromptVersion> {
    const scope = await this.scopeOf(actor, name, tenant);
    const found = await this.cache.version(scope, name, version);
    if (!found) throw notFound(`The prompt "${name}" has no version ${version}; GET /v1/prompts/${name} lists its versions.`);
    return found;
  }

  async audit(actor: PromptActor, name: string, limit: number, tenant?: string): Promise<PromptAuditEntry[]> {
    return this.options.store.audit(await this.scopeOf(actor, name, tenant), name, limit);
  }

  /** Points `label` at `version` (promote); audited with who, when, from and to. */
  moveLabel(actor: PromptActor, name: string, label: string, version: number, tenant?: string): Promise<PromptAuditEntry> {
    return this.move(actor, name, label, version, tenant);
  }

  /** Moves `label` back to the version it pointed at before its last move; audited like a move. */
  rollback(actor: PromptActor, name: string, label: string, tenant?: string): Promise<PromptAuditEntry> {
    return this.move(actor, name, label, null, tenant);
  }

  /**
   * The version a request is served with: the tenant's own prompt of that name when the tenant
   * has one, else the shared one. Labels come from the cache a move empties on every node.
   */
  async resolve(tenant: string | null, reference: PromptReference): Promise<PromptVersion> {
    const own = tenant === null ? undefined : tenantScope(tenant);
    const scope = own !== undefined && (await this.cache.exists(own, reference.name)) ? own : sharedScope;
    let number: number | undefined;
    if ('label' in reference) {
      number = (await this.cache.labels(scope, reference.name)).get(reference.label);
      if (number === undefined) {
        throw notFound(
          (await this.cache.exists(scope, reference.name))
            ? `The prompt "${reference.name}" has no label "${reference.label}"; GET /v1/prompts/${reference.name} lists its labels.`
            : `No prompt "${reference.name}"; GET /v1/prompts lists the prompts this key may use.`,
        );
      }
    } else number = reference.version;
    const version = await this.cache.version(scope, reference.name, number);
    if (!version) throw notFound(`The prompt "${reference.name}" has no version ${number}; GET /v1/prompts/${reference.name} lists its versions.`);
    return version;
  }

  private async move(actor: PromptActor, name: string, label: string, version: number | null, tenant?: string): Promise<PromptAuditEntry> {
    const scope = this.writeScope(actor, tenant);
    if (actor.kind !== 'admin' && this.options.protectedLabels.includes(label)) {
      throw new BreakwaterError(
        'PROMPT_LABEL_PROTECTED',
        `The label "${label}" is protected: only the admin token moves it. Use another label (such as "staging") or ask an operator.`,
        {
          param: 'label',
        },
      );
    }
    const heard = this.options.sharedStore ? this.waitToHear(scope, name) : undefined;
    const at = this.now();
    const result = await this.options.store.moveLabel({ scope, name, label, toVersion: version, action: version === null ? 'rollback' : 'label', actor: actorName(actor), at });
    if (!result.ok) {
      heard?.cancel();
      if (result.reason === 'no-history') throw notFound(`The label "${label}" of "${name}" has never moved, so there is nothing to roll back to.`);
      throw notFound(`The prompt "${name}" has no version ${version}; GET /v1/prompts/${name} lists its versions.`);
    }
    this.cache.forget(scope, name);
    await heard?.promise;
    return { scope, name, action: version === null ? 'rollback' : 'label', label, fromVersion: result.fromVersion, toVersion: result.toVersion, actor: actorName(actor), at };
  }

  /** The scope an actor writes: a key its tenant's; the admin token the shared one, or a tenant's it names. */
  private writeScope(actor: PromptActor, tenant: string | undefined): string {
    if (actor.kind === 'admin') return tenant === undefined ? sharedScope : tenantScope(tenant);
    if (tenant !== undefined && tenant !== actor.key.tenant) {
      throw new BreakwaterError('PROMPT_LABEL_PROTECTED', "A virtual key writes only its own tenant's prompts; shared prompts are written with the admin token.", {
        param: 'tenant',
      });
    }
    return tenantScope(actor.key.tenant);
  }

  private readScopeForListing(actor: PromptActor, tenant: string | undefined): string {
    if (actor.kind === 'admin') return tenant === undefined ? sharedScope : tenantScope(tenant);
    return tenant === 'shared' ? sharedScope : tenantScope(actor.key.tenant);
  }

  private async scopeOf(actor: PromptActor, name: string, tenant: string | undefined): Promise<string> {
    if (actor.kind === 'admin') return tenant === undefined ? sharedScope : tenantScope(tenant);
    const own = tenantScope(actor.key.tenant);
    if (await this.cache.exists(own, name)) return own;
    if (await this.cache.exists(sharedScope, name)) return sharedScope;
    throw notFound(`No prompt "${name}"; GET /v1/prompts lists the prompts this key may use.`);
  }

  private onChange(change: LabelChange | null): void {
    if (change === null) this.cache.clear();
    else this.cache.forget(change.scope, change.name);
    for (const waiter of this.waiters) {
      if (change === null || waiter.key === `${change.scope}\0${change.name}`) {
        this.waiters.delete(waiter);
        waiter.resolve();
      }
    }
  }

  private waitToHear(scope: string, name: string): { promise: Promise<void>; cancel: () => void } {
    let timer: NodeJS.Timeout | undefined;
    const waiter = { key: `${scope}\0${name}`, resolve: () => {} };
    const promise = new Promise<void>((resolve) => {
      waiter.resolve = () => {
        clearTimeout(timer);
        resolve();
      };
      timer = setTimeout(waiter.resolve, heardTimeoutMs);
      timer.unref();
    });
    this.waiters.add(waiter);
    return {
      promise,
      cancel: () => {
        this.waiters.delete(waiter);
        waiter.resolve();
      },
    };
  }
}

function actorName(actor: PromptActor): string {
  return actor.kind === 'admin' ? 'admin' : `key:${actor.key.id}`;
}

function notFound(message: string): BreakwaterError {
  return new BreakwaterError('PROMPT_NOT_FOUND', message, { param: 'prompt' });
}
