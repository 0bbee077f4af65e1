import type pg from 'pg';
import type { PromptRegistration, PromptStore } from '../../../core/ports/prompt-store.js';

const sql = {
  // DO NOTHING: nodes starting at once may register the same version; one insert wins.
  insert: { name: 'bw-prompt-insert', text: 'INSERT INTO prompts (pipeline, version, sha256, template, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING' },
  get: { name: 'bw-prompt-get', text: 'SELECT sha256 FROM prompts WHERE pipeline = $1 AND version = $2' },
};

/** Prompt versions in PostgreSQL, shared by every node (each registers its pipelines at start). */
export class PostgresPromptStore implements PromptStore {
  constructor(private readonly pool: pg.Pool) {}

  async register(pipeline: string, version: number, sha256: string, template: string, at: number): Promise<PromptRegistration> {
    const inserted = await this.pool.query({ ...sql.insert, values: [pipeline, version, sha256, template, at] });
    if (inserted.rowCount === 1) return 'created';
    const existing = (await this.pool.query<{ sha256: string }>({ ...sql.get, values: [pipeline, version] })).rows[0];
    return existing?.sha256 === sha256 ? 'exists' : 'conflict';
  }
}
