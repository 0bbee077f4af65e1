import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { runInBackground } from '../../../core/background-priority.js';
import type { ReadAnswer, ReadJob } from './sqlite-read-thread.js';

runInBackground();

/**
 * Runs the reads a SqliteReadThread sends it on a read-only connection of its own to the same
 * file (WAL: it sees every committed write, and never blocks the writer).
 * In: `{ id, sql, params }`. Out: `{ id, rows }` or `{ id, error }`.
 */
const database = new Database((workerData as { path: string }).path, { readonly: true, fileMustExist: true });
database.pragma('busy_timeout = 5000');
const statements = new Map<string, Database.Statement>();

parentPort?.on('message', (job: ReadJob) => {
  try {
    let statement = statements.get(job.sql);
    if (!statement) {
      statement = database.prepare(job.sql);
      if (statements.size > 100) statements.clear();
      statements.set(job.sql, statement);
    }
    const rows = Array.isArray(job.params) ? statement.all(...job.params) : statement.all(job.params);
    parentPort!.postMessage({ id: job.id, rows } satisfies ReadAnswer);
  } catch (error) {
    parentPort!.postMessage({ id: job.id, error: error instanceof Error ? error.message : String(error) } satisfies ReadAnswer);
  }
});
