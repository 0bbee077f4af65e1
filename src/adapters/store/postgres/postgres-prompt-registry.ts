import { EventEmitter } from 'node:events';
import pg from 'pg';
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
import { withTransaction } from './with-transaction.js';

/** Label moves are announced on this channel, in the moving transaction (delivered at commit). */
const channel = 'breakwater_prompt_labels';

/** Serialises pushes of one name, so two nodes pushing at once get versions n and n+1. */
const nameLock = `SELECT pg_advisory_xact_lock(hashtext(current_schema() || ':prompt:' || $1 || ':' || $2))`;

/**
 * The prompt registry in PostgreSQL, shared by every node. A label move NOTIFYs the other
 * nodes in its own transaction (PostgreSQL delivers it at commit, never for a rollback), and
 * each node LISTENs on one dedicated connection, opened when the first watcher subscribes and
 * reopened after a loss, telling its watchers to drop everything when it reconnects.
 * Notifications are scoped to the search_path schema, so two runs in two schemas of one
 * database do not hear each other's moves.
 */
export class PostgresPromptRegistry implements PromptRegistryStore {
  private readonly changes = new EventEmitter();
  private listener: pg.Client | undefined;
  private listening = false;
  private closed = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private schema: string | undefined;

  constructor(
    private readonly pool: pg.Pool,
    private readonly reads: pg.Pool,
    private readonly connectionString: string,
  ) {
    this.changes.setMaxListeners(0);
  }

  push(version: NewPromptVersion): Promise<{ version: PromptVersion; created: boolean }> {
    return withTransaction(this.pool, async (client) => {
      await client.query(nameLock, [version.scope, version.name]);
      const existing = await client.query<PromptVersionRow>('SELECT * FROM prompt_versions WHERE scope = $1 AND name = $2 AND sha256 = $3', [
        version.scope,
        version.name,
        version.sha256,
      ]);
      if (existing.rows[0]) return { version: fromVersionRow(existing.rows[0]), created: false };
      const latest = await client.query<{ latest: number }>('SELECT coalesce(max(version), 0)::int AS latest FROM prompt_versions WHERE scope = $1 AND name = $2', [
        version.scope,
        version.name,
      ]);
      const number = latest.rows[0]!.latest + 1;
      await client.query('INSERT INTO prompt_versions (scope, name, version, sha256, content, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
        version.scope,
        version.name,
        number,
        version.sha256,
        JSON.stringify(versionContent(version)),
        version.createdBy,
        version.createdAt,
      ]);
      await client.query(`INSERT INTO prompt_audit (scope, name, action, label, from_version, to_version, actor, at) VALUES ($1, $2, 'push', NULL, NULL, $3, $4, $5)`, [
        version.scope,
        version.name,
        number,
        version.createdBy,
        version.createdAt,
      ]);
      // A name's first version makes it exist in its scope: nodes that cached its absence drop that.
      if (number === 1) await notify(client, version.scope, version.name);
      return { version: { ...version, version: number }, created: true };
    });
  }

  async getVersion(scope: string, name: string, version: number): Promise<PromptVersion | undefined> {
    const result = await this.reads.query<PromptVersionRow>({
      name: 'bw-prompt-version-get',
      text: 'SELECT * FROM prompt_versions WHERE scope = $1 AND name = $2 AND version = $3',
      values: [scope, name, version],
    });
    return result.rows[0] ? fromVersionRow(result.rows[0]) : undefined;
  }

  async listVersions(scope: string, name: string): Promise<PromptVersion[]> {
    const result = await this.reads.query<PromptVersionRow>('SELECT * FROM prompt_versions WHERE scope = $1 AND name = $2 ORDER BY version DESC', [scope, name]);
    return result.rows.map(fromVersionRow);
  }

  async listPrompts(scope: string): Promise<PromptSummary[]> {
    const result = await this.reads.query<{ name: string; latest: number; updated: number; labels: Record<string, number> | null }>(
      `SELECT v.name, max(v.version)::int AS latest, max(v.created_at) AS updated,
              (SELECT jsonb_object_agg(l.label, l.version) FROM prompt_labels l WHERE l.scope = v.scope AND l.name = v.name) AS labels
         FROM prompt_versions v WHERE v.scope = $1 GROUP BY v.scope, v.name ORDER BY v.name`,
      [scope],
    );
    return result.rows.map((row) => ({ scope, name: row.name, latestVersion: row.latest, labels: row.labels ?? {}, updatedAt: row.updated }));
  }

  async labels(scope: string, name: string): Promise<PromptLabel[]> {
    const result = await this.reads.query<{ label: string; version: number; moved_by: string; moved_at: number }>({
      name: 'bw-prompt-labels',
      text: 'SELECT label, version, moved_by, moved_at FROM prompt_labels WHERE scope = $1 AND name = $2 ORDER BY label',
      values: [scope, name],
    });
    return result.rows.map((row) => ({ label: row.label, version: row.version, movedBy: row.moved_by, movedAt: row.moved_at }));
  }

  moveLabel(move: LabelMove): Promise<LabelMoveResult> {
    return withTransaction(this.pool, async (client): Promise<LabelMoveResult> => {
      // Two moves of one label at once: the second waits, and audits the first one's version as its `from`.
      await client.query(nameLock, [move.scope, move.name]);
      const current = await client.query<{ version: number }>('SELECT version FROM prompt_labels WHERE scope = $1 AND name = $2 AND label = $3', [
        move.scope,
        move.name,
        move.label,
      ]);
      const from = current.rows[0]?.version ?? null;
      let to = move.toVersion;
      if (move.action === 'rollback') {
        const last = await client.query<{ from_version: number | null }>(
          `SELECT from_version FROM prompt_audit WHERE scope = $1 AND name = $2 AND label = $3 AND action <> 'push' ORDER BY id DESC LIMIT 1`,
          [move.scope, move.name, move.label],
        );
        to = last.rows[0]?.from_version ?? null;
        if (to === null) return { ok: false, reason: 'no-history' };
      }
      const exists = await client.query('SELECT 1 FROM prompt_versions WHERE scope = $1 AND name = $2 AND version = $3', [move.scope, move.name, to]);
      if (to === null || exists.rowCount === 0) return { ok: false, reason: 'no-version' };
      await client.query(
        `INSERT INTO prompt_labels (scope, name, label, version, moved_by, moved_at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (scope, name, label) DO UPDATE SET version = excluded.version, moved_by = excluded.moved_by, moved_at = excluded.moved_at`,
        [move.scope, move.name, move.label, to, move.actor, move.at],
      );
      await client.query('INSERT INTO prompt_audit (scope, name, action, label, from_version, to_version, actor, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)', [
        move.scope,
        move.name,
        move.action,
        move.label,
        from,
        to,
        move.actor,
        move.at,
      ]);
      await notify(client, move.scope, move.name);
      return { ok: true, fromVersion: from, toVersion: to };
    });
  }

  async audit(scope: string, name: string, limit: number): Promise<PromptAuditEntry[]> {
    const result = await this.reads.query<PromptAuditRow>('SELECT * FROM prompt_audit WHERE scope = $1 AND name = $2 ORDER BY id DESC LIMIT $3', [scope, name, limit]);
    return result.rows.map(fromAuditRow);
  }

  watchLabels(listener: (change: LabelChange | null) => void): () => void {
    this.changes.on('change', listener);
    if (!this.listening) {
      this.listening = true;
      void this.listen();
    }
    return () => this.changes.off('change', listener);
  }

  /** Resolves once the LISTEN connection is subscribed (tests wait for it before moving labels elsewhere). */
  async listeningReady(): Promise<void> {
    while (this.listening && !this.listener && !this.closed) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    const listener = this.listener;
    this.listener = undefined;
    await listener?.end().catch(() => {});
  }

  private async listen(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({ connectionString: this.connectionString });
    client.on('error', () => this.reconnect(client));
    client.on('end', () => this.reconnect(client));
    client.on('notification', (message) => {
      if (message.channel !== channel || !message.payload) return;
      const change = JSON.parse(message.payload) as { schema: string; scope: string; name: string };
      if (change.schema === this.schema) this.changes.emit('change', { scope: change.scope, name: change.name } satisfies LabelChange);
    });
    try {
      await client.connect();
      this.schema = (await client.query<{ schema: string }>('SELECT current_schema() AS schema')).rows[0]!.schema;
      await client.query(`LISTEN ${channel}`);
      if (this.closed) {
        await client.end();
        return;
      }
      this.listener = client;
      // Moves made while this node was not listening were not heard: drop every cached label.
      this.changes.emit('change', null);
    } catch {
      this.reconnect(client);
    }
  }

  private reconnect(client: pg.Client): void {
    if (this.closed || this.retryTimer) return;
    if (this.listener === client) this.listener = undefined;
    client.end().catch(() => {});
    this.changes.emit('change', null);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.listen();
    }, 1_000);
    this.retryTimer.unref();
  }
}

/** Announces a change of (scope, name) to every node listening in this schema, at commit. */
async function notify(client: pg.PoolClient, scope: string, name: string): Promise<void> {
  await client.query('SELECT pg_notify($1, json_build_object($2::text, current_schema(), $3::text, $4::text, $5::text, $6::text)::text)', [
    channel,
    'schema',
    'scope',
    scope,
    'name',
    name,
  ]);
}
