import type Database from 'better-sqlite3';
import { EventEmitter } from 'node:events';
import { backoffDelay } from '../../../core/routing/backoff.js';
import type { Claim, DeadLetter, EnqueueRequest, FailOutcome, JobQueue, QueueDepth } from '../../../core/ports/queue.js';
import type { GroupCommit } from '../../store/sqlite/group-commit.js';

export interface SqliteQueueOptions {
  /** First retry delay; doubles per attempt, with equal jitter. */
  backoffBaseMs: number;
  backoffMaxMs: number;
  now?: () => number;
  random?: () => number;
}

interface ItemRow {
  id: string;
  tenant: string;
  attempts: number;
  max_attempts: number;
  token: number;
  lease_until: number;
  deadline: number | null;
}

/**
 * The embedded queue: a table in the store's SQLite file, so a job row and its queue item
 * are written in one transaction (see SqliteJobStore.createJob). Claims are a single
 * UPDATE … RETURNING in a write transaction, so two claimers never get the same item; the
 * fencing token is the item's claim counter.
 */
export class SqliteQueue implements JobQueue {
  private readonly wake = new EventEmitter();
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly statements;

  constructor(
    database: Database.Database,
    private readonly writes: GroupCommit,
    private readonly options: SqliteQueueOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.wake.setMaxListeners(0);
    const db = database;
    this.statements = {
      insert: db.prepare(`INSERT OR IGNORE INTO queue_items (id, tenant, priority, run_at, deadline, max_attempts) VALUES (?, ?, ?, ?, ?, ?)`),
      claim: db.prepare(
        `UPDATE queue_items SET attempts = attempts + 1, token = token + 1, lease_until = ?
         WHERE id IN (SELECT id FROM queue_items WHERE lease_until IS NULL AND run_at <= ? AND (deadline IS NULL OR deadline > ?)
                      ORDER BY priority DESC, run_at, id LIMIT ?)
         RETURNING id, tenant, attempts, max_attempts, token, lease_until, deadline, priority, run_at`,
      ),
      heartbeat: db.prepare(`UPDATE queue_items SET lease_until = ? WHERE id = ? AND token = ? AND lease_until IS NOT NULL`),
      remove: db.prepare(`DELETE FROM queue_items WHERE id = ? AND token = ? AND lease_until IS NOT NULL`),
      retry: db.prepare(`UPDATE queue_items SET lease_until = NULL, run_at = ? WHERE id = ? AND token = ? AND lease_until IS NOT NULL`),
      release: db.prepare(`UPDATE queue_items SET lease_until = NULL, attempts = attempts - 1 WHERE id = ? AND token = ? AND lease_until IS NOT NULL`),
      get: db.prepare(`SELECT id, tenant, attempts, max_attempts, token, lease_until, deadline FROM queue_items WHERE id = ?`),
      delete: db.prepare(`DELETE FROM queue_items WHERE id = ?`),
      dead: db.prepare(`INSERT OR REPLACE INTO queue_dead (id, tenant, attempts, reason, at) VALUES (?, ?, ?, ?, ?)`),
      expired: db.prepare(
        `SELECT id, tenant, attempts, max_attempts, token, lease_until, deadline FROM queue_items
         WHERE lease_until IS NOT NULL AND lease_until <= ? LIMIT 1000`,
      ),
      pastDeadline: db.prepare(
        `SELECT id, tenant, attempts, max_attempts, token, lease_until, deadline FROM queue_items
         WHERE lease_until IS NULL AND deadline IS NOT NULL AND deadline <= ? LIMIT 1000`,
      ),
      requeue: db.prepare(`UPDATE queue_items SET lease_until = NULL, run_at = ? WHERE id = ? AND token = ?`),
      deadList: db.prepare(`SELECT id, tenant, attempts, reason, at FROM queue_dead ORDER BY at DESC LIMIT ?`),
      depth: db.prepare(
        `SELECT
           sum(CASE WHEN lease_until IS NULL AND run_at <= ? THEN 1 ELSE 0 END) AS ready,
           sum(CASE WHEN lease_until IS NULL AND run_at > ? THEN 1 ELSE 0 END) AS delayed,
           sum(CASE WHEN lease_until IS NOT NULL THEN 1 ELSE 0 END) AS leased
         FROM queue_items`,
      ),
      deadCount: db.prepare(`SELECT count(*) FROM queue_dead`).pluck(),
    };
  }

  /** The insert, for a caller that is already inside a transaction (the job store's createJob). */
  insertInTransaction(item: EnqueueRequest): void {
    this.statements.insert.run(item.id, item.tenant, item.priority ?? 0, item.runAt ?? this.now(), item.deadline ?? null, item.maxAttempts);
  }

  /** Removes an item, for a caller inside a transaction (the job store's cancelJob). */
  cancelInTransaction(id: string): void {
    this.statements.delete.run(id);
  }

  /** Tells local workers that items were added (after the caller's commit). */
  notifyReady(): void {
    this.wake.emit('ready');
  }

  async enqueue(items: readonly EnqueueRequest[]): Promise<void> {
    await this.writes.run(() => {
      for (const item of items) this.insertInTransaction(item);
    });
    this.notifyReady();
  }

  async claim(max: number, leaseMs: number): Promise<Claim[]> {
    if (max <= 0) return [];
    return this.writes.run(() => {
      const now = this.now();
      const rows = this.statements.claim.all(now + leaseMs, now, now, max) as Array<ItemRow & { priority: number; run_at: number }>;
      // RETURNING order is unspecified; hand items out in queue order.
      rows.sort((a, b) => b.priority - a.priority || a.run_at - b.run_at || (a.id < b.id ? -1 : 1));
      return rows.map(toClaim);
    });
  }

  async heartbeat(claim: Claim, leaseMs: number): Promise<number | undefined> {
    return this.writes.run(() => {
      const leaseUntil = this.now() + leaseMs;
      return this.statements.heartbeat.run(leaseUntil, claim.id, claim.token).changes === 1 ? leaseUntil : undefined;
    });
  }

  async complete(claim: Claim): Promise<boolean> {
    return this.writes.run(() => this.statements.remove.run(claim.id, claim.token).changes === 1);
  }

  async fail(claim: Claim, options: { retryable: boolean; delayMs?: number }): Promise<FailOutcome> {
    const outcome = await this.writes.run((): FailOutcome => {
      const now = this.now();
      const row = this.statements.get.get(claim.id) as ItemRow | undefined;
      if (!row || row.token !== claim.token || row.lease_until === null) return { outcome: 'fenced' };
      const retryAt = now + (options.delayMs ?? backoffDelay(row.attempts - 1, this.options.backoffBaseMs, this.options.backoffMaxMs, this.random));
      const pastDeadline = row.deadline !== null && retryAt >= row.deadline;
      if (!options.retryable || row.attempts >= row.max_attempts || pastDeadline) {
        this.statements.delete.run(claim.id);
        this.statements.dead.run(claim.id, row.tenant, row.attempts, options.retryable && pastDeadline ? 'deadline' : options.retryable ? 'attempts' : 'failed', now);
        return { outcome: 'dead' };
      }
      this.statements.retry.run(retryAt, claim.id, claim.token);
      return { outcome: 'retry', retryAt };
    });
    return outcome;
  }

  async release(claim: Claim): Promise<boolean> {
    const released = await this.writes.run(() => this.statements.release.run(claim.id, claim.token).changes === 1);
    if (released) this.notifyReady();
    return released;
  }

  async cancel(id: string): Promise<boolean> {
    return this.writes.run(() => this.statements.delete.run(id).changes === 1);
  }

  async recover(): Promise<DeadLetter[]> {
    const { dead, requeued } = await this.writes.run(() => {
      const now = this.now();
      const dead: DeadLetter[] = [];
      let requeued = 0;
      for (const row of this.statements.expired.all(now) as ItemRow[]) {
        if (row.attempts >= row.max_attempts || (row.deadline !== null && row.deadline <= now)) {
          const reason = row.attempts >= row.max_attempts ? 'attempts' : 'deadline';
          this.statements.delete.run(row.id);
          this.statements.dead.run(row.id, row.tenant, row.attempts, reason, now);
          dead.push({ id: row.id, tenant: row.tenant, attempts: row.attempts, reason, at: now });
        } else {
          this.statements.requeue.run(now, row.id, row.token);
          requeued++;
        }
      }
      for (const row of this.statements.pastDeadline.all(now) as ItemRow[]) {
        this.statements.delete.run(row.id);
        this.statements.dead.run(row.id, row.tenant, row.attempts, 'deadline', now);
        dead.push({ id: row.id, tenant: row.tenant, attempts: row.attempts, reason: 'deadline', at: now });
      }
      return { dead, requeued };
    });
    if (requeued > 0) this.notifyReady();
    return dead;
  }

  async deadLetters(limit: number): Promise<DeadLetter[]> {
    return this.statements.deadList.all(limit) as DeadLetter[];
  }

  async depth(): Promise<QueueDepth> {
    const now = this.now();
    const row = this.statements.depth.get(now, now) as { ready: number | null; delayed: number | null; leased: number | null };
    return { ready: row.ready ?? 0, delayed: row.delayed ?? 0, leased: row.leased ?? 0, dead: this.statements.deadCount.get() as number };
  }

  onReady(listener: () => void): () => void {
    this.wake.on('ready', listener);
    return () => this.wake.off('ready', listener);
  }

  async close(): Promise<void> {
    this.wake.removeAllListeners();
  }
}

function toClaim(row: ItemRow): Claim {
  return {
    id: row.id,
    tenant: row.tenant,
    attempt: row.attempts,
    maxAttempts: row.max_attempts,
    token: row.token,
    leaseUntil: row.lease_until,
    deadline: row.deadline,
  };
}
