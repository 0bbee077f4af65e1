import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { BreakwaterError } from '../errors/breakwater-error.js';
import type { BudgetPeriod, KeyStore, PiiMode, VirtualKey } from '../ports/store.js';

export interface KeySpec {
  name: string;
  tenant?: string;
  allowedModels?: string[] | null;
  rpm?: number | null;
  tpm?: number | null;
  budget?: { usd: number; period: BudgetPeriod } | null;
  tags?: Record<string, string>;
  piiPolicy?: PiiMode | null;
}

const secretPrefix = 'bw_';

/** Hashes a presented secret; only hashes are stored or compared. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/**
 * Virtual keys: created with a random secret shown once, stored as a SHA-256 hash.
 * Lookups are cached for a few seconds (positive and negative) so the hot path does not hit
 * the store; revocation through this service takes effect at once, through another node
 * within `cacheTtlMs`. Concurrent lookups of one key share a single store query, so a burst
 * on a cold node costs one round trip, not one per request.
 */
export class KeyService {
  private readonly cache = new Map<string, { key: Promise<VirtualKey | undefined>; expiresAt: number }>();

  constructor(
    private readonly store: KeyStore,
    private readonly cacheTtlMs = 5_000,
  ) {}

  async authenticate(secret: string | undefined): Promise<VirtualKey> {
    if (!secret) {
      throw new BreakwaterError('MISSING_API_KEY', 'No API key: send a Breakwater virtual key as "Authorization: Bearer bw_…" (create one with `breakwater keys create`).');
    }
    const hash = hashSecret(secret);
    const now = Date.now();
    let entry = this.cache.get(hash);
    if (!entry || entry.expiresAt < now) {
      const lookup = this.store.findKeyByHash(hash);
      const fresh = { key: lookup, expiresAt: now + this.cacheTtlMs };
      // A failed lookup (store unreachable) is not cached: the next request asks again.
      lookup.catch(() => this.cache.get(hash) === fresh && this.cache.delete(hash));
      if (this.cache.size >= 10_000) this.cache.clear();
      this.cache.set(hash, fresh);
      entry = fresh;
    }
    const key = await entry.key;
    if (!key || key.revokedAt !== null) {
      throw new BreakwaterError('INVALID_API_KEY', 'The API key is not valid or has been revoked; check the key or create a new one with `breakwater keys create`.');
    }
    return key;
  }

  async create(spec: KeySpec): Promise<{ key: VirtualKey; secret: string }> {
    const secret = secretPrefix + randomBytes(24).toString('base64url');
    const id = `key_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
    const key = await this.store.createKey({
      id,
      name: spec.name,
      hash: hashSecret(secret),
      prefix: secret.slice(0, 8),
      tenant: spec.tenant ?? id,
      allowedModels: spec.allowedModels ?? null,
      rpm: spec.rpm ?? null,
      tpm: spec.tpm ?? null,
      budget: spec.budget ?? null,
      tags: spec.tags ?? {},
      piiPolicy: spec.piiPolicy ?? null,
    });
    return { key, secret };
  }

  list(): Promise<VirtualKey[]> {
    return this.store.listKeys();
  }

  find(id: string): Promise<VirtualKey | undefined> {
    return this.store.findKey(id);
  }

  async revoke(id: string): Promise<VirtualKey> {
    const key = await this.store.revokeKey(id, Date.now());
    if (!key) throw new BreakwaterError('NOT_FOUND', `No key with id ${id}; \`breakwater keys list\` shows the ids.`, { param: 'id' });
    this.cache.clear();
    return key;
  }
}
