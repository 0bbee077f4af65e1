import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { childEnv, eachLimited, exited, repository, startServer, type Server } from '../support/processes.js';
import { api, checkToolCalls, type Client, settle, startRuns, ToolServer, writeCrashWorkflow } from './crash-scenario.js';

const runCount = 200;

function storedResultTimes(databasePath: string): Map<string, number> {
  const database = new Database(databasePath, { readonly: true });
  try {
    const rows = database.prepare(`SELECT json_extract(input, '$.idempotencyKey') AS key, at FROM workflow_journal WHERE kind = 'tool-result'`).all() as Array<{
      key: string;
      at: number;
    }>;
    return new Map(rows.map((row) => [row.key, row.at]));
  } finally {
    database.close();
  }
}

describe('workflow runs survive kill -9 of the embedded process', () => {
  const folder = mkdtempSync(join(tmpdir(), 'breakwater-workflow-crash-'));
  const children: ChildProcess[] = [];
  let tools: ToolServer | undefined;

  after(async () => {
    for (const child of children) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited(child);
      }
    }
    await tools?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it(`kill -9 at random points during ${runCount} runs: every run finishes or waits; no stored tool result is sent again; re-sends carry the same key; paused runs continue when approved after a restart`, {
    timeout: 240_000,
  }, async (t) => {
    tools = await ToolServer.start();
    const databasePath = join(folder, 'breakwater.db');
    const configPath = join(folder, 'breakwater.yaml');
    writeFileSync(
      configPath,
      JSON.stringify({
        store: { driver: 'sqlite', path: databasePath },
        providers: { mock: { type: 'mock' } },
        models: { mock: { deployments: [{ provider: 'mock', model: 'mock' }] } },
        webhooks: { secrets: [{ env: 'BW_TEST_WEBHOOK_SECRET' }], allow: ['127.0.0.1'] },
        workflows: { files: [writeCrashWorkflow(folder, tools.url)], sweepMs: 200, stalledMs: 2_000 },
        jobs: { concurrency: 16, leaseMs: 1_000, recoverMs: 200, pollMs: 100 },
        log: { level: 'info', requests: false },
      }),
    );
    const env = { BW_TEST_WEBHOOK_SECRET: 'whsec-crash-test-0123456789' };
    const created = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'keys', 'create', '--name', 'crash', '--json', '--config', configPath], {
      cwd: repository,
      env: childEnv(env),
    });
    const key = (JSON.parse(created.stdout) as { key: string }).key;

    let server: Server = await startServer(configPath, { env });
    children.push(server.child);
    let client: Client = { url: server.url, key };
    const ids = await startRuns(client, runCount);
    // Kill at a random point while tool calls are in flight, restart, and again: three kills.
    let kills = 0;
    for (; kills < 3; kills++) {
      const before = tools.hits.length;
      const target = before + 20 + Math.floor(Math.random() * 120);
      const deadline = Date.now() + 20_000;
      while (tools.hits.length < target && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 2));
      server.child.kill('SIGKILL');
      await exited(server.child);
      server = await startServer(configPath, { env });
      children.push(server.child);
      client = { url: server.url, key };
    }
    const statuses = await settle(client, ids, 120_000);
    const waiting = ids.filter((id) => statuses.get(id) === 'waiting_approval');
    const failed = ids.filter((id) => statuses.get(id) === 'failed');
    assert.deepEqual(failed, [], 'no run failed');
    assert.equal(waiting.length, runCount / 10, 'the runs above the threshold wait for approval');

    // Every process restarts while the runs wait; the approvals are still there and the runs continue.
    server.child.kill('SIGKILL');
    await exited(server.child);
    server = await startServer(configPath, { env });
    children.push(server.child);
    client = { url: server.url, key };
    const pending = await api<{ data: Array<{ id: string; run_id: string }> }>(client, 'GET', '/v1/approvals?status=pending&limit=100');
    assert.deepEqual(pending.body.data.map((approval) => approval.run_id).sort(), [...waiting].sort());
    await eachLimited(pending.body.data, 8, async (approval) => {
      assert.equal((await api(client, 'POST', `/v1/approvals/${approval.id}/approve`, { by: 'ops' })).status, 200);
    });
    const final = await settle(client, ids, 60_000);
    assert.deepEqual(
      ids.filter((id) => final.get(id) !== 'succeeded'),
      [],
      'every run succeeded',
    );
    const { resent, calls } = await checkToolCalls(client, ids, tools.hits, storedResultTimes(databasePath));
    server.child.kill('SIGTERM');
    await exited(server.child);
    t.diagnostic(`${kills} kills; ${calls} tool requests for ${runCount * 3} tool steps; ${resent} steps re-sent with the same key after a kill`);
  });
});
