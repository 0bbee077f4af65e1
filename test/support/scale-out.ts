import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import amqp from 'amqplib';
import { Redis } from 'ioredis';
import pg from 'pg';
import { childEnv, repository } from './processes.js';

const run = promisify(execFile);

export const services = {
  postgres: process.env.BREAKWATER_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  redis: process.env.BREAKWATER_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
  amqp: process.env.BREAKWATER_TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
};

export interface ScaleOut {
  /** A run id: the PostgreSQL schema, the Redis prefix and the RabbitMQ names all carry it. */
  id: string;
  folder: string;
  configPath: string;
  /** Environment of every Breakwater process of this run (the secret references resolve here). */
  env: NodeJS.ProcessEnv;
  databaseUrl: string;
  /** A pool on this run's schema, for assertions. */
  sql: pg.Pool;
  /** `breakwater keys create` on this run's store; resolves with the secret. */
  createKey(args?: string[]): Promise<string>;
  cleanup(): Promise<void>;
}

/**
 * One scale-out run on the machine's real PostgreSQL, Redis and RabbitMQ, isolated from every
 * other run: its own schema, key prefix and queue names, all removed by cleanup().
 */
export async function scaleOut(extraConfig: Record<string, unknown> = {}): Promise<ScaleOut> {
  const id = `bw_t${randomBytes(4).toString('hex')}`;
  const admin = new pg.Pool({ connectionString: services.postgres, max: 1 });
  await admin.query(`CREATE SCHEMA ${id}`);
  await admin.end();
  const databaseUrl = `${services.postgres}?options=${encodeURIComponent(`-c search_path=${id}`)}`;
  const folder = mkdtempSync(join(tmpdir(), 'breakwater-scale-out-'));
  const configPath = join(folder, 'breakwater.yaml');
  const config = {
    store: { driver: 'postgres', url: { env: 'BW_TEST_DATABASE_URL' } },
    queue: { driver: 'rabbitmq', url: { env: 'BW_TEST_AMQP_URL' }, name: id.replaceAll('_', '-') },
    counters: { driver: 'redis', url: { env: 'BW_TEST_REDIS_URL' }, prefix: `${id}:` },
    cache: { driver: 'redis', url: { env: 'BW_TEST_REDIS_URL' }, prefix: `${id}:` },
    events: { driver: 'redis', url: { env: 'BW_TEST_REDIS_URL' }, prefix: `${id}:` },
    log: { level: 'info', requests: false },
    ...extraConfig,
  };
  writeFileSync(configPath, JSON.stringify(config));
  const env = { BW_TEST_DATABASE_URL: databaseUrl, BW_TEST_AMQP_URL: services.amqp, BW_TEST_REDIS_URL: services.redis, BW_TEST_ADMIN_TOKEN: 'admin-token-for-tests-0123456789' };
  const sql = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  return {
    id,
    folder,
    configPath,
    env,
    databaseUrl,
    sql,
    async createKey(args = []) {
      const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'keys', 'create', '--name', 'test', '--json', '--config', configPath, ...args], {
        cwd: repository,
        env: childEnv(env),
      });
      return (JSON.parse(stdout.trim().split('\n').pop()!) as { key: string }).key;
    },
    async cleanup() {
      await sql.end().catch(() => {});
      const dropper = new pg.Pool({ connectionString: services.postgres, max: 1 });
      await dropper.query(`DROP SCHEMA IF EXISTS ${id} CASCADE`).catch(() => {});
      await dropper.end();
      const redis = new Redis(services.redis);
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${id}:*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length > 0) await redis.del(...keys);
      } while (cursor !== '0');
      await redis.quit();
      const queueName = id.replaceAll('_', '-');
      const { stdout } = await run('rabbitmqctl', ['list_queues', '-q', '--no-table-headers', 'name']).catch(() => ({ stdout: '' }));
      const { stdout: exchanges } = await run('rabbitmqctl', ['list_exchanges', '-q', '--no-table-headers', 'name']).catch(() => ({ stdout: '' }));
      const connection = await amqp.connect(services.amqp);
      const channel = await connection.createChannel();
      for (const queue of stdout
        .split('\n')
        .map((line) => line.trim())
        .filter((name) => name.startsWith(queueName)))
        await channel.deleteQueue(queue);
      for (const exchange of exchanges
        .split('\n')
        .map((line) => line.trim())
        .filter((name) => name.startsWith(queueName)))
        await channel.deleteExchange(exchange);
      await connection.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
