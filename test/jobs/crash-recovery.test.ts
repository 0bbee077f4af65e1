import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { examplePipelines } from '../../src/config/example-pipelines.js';
import { parseJobEvents, type StreamedEvent } from '../support/jobs.js';
import { childEnv, eachLimited, exited, repository, startServer, type Server } from '../support/processes.js';

const jobCount = 500;
/** The job whose end triggers the kill: by then some jobs are done and most are not. */
const killAfterJob = 50;

/** Reads a job's SSE stream until the server closes it (it does after the job's final event). */
async function followUntilClosed(server: Server, key: string, id: string): Promise<StreamedEvent[]> {
  const response = await fetch(`${server.url}/v1/jobs/${id}/events`, { headers: { authorization: `Bearer ${key}` } });
  assert.equal(response.status, 200, `events of ${id}`);
  return parseJobEvents(await response.text());
}

interface JobRow {
  id: string;
  status: string;
  attempts: number;
  error: string | null;
}

function readJobs(databasePath: string): Map<string, JobRow> {
  const database = new Database(databasePath);
  try {
    const rows = database.prepare(`SELECT id, status, attempts, error FROM jobs`).all() as JobRow[];
    return new Map(rows.map((row) => [row.id, row]));
  } finally {
    database.close();
  }
}

describe('crash recovery of the embedded process', () => {
  const folder = mkdtempSync(join(tmpdir(), 'breakwater-crash-'));
  const children: ChildProcess[] = [];

  after(async () => {
    for (const child of children) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited(child);
      }
    }
    rmSync(folder, { recursive: true, force: true });
  });

  it('kill -9 during a run of 500 jobs, then restart: every job ends, none is lost, no record is written twice', { timeout: 120_000 }, async (t) => {
    const databasePath = join(folder, 'breakwater.db');
    const configPath = join(folder, 'breakwater.yaml');
    const manifest = examplePipelines('mock')['delivery-manifest']!;
    writeFileSync(
      configPath,
      JSON.stringify({
        store: { driver: 'sqlite', path: databasePath },
        providers: { mock: { type: 'mock', latencyMs: 30 } },
        models: { mock: { deployments: [{ provider: 'mock', model: 'mock-chat' }] } },
        pipelines: { manifest: { model: 'mock', prompt: manifest.prompt, schema: manifest.schema } },
        jobs: { concurrency: 16, leaseMs: 1500, recoverMs: 200, pollMs: 100 },
        // info, for the "listening on" line (port 0); one line per request would be noise.
        log: { level: 'info', requests: false },
      }),
    );
    const created = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'keys', 'create', '--name', 'crash', '--json', '--config', configPath], {
      cwd: repository,
      env: childEnv(),
    });
    const key = (JSON.parse(created.stdout) as { key: string }).key;
    const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };

    // First run: submit everything, kill -9 once job #50 has ended.
    const first = await startServer(configPath);
    children.push(first.child);
    const ids: string[] = new Array(jobCount);
    let killTrigger: Promise<StreamedEvent[]> | undefined;
    await eachLimited(
      Array.from({ length: jobCount }, (_, index) => index),
      32,
      async (index) => {
        const response = await fetch(`${first.url}/v1/jobs`, {
          method: 'POST',
          headers: { ...headers, 'idempotency-key': `crash-${index}` },
          body: JSON.stringify({
            kind: 'pipeline',
            pipeline: 'manifest',
            text: `Delivery manifest: shipment ${index} from Rotterdam to Oslo by NordFreight, 3 pallets of tiles, 420 kg.`,
          }),
        });
        assert.equal(response.status, 202, `submission ${index}: ${await response.clone().text()}`);
        ids[index] = ((await response.json()) as { id: string }).id;
        if (index === killAfterJob) killTrigger = followUntilClosed(first, key, ids[index]!);
      },
    );
    const triggerEvents = await killTrigger!;
    assert.equal(triggerEvents.at(-1)?.event, 'job-end', `job #${killAfterJob} ended before the kill`);
    first.child.kill('SIGKILL');
    await exited(first.child);
    assert.equal(first.child.signalCode, 'SIGKILL');

    const atKill = readJobs(databasePath);
    const countAtKill = (status: string) => ids.filter((id) => atKill.get(id)?.status === status).length;
    const runningAtKill = ids.filter((id) => atKill.get(id)?.status === 'running');
    const inFlight = runningAtKill.length + countAtKill('queued');
    assert.equal(ids.filter((id) => atKill.has(id)).length, jobCount, 'every accepted job was durable before the kill');
    assert.ok(inFlight > 0, 'the kill interrupted in-flight work');
    assert.ok(countAtKill('succeeded') > 0, 'some jobs had finished before the kill');

    // Second run: the same command; follow every job's events until its stream closes.
    const second = await startServer(configPath);
    children.push(second.child);
    await eachLimited(ids, 20, async (id) => {
      const events = await followUntilClosed(second, key, id);
      const last = events.at(-1)?.event;
      assert.ok(last === 'job-end' || last === 'job-fail' || last === 'job-cancel', `${id} stream ended with ${last}`);
    });
    second.child.kill('SIGTERM');
    await exited(second.child);

    const database = new Database(databasePath, { readonly: true });
    try {
      const jobs = new Map((database.prepare(`SELECT id, status, attempts, error FROM jobs`).all() as JobRow[]).map((row) => [row.id, row]));
      const lost = ids.filter((id) => !jobs.has(id));
      assert.deepEqual(lost, [], 'no accepted job is lost');
      const notTerminal = ids.filter((id) => !['succeeded', 'failed', 'cancelled'].includes(jobs.get(id)!.status));
      assert.deepEqual(notTerminal, [], 'every job is terminal');
      const failed = ids.map((id) => jobs.get(id)!).filter((job) => job.status === 'failed');
      for (const job of failed) assert.ok(job.error && (JSON.parse(job.error) as { code?: string }).code, `failed job ${job.id} has an error code`);
      const succeeded = ids.filter((id) => jobs.get(id)!.status === 'succeeded');

      const duplicates = database.prepare(`SELECT job_id, count(*) AS n FROM records GROUP BY job_id HAVING count(*) > 1`).all();
      assert.deepEqual(duplicates, [], 'no record is written twice');
      const recorded = new Set(database.prepare(`SELECT job_id FROM records`).pluck().all() as string[]);
      assert.equal(recorded.size, succeeded.length, 'one record per succeeded job');
      assert.deepEqual(
        succeeded.filter((id) => !recorded.has(id)),
        [],
        'every succeeded job has its record',
      );
      const doubleEnds = database.prepare(`SELECT job_id FROM job_events WHERE type = 'job-end' GROUP BY job_id HAVING count(*) > 1`).all();
      assert.deepEqual(doubleEnds, [], 'no job ended twice');

      const rerun = runningAtKill.filter((id) => jobs.get(id)!.attempts < 2);
      assert.deepEqual(rerun, [], 'jobs running at the kill were run again (attempts >= 2)');
      const queuedAtKill = countAtKill('queued');
      t.diagnostic(
        `at the kill ${countAtKill('succeeded')} succeeded, ${runningAtKill.length} running, ${queuedAtKill} queued; ` +
          `after restart ${succeeded.length} succeeded, ${failed.length} failed, 0 lost, ${recorded.size} records`,
      );
    } finally {
      database.close();
    }
  });
});
