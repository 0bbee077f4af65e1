import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { examplePipelines } from '../../src/config/example-pipelines.js';
import { parseJobEvents } from '../support/jobs.js';
import { eachLimited, exited, startServer, type Server } from '../support/processes.js';
import { scaleOut, type ScaleOut } from '../support/scale-out.js';

const run = promisify(execFile);
const jobCount = 1_000;
const finalEvents = new Set(['job-end', 'job-fail', 'job-cancel']);

/**
 * Two API nodes and two workers on PostgreSQL + Redis + RabbitMQ, 1,000 pipeline jobs against
 * a model with latency; mid-run one worker and one API node are killed with SIGKILL and every
 * broker connection is force-closed once. Every job must end, none lost, no record written
 * twice, and SSE followers of the killed API node must pick up on the other one.
 */
describe('cluster: 2 api + 2 worker processes survive kill -9 and a broker disconnect', () => {
  let cluster: ScaleOut;
  const servers: Server[] = [];

  after(async () => {
    for (const server of servers) if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
    await Promise.all(servers.map((server) => exited(server.child)));
    await cluster?.cleanup();
  });

  it('ends all 1,000 jobs exactly once', { timeout: 240_000 }, async () => {
    const manifest = examplePipelines('mock')['delivery-manifest']!;
    cluster = await scaleOut({
      providers: { mock: { type: 'mock', latencyMs: 150 } },
      models: { mock: { deployments: [{ provider: 'mock', model: 'mock-chat' }] } },
      pipelines: { manifest: { ...manifest, model: 'mock' } },
      jobs: { concurrency: 16, leaseMs: 4_000, recoverMs: 500, pollMs: 200, retryBaseMs: 200, shutdownGraceMs: 0 },
    });
    const key = await cluster.createKey();
    const start = (role: 'api' | 'worker') => startServer(cluster.configPath, { role, env: cluster.env });
    const [api1, api2, worker1, worker2] = await Promise.all([start('api'), start('api'), start('worker'), start('worker')]);
    servers.push(api1!, api2!, worker1!, worker2!);
    const apis = [api1!, api2!];
    const alive = (server: Server) => server.child.exitCode === null && server.child.signalCode === null;
    const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };

    /** Submits job `index` to its API node, or to the other one if that node is gone (same Idempotency-Key). */
    const submit = async (index: number): Promise<string> => {
      const body = JSON.stringify({
        kind: 'pipeline',
        pipeline: 'manifest',
        text: `Shipment SHP-${index} from Oslo to Bergen by DHL, ${(index % 7) + 1} pallets, ${(index % 50) + 10} kg`,
      });
      for (let attempt = 0; ; attempt++) {
        const node = apis[(index + attempt) % 2]!;
        if (!alive(node)) continue;
        try {
          const response = await fetch(`${node.url}/v1/jobs`, { method: 'POST', headers: { ...headers, 'idempotency-key': `cluster-${index}` }, body });
          assert.ok(response.status === 202 || response.status === 200, `submit ${index}: ${response.status} ${await response.clone().text()}`);
          return ((await response.json()) as { id: string }).id;
        } catch (error) {
          if (attempt > 4) throw error;
        }
      }
    };

    /**
     * Follows a job's events until its final one, starting on `first`; when that node dies
     * mid-stream, resumes on the other node with Last-Event-ID. Returns the events and how
     * many times it had to reconnect.
     */
    const follow = async (id: string, first: Server) => {
      const seen: number[] = [];
      let types: string[] = [];
      let node = first;
      let reconnects = 0;
      for (;;) {
        if (!alive(node)) {
          node = apis.find(alive)!;
          reconnects++;
        }
        try {
          const response = await fetch(`${node.url}/v1/jobs/${id}/events`, {
            headers: { authorization: `Bearer ${key}`, ...(seen.length > 0 ? { 'last-event-id': String(seen.at(-1)) } : {}) },
          });
          const events = parseJobEvents(await response.text());
          seen.push(...events.map((event) => event.id));
          types = [...types, ...events.map((event) => event.event)];
          if (types.some((type) => finalEvents.has(type))) return { seen, types, reconnects };
        } catch {
          // The node went away mid-stream: go on from the last event on the other node.
        }
        if (alive(node)) reconnects++;
      }
    };

    const ids = new Array<string>(jobCount);
    await eachLimited(
      Array.from({ length: jobCount }, (_, index) => index),
      40,
      async (index) => {
        ids[index] = await submit(index);
      },
    );
    assert.equal(new Set(ids).size, jobCount, 'a distinct job per submission');

    // Followers on the API node that will be killed, for jobs that cannot have ended yet.
    const followed = ids.slice(-20);
    const followers = followed.map((id) => follow(id, api1!));

    // When job 150 has ended, kill a worker and an API node and cut every broker connection.
    await follow(ids[150]!, api2!);
    const [before] = (await cluster.sql.query(`SELECT count(*) FILTER (WHERE status IN ('succeeded','failed','cancelled'))::int AS done, count(*)::int AS total FROM jobs`)).rows;
    worker1!.child.kill('SIGKILL');
    api1!.child.kill('SIGKILL');
    await Promise.all([exited(worker1!.child), exited(api1!.child)]);
    await run('rabbitmqctl', ['close_all_connections', 'breakwater cluster test']);
    assert.ok(before.done < jobCount, `work was in flight at the kill (${before.done}/${before.total} ended)`);

    const followerResults = await Promise.all(followers);
    for (const [index, result] of followerResults.entries()) {
      assert.ok(
        result.types.some((type) => finalEvents.has(type)),
        `follower of ${followed[index]} saw the end`,
      );
      assert.deepEqual(
        result.seen,
        [...new Set(result.seen)].sort((a, b) => a - b),
        'no event twice, in order, across the reconnect',
      );
    }
    assert.ok(
      followerResults.some((result) => result.reconnects > 0),
      'followers of the killed node moved to the other one',
    );

    // Every job to its end, followed on the surviving API node.
    await eachLimited(ids, 50, async (id) => {
      await follow(id, api2!);
    });

    const { rows: jobs } = await cluster.sql.query<{ status: string; n: number }>(`SELECT status, count(*)::int AS n FROM jobs GROUP BY status`);
    const byStatus = Object.fromEntries(jobs.map((row) => [row.status, row.n]));
    assert.equal(
      Object.values(byStatus).reduce((sum, n) => sum + n, 0),
      jobCount,
      `no job lost or added: ${JSON.stringify(byStatus)}`,
    );
    assert.equal(byStatus.succeeded, jobCount, `every job succeeded: ${JSON.stringify(byStatus)}`);
    const { rows: duplicates } = await cluster.sql.query(`SELECT job_id FROM records GROUP BY job_id HAVING count(*) > 1`);
    assert.deepEqual(duplicates, [], 'no record written twice');
    const [records] = (await cluster.sql.query(`SELECT count(*)::int AS n FROM records`)).rows;
    assert.equal(records.n, jobCount, 'one record per job');
    const [ends] = (await cluster.sql.query(`SELECT count(*)::int AS n FROM job_events WHERE type = 'job-end'`)).rows;
    assert.equal(ends.n, jobCount, 'one job-end per job');
  });
});
