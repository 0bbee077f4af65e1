import type Database from 'better-sqlite3';
import type { ShadowSample, ShadowStore } from '../../../core/ports/shadow-store.js';
import { fromShadowRow, type ShadowSampleRow, shadowColumns, shadowRowValues } from '../shadow-rows.js';
import type { GroupCommit } from './group-commit.js';

/** Shadow samples in the embedded file, written through its group commit. */
export class SqliteShadowStore implements ShadowStore {
  private readonly s;

  constructor(
    database: Database.Database,
    private readonly writes: GroupCommit,
  ) {
    this.s = {
      insert: database.prepare(`INSERT INTO shadow_samples (${shadowColumns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      recent: database.prepare('SELECT * FROM shadow_samples WHERE shadow = ? ORDER BY id DESC LIMIT ?'),
      prune: database.prepare('DELETE FROM shadow_samples WHERE at < ?'),
    };
  }

  async append(samples: readonly ShadowSample[]): Promise<void> {
    const rows = samples.map(shadowRowValues);
    await this.writes.run(() => {
      for (const values of rows) this.s.insert.run(...values);
    });
  }

  async recent(shadow: string, limit: number): Promise<ShadowSample[]> {
    return (this.s.recent.all(shadow, limit) as ShadowSampleRow[]).map(fromShadowRow);
  }

  async deleteBefore(at: number): Promise<number> {
    return this.writes.run(() => this.s.prune.run(at).changes);
  }
}
