import type Database from 'better-sqlite3';
import type { DriftObservation, DriftStore } from '../../../core/ports/drift-store.js';
import { type DriftObservationRow, driftColumns, driftRowValues, fromDriftRow } from '../drift-rows.js';
import type { GroupCommit } from './group-commit.js';

/** Drift observations in the embedded file, written through its group commit. */
export class SqliteDriftStore implements DriftStore {
  private readonly s;

  constructor(
    database: Database.Database,
    private readonly writes: GroupCommit,
  ) {
    this.s = {
      insert: database.prepare(`INSERT INTO drift_observations (${driftColumns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      window: database.prepare(`SELECT ${driftColumns} FROM drift_observations WHERE at >= ? AND at < ?`),
      prune: database.prepare('DELETE FROM drift_observations WHERE at < ?'),
    };
  }

  async append(observations: readonly DriftObservation[]): Promise<void> {
    if (observations.length === 0) return;
    const rows = observations.map(driftRowValues);
    await this.writes.run(() => {
      for (const values of rows) this.s.insert.run(...values);
    });
  }

  async window(from: number, to: number): Promise<DriftObservation[]> {
    return (this.s.window.all(from, to) as DriftObservationRow[]).map(fromDriftRow);
  }

  async deleteBefore(at: number): Promise<number> {
    return this.writes.run(() => this.s.prune.run(at).changes);
  }
}
