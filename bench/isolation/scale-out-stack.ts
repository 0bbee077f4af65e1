import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import amqp from 'amqplib';
import { Redis } from 'ioredis';
import pg from 'pg';
import { RabbitQueue } from '../../src/adapters/queue/rabbitmq/rabbitmq-queue.js';

export interface StackUrls {
  postgres: string;
  redis: string;
  rabbitmq: string;
}

/** RabbitMQ topology is named after jobs.retryBaseMs: the delay queues double from it. */
const retryBaseMs = 2_000;

/**
 * This run's private corner of the shared PostgreSQL, Redis and RabbitMQ: a fresh schema,
 * a Redis key prefix and a queue name prefix, all random, so concurrent runs never see each
 * other's data; `destroy()` removes all three.
 */
export class ScaleOutStack {
  readonly runId = randomBytes(4).toString('hex');
  readonly schema = `bw_iso_${this.runId}`;
  readonly redisPrefix = `bw_iso_${this.runId}:`;
  readonly queueName = `breakwater.iso.${this.runId}`;
  readonly adminToken = `admin-${this.runId}-${randomBytes(16).toString('hex')}`;
  private created = false;

  constructor(readonly urls: StackUrls) {}

  /** The environment every Breakwater process of this run gets (the config refers to it). */
  environment(): NodeJS.ProcessEnv {
    const url = new URL(this.urls.postgres);
    url.searchParams.set('options', `-c search_path=${this.schema}`);
    return { ...process.env, BW_PG: url.toString(), BW_REDIS: this.urls.redis, BW_AMQP: this.urls.rabbitmq, BW_ADMIN: this.adminToken, UPSTREAM_KEY: 'sk-isolation' };
  }

  async create(): Promise<void> {
    await withPool(this.urls.postgres, (pool) => pool.query(`CREATE SCHEMA ${pg.escapeIdentifier(this.schema)}`));
    this.created = true;
  }

  /** breakwater.yaml (JSON is YAML) for the API and the workers: one file, as in production. */
  writeConfig(folder: string, upstreamUrl: string, concurrency: number): string {
    const path = join(folder, 'breakwater.yaml');
    const redis = (part: string) => ({ driver: 'redis', url: { env: 'BW_REDIS' }, prefix: `${this.redisPrefix}${part}:` });
    writeFileSync(
      path,
      JSON.stringify({
        store: { driver: 'postgres', url: { env: 'BW_PG' } },
        queue: { driver: 'rabbitmq', url: { env: 'BW_AMQP' }, name: this.queueName },
        counters: redis('counters'),
        cache: { ...redis('cache'), exact: { enabled: false } },
        events: redis('events'),
        admin: { token: { env: 'BW_ADMIN' } },
        // Request lines off: at ~200 GET/s they would measure the logger and the pipe to the bench.
        log: { level: 'info', requests: false },
        jobs: { concurrency, retryBaseMs, shutdownGraceMs: 2_000 },
        providers: {
          // One pooled connection per job held open: a worker holds `concurrency` calls at once.
          upstream: { type: 'openai-compatible', baseUrl: upstreamUrl, apiKey: { env: 'UPSTREAM_KEY' }, connections: concurrency + 100 },
        },
        models: {
          slow: { deployments: [{ provider: 'upstream', model: 'slow-model', retries: 0, timeoutMs: 60_000 }] },
          instant: { deployments: [{ provider: 'upstream', model: 'instant-model', retries: 0 }] },
        },
      }),
    );
    return path;
  }

  /** Drops the schema, this run's Redis keys and its queues and exchanges; reports what failed. */
  async destroy(): Promise<string[]> {
    const problems: string[] = [];
    const attempt = async (what: string, work: () => Promise<unknown>) => {
      try {
        await withTimeout(work(), 20_000, what);
      } catch (error) {
        problems.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
      }
    };
    if (this.created)
      await attempt('dropping the schema', () => withPool(this.urls.postgres, (pool) => pool.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(this.schema)} CASCADE`)));
    await attempt('deleting Redis keys', () => this.deleteRedisKeys());
    await attempt('deleting RabbitMQ queues', () => this.deleteQueues());
    return problems;
  }

  private async deleteRedisKeys(): Promise<void> {
    const redis = new Redis(this.urls.redis, { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await redis.connect();
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${this.redisPrefix}*`, 'COUNT', 1_000);
        if (keys.length > 0) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
  }

  /** The adapter names every queue and exchange of a prefix; delete exactly those. */
  private async deleteQueues(): Promise<void> {
    const queue = await RabbitQueue.open({ url: this.urls.rabbitmq, name: this.queueName, prefetch: 1, backoffBaseMs: retryBaseMs, backoffMaxMs: 300_000 });
    const topology = queue.topology();
    await queue.close();
    const connection = await amqp.connect(this.urls.rabbitmq);
    try {
      const channel = await connection.createChannel();
      for (const name of topology.queues) await channel.deleteQueue(name);
      for (const name of topology.exchanges) await channel.deleteExchange(name);
    } finally {
      await connection.close();
    }
  }
}

async function withPool<T>(connectionString: string, work: (pool: pg.Pool) => Promise<T>): Promise<T> {
  const pool = new pg.Pool({ connectionString, max: 1 });
  try {
    return await work(pool);
  } finally {
    await pool.end();
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
