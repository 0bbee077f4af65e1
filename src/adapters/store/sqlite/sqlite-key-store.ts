import type Database from 'better-sqlite3';
import type { KeyStore, NewVirtualKey, PiiMode, VirtualKey } from '../../../core/ports/store.js';

interface KeyRow {
  id: string;
  name: string;
  prefix: string;
  tenant: string;
  allowed_models: string | null;
  rpm: number | null;
  tpm: number | null;
  budget_usd: number | null;
  budget_period: string | null;
  tags: string;
  pii_policy: PiiMode | null;
  created_at: number;
  revoked_at: number | null;
}

const columns = 'id, name, prefix, tenant, allowed_models, rpm, tpm, budget_usd, budget_period, tags, pii_policy, created_at, revoked_at';

export class SqliteKeyStore implements KeyStore {
  private statements: Record<'insert' | 'byHash' | 'byId' | 'list' | 'revoke', Database.Statement> | undefined;

  constructor(private readonly database: Database.Database) {}

  /** Prepares statements once the schema exists (after migrations). */
  prepare(): void {
    this.statements = {
      insert: this.database.prepare(
        `INSERT INTO virtual_keys (id, name, hash, prefix, tenant, allowed_models, rpm, tpm, budget_usd, budget_period, tags, pii_policy, created_at)
         VALUES (@id, @name, @hash, @prefix, @tenant, @allowed_models, @rpm, @tpm, @budget_usd, @budget_period, @tags, @pii_policy, @created_at)`,
      ),
      byHash: this.database.prepare(`SELECT ${columns} FROM virtual_keys WHERE hash = ?`),
      byId: this.database.prepare(`SELECT ${columns} FROM virtual_keys WHERE id = ?`),
      list: this.database.prepare(`SELECT ${columns} FROM virtual_keys ORDER BY created_at, id`),
      revoke: this.database.prepare('UPDATE virtual_keys SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?'),
    };
  }

  private get sql() {
    if (!this.statements) this.prepare();
    return this.statements!;
  }

  async createKey(key: NewVirtualKey): Promise<VirtualKey> {
    const createdAt = Date.now();
    this.sql.insert.run({
      id: key.id,
      name: key.name,
      hash: key.hash,
      prefix: key.prefix,
      tenant: key.tenant,
      allowed_models: key.allowedModels ? JSON.stringify(key.allowedModels) : null,
      rpm: key.rpm,
      tpm: key.tpm,
      budget_usd: key.budget?.usd ?? null,
      budget_period: key.budget?.period ?? null,
      tags: JSON.stringify(key.tags),
      pii_policy: key.piiPolicy,
      created_at: createdAt,
    });
    const { hash: _hash, ...rest } = key;
    return { ...rest, createdAt, revokedAt: null };
  }

  async findKeyByHash(hash: string): Promise<VirtualKey | undefined> {
    const row = this.sql.byHash.get(hash) as KeyRow | undefined;
    return row && toKey(row);
  }

  async findKey(id: string): Promise<VirtualKey | undefined> {
    const row = this.sql.byId.get(id) as KeyRow | undefined;
    return row && toKey(row);
  }

  async listKeys(): Promise<VirtualKey[]> {
    return (this.sql.list.all() as KeyRow[]).map(toKey);
  }

  async revokeKey(id: string, at: number): Promise<VirtualKey | undefined> {
    this.sql.revoke.run(at, id);
    return this.findKey(id);
  }
}

function toKey(row: KeyRow): VirtualKey {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    tenant: row.tenant,
    allowedModels: row.allowed_models ? (JSON.parse(row.allowed_models) as string[]) : null,
    rpm: row.rpm,
    tpm: row.tpm,
    budget: row.budget_usd === null ? null : { usd: row.budget_usd, period: (row.budget_period ?? 'total') as 'day' | 'month' | 'total' },
    tags: JSON.parse(row.tags) as Record<string, string>,
    piiPolicy: row.pii_policy,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  };
}
