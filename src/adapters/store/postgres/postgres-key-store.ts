import type pg from 'pg';
import type { BudgetPeriod, KeyStore, NewVirtualKey, PiiMode, VirtualKey } from '../../../core/ports/store.js';

interface KeyRow {
  id: string;
  name: string;
  prefix: string;
  tenant: string;
  allowed_models: string[] | null;
  rpm: number | null;
  tpm: number | null;
  budget_usd: number | null;
  budget_period: BudgetPeriod | null;
  tags: Record<string, string>;
  pii_policy: PiiMode | null;
  created_at: number;
  revoked_at: number | null;
}

const columns = 'id, name, prefix, tenant, allowed_models, rpm, tpm, budget_usd, budget_period, tags, pii_policy, created_at, revoked_at';

const statements = {
  insert: `INSERT INTO virtual_keys (id, name, hash, prefix, tenant, allowed_models, rpm, tpm, budget_usd, budget_period, tags, pii_policy, created_at)
           VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10, $11::jsonb, $12, $13)`,
  byHash: `SELECT ${columns} FROM virtual_keys WHERE hash = $1`,
  byId: `SELECT ${columns} FROM virtual_keys WHERE id = $1`,
  list: `SELECT ${columns} FROM virtual_keys ORDER BY created_at, id`,
  revoke: `UPDATE virtual_keys SET revoked_at = coalesce(revoked_at, $1) WHERE id = $2 RETURNING ${columns}`,
};

export class PostgresKeyStore implements KeyStore {
  /** `reads` serves the lookups every request waits on (see PostgresJobStore); it may be `pool`. */
  constructor(
    private readonly pool: pg.Pool,
    private readonly reads: pg.Pool = pool,
  ) {}

  async createKey(key: NewVirtualKey): Promise<VirtualKey> {
    const createdAt = Date.now();
    await this.pool.query({
      name: 'bw-key-insert',
      text: statements.insert,
      values: [
        key.id,
        key.name,
        key.hash,
        key.prefix,
        key.tenant,
        key.allowedModels ? JSON.stringify(key.allowedModels) : null,
        key.rpm,
        key.tpm,
        key.budget?.usd ?? null,
        key.budget?.period ?? null,
        JSON.stringify(key.tags),
        key.piiPolicy,
        createdAt,
      ],
    });
    const { hash: _hash, ...rest } = key;
    return { ...rest, createdAt, revokedAt: null };
  }

  async findKeyByHash(hash: string): Promise<VirtualKey | undefined> {
    const result = await this.reads.query<KeyRow>({ name: 'bw-key-by-hash', text: statements.byHash, values: [hash] });
    return result.rows[0] && toKey(result.rows[0]);
  }

  async findKey(id: string): Promise<VirtualKey | undefined> {
    const result = await this.reads.query<KeyRow>({ name: 'bw-key-by-id', text: statements.byId, values: [id] });
    return result.rows[0] && toKey(result.rows[0]);
  }

  async listKeys(): Promise<VirtualKey[]> {
    return (await this.pool.query<KeyRow>({ name: 'bw-key-list', text: statements.list })).rows.map(toKey);
  }

  async revokeKey(id: string, at: number): Promise<VirtualKey | undefined> {
    const result = await this.pool.query<KeyRow>({ name: 'bw-key-revoke', text: statements.revoke, values: [at, id] });
    return result.rows[0] && toKey(result.rows[0]);
  }
}

function toKey(row: KeyRow): VirtualKey {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    tenant: row.tenant,
    allowedModels: row.allowed_models,
    rpm: row.rpm,
    tpm: row.tpm,
    budget: row.budget_usd === null ? null : { usd: row.budget_usd, period: row.budget_period ?? 'total' },
    tags: row.tags,
    piiPolicy: row.pii_policy,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  };
}
