import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { promisify } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import amqp from 'amqplib';
import pg from 'pg';
import { services } from './scale-out.js';

const run = promisify(execFile);

/** The servers the scale-out shape depends on, as the fault suite stops and starts them. */
export type Dependency = 'postgres' | 'redis' | 'rabbitmq';

function postgresCluster(): string[] {
  const version = readdirSync('/etc/postgresql').sort().at(-1);
  if (!version) throw new Error('No PostgreSQL cluster under /etc/postgresql');
  return ['--skip-systemctl-redirect', version, 'main'];
}

/**
 * Stops the machine's server (needs root, as on CI). Every other test on the machine loses it
 * too, so callers start it again in a `finally`.
 */
export async function stopService(dependency: Dependency): Promise<void> {
  if (dependency === 'postgres') await run('pg_ctlcluster', [...postgresCluster(), 'stop', '-m', 'fast']);
  else if (dependency === 'redis') await run('redis-cli', ['-p', '6379', 'shutdown', 'nosave']).catch(ignoreWhenAlreadyDown);
  else await run('rabbitmqctl', ['stop_app']);
}

/** Starts the server again and resolves once it answers a client (not merely its port). */
export async function startService(dependency: Dependency, timeoutMs = 60_000): Promise<void> {
  if (!(await answers(dependency))) {
    if (dependency === 'postgres') await run('pg_ctlcluster', [...postgresCluster(), 'start']).catch(ignoreWhenAlreadyUp);
    else if (dependency === 'redis') {
      await run('redis-server', [
        '--daemonize',
        'yes',
        '--bind',
        '127.0.0.1 -::1',
        '--port',
        '6379',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        '/var/lib/redis',
        '--logfile',
        '/var/log/redis/ci.log',
      ]);
    } else await run('rabbitmqctl', ['start_app']);
  }
  // Nothing announces "ready" to this process: ask until the server answers.
  for (const until = Date.now() + timeoutMs; !(await answers(dependency)); ) {
    if (Date.now() > until) throw new Error(`${dependency} did not answer within ${timeoutMs} ms of being started`);
    await sleep(100);
  }
}

/** True when a real client gets an answer from the server now. */
export async function answers(dependency: Dependency): Promise<boolean> {
  try {
    if (dependency === 'postgres') {
      const client = new pg.Client({ connectionString: services.postgres, connectionTimeoutMillis: 2_000 });
      client.on('error', () => {});
      try {
        await client.connect();
        await client.query('SELECT 1');
      } finally {
        await client.end().catch(() => {});
      }
    } else if (dependency === 'redis') {
      const { stdout } = await run('redis-cli', ['-p', '6379', 'ping'], { timeout: 2_000 });
      if (stdout.trim() !== 'PONG') return false;
    } else {
      const connection = await amqp.connect(services.amqp, { timeout: 2_000 });
      connection.on('error', () => {});
      await connection.close();
    }
    return true;
  } catch {
    return false;
  }
}

function ignoreWhenAlreadyDown(error: Error & { stderr?: string }): void {
  if (!/Connection refused|Could not connect/i.test(error.stderr ?? error.message)) throw error;
}

function ignoreWhenAlreadyUp(error: Error & { stderr?: string }): void {
  if (!/already running/i.test(error.stderr ?? error.message)) throw error;
}
