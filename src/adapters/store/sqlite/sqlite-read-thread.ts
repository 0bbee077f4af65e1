import type { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { spawnModuleWorker } from '../../../core/module-worker.js';

export interface ReadJob {
  id: number;
  sql: string;
  params: unknown[] | Record<string, unknown>;
}
export type ReadAnswer = { id: number; rows: unknown[] } | { id: number; error: string };

/** Runs a read-only query and resolves with its rows. */
export type SqliteRead = <T>(sql: string, params: unknown[] | Record<string, unknown>) => Promise<T[]>;

/** The same reads on `database` itself, on the event loop. */
export function readOn(database: Database.Database): SqliteRead {
  return async <T>(sql: string, params: unknown[] | Record<string, unknown>) => {
    const statement = database.prepare(sql);
    return (Array.isArray(params) ? statement.all(...params) : statement.all(params)) as T[];
  };
}

/**
 * Reads whose cost grows with the ledger (a month of usage grouped by key and day: 500,000
 * rows held the event loop ~1.7 s) run on a worker thread with its own read-only connection
 * to the same file, so a dashboard reload never stalls the gateway. One thread per store,
 * started on first use and idle without holding the process open; answers come back in order.
 * An in-memory database has no file another connection could open: there the read runs on
 * the store's own connection, on the loop.
 */
export function sqliteReader(path: string, database: Database.Database): { read: SqliteRead; close(): void } {
  if (path === ':memory:') return { read: readOn(database), close() {} };
  let worker: Worker | undefined;
  const pending = new Map<number, { resolve: (rows: unknown[]) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  const failPending = (reason: string) => {
    for (const [id, waiting] of pending) {
      pending.delete(id);
      waiting.reject(new Error(reason));
    }
  };
  const start = (): Worker => {
    if (worker) return worker;
    const started = spawnModuleWorker(import.meta.url, './sqlite-read-worker', { path });
    started.on('message', (answer: ReadAnswer) => {
      const waiting = pending.get(answer.id);
      if (!waiting) return;
      pending.delete(answer.id);
      if (pending.size === 0) started.unref();
      if ('error' in answer) waiting.reject(new Error(answer.error));
      else waiting.resolve(answer.rows);
    });
    // A thread that dies fails its reads; the next read starts a new one.
    const lost = () => {
      if (worker !== started) return;
      worker = undefined;
      failPending('the SQLite read thread stopped; try again');
    };
    started.on('error', lost);
    started.on('exit', lost);
    started.unref();
    worker = started;
    return started;
  };
  return {
    read: <T>(sql: string, params: unknown[] | Record<string, unknown>) =>
      new Promise<T[]>((resolve, reject) => {
        const thread = start();
        const id = nextId++;
        pending.set(id, { resolve: resolve as (rows: unknown[]) => void, reject });
        thread.ref();
        thread.postMessage({ id, sql, params } satisfies ReadJob);
      }),
    close() {
      const stopping = worker;
      worker = undefined;
      failPending('the store is closing');
      void stopping?.terminate();
    },
  };
}
