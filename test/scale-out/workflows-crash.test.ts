import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eachLimited, exited, startServer, type Server } from '../support/processes.js';
import { scaleOut, type ScaleOut } from '../support/scale-out.js';
import { api, checkToolCalls, type Client, settle, startRuns, ToolServer, writeCrashWorkflow } from '../workflows/crash-scenario.js';

const runCount = 200;

/**
 * The workflow crash scenario on the scale-out shape: an API node and two worker nodes on
 * PostgreSQL, Redis and RabbitMQ. A worker is killed with SIGKILL at random points while tool
 * calls are in flight (three times, restarted each time); then every process is killed while
 * the runs above the approval threshold wait, everything is started again, and the approvals
 * are given through the new API node.
 */
describe('workflow runs survive kill -9 of worker nodes on PostgreSQL + RabbitMQ', () => {
  const folder = mkdtempSync(join(tmpdir(), 'breakwater-workflow-crash-'));
  const servers: Server[] = [];
  let cluster: ScaleOut | undefined;
  let tools: ToolServer | undefined;

  after(async () => {
    for (const server of servers) if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
    await Promise.all(servers.map((server) => exited(server.child)));
    await tools?.close();
    await cluster?.cleanup();
    rmSync(folder, { recursive: true, force: true });
  });

  it(`kill -9 of workers during ${runCount} runs: every run finishes or waits; no stored tool result is sent again; re-sends carry the same key; paused runs continue after every process restarts`, {
    timeout: 240_000,
  }, async (t) => {
    tools = await ToolServer.start();
    const started = tools;
    cluster = await scaleOut({
      providers: { mock: { type: 'mock' } },
      models: { mock: { deployments: [{ provider: 'mock', model: 'mock' }] } },
      webhooks: { secrets: [{ env: 'BW_TEST_WEBHOOK_SECRET' }], allow: ['127.0.0.1'] },
      workflows: { files: [writeCrashWorkflow(folder, started.url)], sweepMs: 200, stalledMs: 2_000 },
      jobs: { concurrency: 16, leaseMs: 1_000, recoverMs: 200, pollMs: 100, retryBaseMs: 200, shutdownGraceMs: 0 },
    });
    // createKey and every node read the same env object.
    Object.assign(cluster.env, { BW_TEST_WEBHOOK_SECRET: 'whsec-crash-test-0123456789' });
    const { env, configPath } = cluster;
    const key = await cluster.createKey();
    const start = async (role: 'api' | 'worker') => {
      const server = await startServer(configPath, { role, env });
      servers.push(server);
      return server;
    };
    let apiNode = await start('api');
    const workers = [await start('worker'), await start('worker')];
    let client: Client = { url: apiNode.url, key };
    const ids = await startRuns(client, runCount);

    // Kill a worker at a random point while tool calls are in flight, start a new one, three times.
    let kills = 0;
    for (; kills < 3; kills++) {
      const target = started.hits.length + 20 + Math.floor(Math.random() * 120);
      const deadline = Date.now() + 20_000;
      while (started.hits.length < target && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 2));
      const victim = Math.floor(Math.random() * workers.length);
      workers[victim]!.child.kill('SIGKILL');
      await exited(workers[victim]!.child);
      workers[victim] = await start('worker');
    }
    const statuses = await settle(client, ids, 120_000);
    const waiting = ids.filter((id) => statuses.get(id) === 'waiting_approval');
    assert.deepEqual(
      ids.filter((id) => statuses.get(id) === 'failed'),
      [],
      'no run failed',
    );
    assert.equal(waiting.length, runCount / 10, 'the runs above the threshold wait for approval');

    // Every process goes down hard while the runs wait; a new API node and new workers take over.
    for (const server of [apiNode, ...workers]) server.child.kill('SIGKILL');
    await Promise.all([apiNode, ...workers].map((server) => exited(server.child)));
    apiNode = await start('api');
    workers.splice(0, workers.length, await start('worker'), await start('worker'));
    client = { url: apiNode.url, key };
    const pending = await api<{ data: Array<{ id: string; run_id: string }> }>(client, 'GET', '/v1/approvals?status=pending&limit=100');
    assert.deepEqual(pending.body.data.map((approval) => approval.run_id).sort(), [...waiting].sort(), 'every paused run still has its pending approval');
    await eachLimited(pending.body.data, 8, async (approval) => {
      assert.equal((await api(client, 'POST', `/v1/approvals/${approval.id}/approve`, { by: 'ops' })).status, 200);
    });
    const final = await settle(client, ids, 60_000);
    assert.deepEqual(
      ids.filter((id) => final.get(id) !== 'succeeded'),
      [],
      'every run succeeded',
    );

    const { rows } = await cluster.sql.query<{ key: string; at: string }>(`SELECT input::json->>'idempotencyKey' AS key, at FROM workflow_journal WHERE kind = 'tool-result'`);
    const storedAt = new Map(rows.map((row) => [row.key, Number(row.at)]));
    const { resent, calls } = await checkToolCalls(client, ids, started.hits, storedAt);
    const { rows: approvals } = await cluster.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM workflow_approvals GROUP BY run_id HAVING count(*) > 1`);
    assert.deepEqual(approvals, [], 'no run asked for approval twice');
    t.diagnostic(`${kills} worker kills and one kill of every process; ${calls} tool requests for ${runCount * 3} tool steps; ${resent} steps re-sent with the same key`);
  });
});
