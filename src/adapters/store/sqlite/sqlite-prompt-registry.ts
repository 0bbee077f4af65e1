import { EventEmitter } from 'node:events';
import type Database from 'better-sqlite3';
import type {
  LabelChange,
  LabelMove,
  LabelMoveResult,
  NewPromptVersion,
  PromptAuditEntry,
  PromptLabel,
  PromptRegistryStore,
  PromptSummary,
  PromptVersion,
} from '../../../core/ports/prompt-registry.js';
import { fromAuditRow, fromVersionRow, type PromptAuditRow, type PromptVersionRow, versionContent } from '../prompt-registry-rows.js';
import type { GroupCommit } from './group-commit.js';

/**
 * The prompt registry in the embedded file. One process uses the file, so a label move is
 * announced to this process's watchers only, after its group commit.
 */
export class SqlitePromptRegistry implements PromptRegistryStore {
  private readonly s;
  private readonly changes = new EventEmitter();

  constructor(
    database: Database.Database,
    private readonly writes: GroupCommit,
  ) {
    this.changes.setMaxListeners(0);
    this.s = {
      bySha: database.prepare('SELECT * FROM prompt_versions WHERE scope = ? AND name = ? AND sha256 = ?'),
      latest: database.prepare('SELECT coalesce(max(version), 0) FROM prompt_versions WHERE scope = ? AND name = ?').pluck(),
      insert: database.prepare('INSERT INTO prompt_versions (scope, name, version, sha256, content, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      get: database.prepare('SELECT * FROM prompt_versions WHERE scope = ? AND name = ? AND version = ?'),
      versions: database.prepare('SELECT * FROM prompt_versions WHERE scope = ? AND name = ? ORDER BY version DESC'),
      names: database.prepare('SELECT name, max(version) AS latest, max(created_at) AS updated FROM prompt_versions WHERE scope = ? GROUP BY name ORDER BY name'),
      scopeLabels: database.prepare('SELECT name, label, version FROM prompt_labels WHERE scope = ?'),
      labels: database.prepare('SELECT label, version, moved_by, moved_at FROM prompt_labels WHERE scope = ? AND name = ? ORDER BY label'),
      label: database.prepare('SELECT version FROM prompt_labels WHERE scope = ? AND name = ? AND label = ?').pluck(),
      upsertLabel: database.prepare(
        `INSERT INTO prompt_labels (scope, name, label, version, moved_by, moved_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (scope, name, label) DO UPDATE SET version = excluded.version, moved_by = excluded.moved_by, moved_at = excluded.moved_at`,
      ),
      lastMove: database.prepare(`SELECT from_version FROM prompt_audit WHERE scope = ? AND name = ? AND label = ? AND action <> 'push' ORDER BY id DESC LIMIT 1`).pluck(),
      insertAudit: database.prepare('INSERT INTO prompt_audit (scope, name, action, label, from_version, to_version, actor, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
      audit: database.prepare('SELECT * FROM prompt_audit WHERE scope = ? AND name = ? ORDER BY id DESC LIMIT ?'),
    };
  }

  async push(version: NewPromptVersion): Promise<{ version: PromptVersion; created: boolean }> {
    const pushed = await this.writes.run(() => {
      const existing = this.s.bySha.get(version.scope, version.name, version.sha256) as PromptVersionRow | undefined;
      if (existing) return { version: fromVersionRow(existing), created: false };
      const number = (this.s.latest.get(version.scope, version.name) as number) + 1;
      this.s.insert.run(version.scope, version.name, number, version.sha256, JSON.stringify(versionContent(version)), version.createdBy, version.createdAt);
      this.s.insertAudit.run(version.scope, version.name, 'push', null, null, number, version.createdBy, version.createdAt);
      return { version: { ...version, version: number }, created: true };
    });
    if (pushed.created && pushed.version.version === 1) this.changes.emit('change', { scope: version.scope, name: version.name } satisfies LabelChange);
    return pushed;
  }

  async getVersion(scope: string, name: string, version: number): Promise<PromptVersion | undefined> {
    const row = this.s.get.get(scope, name, version) as PromptVersionRow | undefined;
    return row ? fromVersionRow(row) : undefined;
  }

  async listVersions(scope: string, name: string): Promise<PromptVersion[]> {
    return (this.s.versions.all(scope, name) as PromptVersionRow[]).map(fromVersionRow);
  }

  async listPrompts(scope: string): Promise<PromptSummary[]> {
    const labels = new Map<string, Record<string, number>>();
    for (const row of this.s.scopeLabels.all(scope) as Array<{ name: string; label: string; version: number }>) {
      labels.set(row.name, { ...labels.get(row.name), [row.label]: row.version });
    }
    return (this.s.names.all(scope) as Array<{ name: string; latest: number; updated: number }>).map((row) => ({
      scope,
      name: row.name,
      latestVersion: row.latest,
      labels: labels.get(row.name) ?? {},
      updatedAt: row.updated,
    }));
  }

  async labels(scope: string, name: string): Promise<PromptLabel[]> {
    return (this.s.labels.all(scope, name) as Array<{ label: string; version: number; moved_by: string; moved_at: number }>).map((row) => ({
      label: row.label,
      version: row.version,
      movedBy: row.moved_by,
      movedAt: row.moved_at,
    }));
  }

  async moveLabel(move: LabelMove): Promise<LabelMoveResult> {
    const result = await this.writes.run((): LabelMoveResult => {
      const from = (this.s.label.get(move.scope, move.name, move.label) as number | undefined) ?? null;
      let to = move.toVersion;
      if (move.action === 'rollback') {
        to = (this.s.lastMove.get(move.scope, move.name, move.label) as number | null | undefined) ?? null;
        if (to === null) return { ok: false, reason: 'no-history' };
      }
      if (to === null || !this.s.get.get(move.scope, move.name, to)) return { ok: false, reason: 'no-version' };
      this.s.upsertLabel.run(move.scope, move.name, move.label, to, move.actor, move.at);
      this.s.insertAudit.run(move.scope, move.name, move.action, move.label, from, to, move.actor, move.at);
      return { ok: true, fromVersion: from, toVersion: to };
    });
    if (result.ok) this.changes.emit('change', { scope: move.scope, name: move.name } satisfies LabelChange);
    return result;
  }

  async audit(scope: string, name: string, limit: number): Promise<PromptAuditEntry[]> {
    return (this.s.audit.all(scope, name, limit) as PromptAuditRow[]).map(fromAuditRow);
  }

  watchLabels(listener: (change: LabelChange | null) => void): () => void {
    this.changes.on('change', listener);
    return () => this.changes.off('change', listener);
  }
}
