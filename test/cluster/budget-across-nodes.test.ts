import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import amqp from 'amqplib';
import { Redis } from 'ioredis';
import pg from 'pg';
import { RabbitQueue } from '../../src/adapters/queue/rabbitmq/rabbitmq-queue.js';
import { TokenCounter } from '../../src/core/pricing/token-counter.js';
import { OpenAIUpstream, sendSse, type RecordedRequest } from '../support/openai-upstream.js';

/*
 * "200 concurrent streaming requests spread over 2 API nodes against a key whose budget covers
 * about 50 of them: recorded spend <= budget, and the number served matches what the budget
 * allows." Two real `breakwater serve --role api` processes share PostgreSQL (keys, ledger),
 * Redis (budget counters) and RabbitMQ; the budget is only safe across nodes if the Redis
 * reservation is.
 */

const postgresUrl = process.env.BREAKWATER_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const redisUrl = process.env.BREAKWATER_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const rabbitUrl = process.env.BREAKWATER_TEST_RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672/';

const repository = fileURLToPath(new URL('../..', import.meta.url));
const runId = randomBytes(4).toString('hex');
const schema = `bw_iso_${runId}`;
const redisPrefix = `bw_test_${runId}:`;
const queueName = `breakwater.test.${runId}.budget`;
const adminToken = `admin-${runId}-${randomBytes(16).toString('hex')}`;

// ── the arithmetic ───────────────────────────────────────────────────────────────────────
const requests = 200;
const maxTokens = 64;
/** USD per 1M tokens, on the deployment: what the reservation and the true-up both use. */
const price = { input: 2, output: 10 };
const chatBody = {
  model: 'budgeted',
  messages: [{ role: 'user', content: 'Say something about budgets.' }],
  max_tokens: maxTokens,
  stream: true,
  stream_options: { include_usage: true },
};
/** Prompt tokens as the gateway counts them before the call (o200k + chat framing). */
const estimatedInput = new TokenCounter().countChat(chatBody as Parameters<TokenCounter['countChat']>[0]);
/**
 * The budget middleware reserves the prompt with a 10% + 8 token margin (vendors tokenize
 * differently) plus the client's whole max_tokens, at the deployment's price.
 */
const reservedUsd = ((Math.ceil(estimatedInput * 1.1) + 8) * price.input + maxTokens * price.output) / 1_000_000;
/** The upstream reports the true prompt count and an answer that runs to max_tokens. */
const usage = { prompt_tokens: estimatedInput, completion_tokens: maxTokens, total_tokens: estimatedInput + maxTokens };
const costUsd = (usage.prompt_tokens * price.input + usage.completion_tokens * price.output) / 1_000_000;
const budgetUsd = Number((50 * costUsd).toFixed(9));
/**
 * A reservation succeeds when used + R <= B, where used = C per trued-up call + R per open one.
 * - Fewest served: every reservation lands before any true-up, so open calls hold R each:
 *   floor(B / R).
 * - Most served: every true-up lands before the next reservation; the n-th call then needs
 *   (n - 1)·C + R <= B: floor((B - R) / C) + 1.
 * Any interleaving of 200 concurrent calls over two nodes lies between; the slack is only the
 * prompt margin (R - C), so the two bounds differ by at most one here.
 */
const fewestServed = Math.floor(budgetUsd / reservedUsd);
const mostServed = Math.floor((budgetUsd - reservedUsd) / costUsd) + 1;

// ── the cluster ──────────────────────────────────────────────────────────────────────────
const folder = mkdtempSync(join(tmpdir(), 'breakwater-cluster-'));
const configPath = join(folder, 'breakwater.yaml');
const admin = new pg.Pool({ connectionString: postgresUrl, max: 1 });
const nodes: ChildProcess[] = [];
let upstream: OpenAIUpstream;
let addresses: string[] = [];
let keySecret = '';
let keyId = '';

function environment(): NodeJS.ProcessEnv {
  const url = new URL(postgresUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { ...process.env, BW_PG: url.toString(), BW_REDIS: redisUrl, BW_AMQP: rabbitUrl, BW_ADMIN: adminToken, UPSTREAM_KEY: 'sk-upstream' };
}

/** Starts `serve --role api --port 0` and resolves with the address it logs. */
function startApiNode(name: string): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--config', configPath, '--role', 'api', '--port', '0'], {
    cwd: repository,
    env: environment(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  nodes.push(child);
  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-8_000)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not listen within 60 s; its output:\n${output}`)), 60_000);
    child.once('exit', (code, signal) => reject(new Error(`${name} ended (${code ?? signal}) before listening; its output:\n${output}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      output = (output + line + '\n').slice(-8_000);
      const address = /Breakwater listening on (http:\/\/[\d.]+:\d+)/.exec(line)?.[1];
      if (address) {
        clearTimeout(timer);
        resolve(address);
      }
    });
  });
}

async function stopNode(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

before(async () => {
  upstream = await OpenAIUpstream.start(async (request: RecordedRequest, response) => {
    // Hold each answer briefly, so the 200 calls really overlap on both nodes.
    await sleep(50);
    const base = { id: 'chatcmpl-budget', created: 1_700_000_000, model: String(request.body.model) };
    const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
      ...base,
      object: 'chat.completion.chunk',
      choices: [{ index: 0, delta, finish_reason: finish }],
    });
    sendSse(response, [
      chunk({ role: 'assistant', content: '' }),
      chunk({ content: 'Budgets ' }),
      chunk({ content: 'matter.' }),
      chunk({}, 'length'),
      { ...base, object: 'chat.completion.chunk', choices: [], usage },
    ]);
    return true;
  });
  await admin.query(`CREATE SCHEMA ${pg.escapeIdentifier(schema)}`);
  writeFileSync(
    configPath,
    JSON.stringify({
      store: { driver: 'postgres', url: { env: 'BW_PG' } },
      queue: { driver: 'rabbitmq', url: { env: 'BW_AMQP' }, name: queueName },
      counters: { driver: 'redis', url: { env: 'BW_REDIS' }, prefix: `${redisPrefix}counters:` },
      cache: { driver: 'redis', url: { env: 'BW_REDIS' }, prefix: `${redisPrefix}cache:` },
      events: { driver: 'redis', url: { env: 'BW_REDIS' }, prefix: `${redisPrefix}events:` },
      admin: { token: { env: 'BW_ADMIN' } },
      log: { level: 'info', requests: false },
      providers: { upstream: { type: 'openai-compatible', baseUrl: upstream.url, apiKey: { env: 'UPSTREAM_KEY' }, connections: 256 } },
      models: { budgeted: { deployments: [{ provider: 'upstream', model: 'budget-model', retries: 0, price }] } },
    }),
  );
  const created = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', 'src/cli/main.ts', 'keys', 'create', '--name', 'budgeted', '--json', '--config', configPath, '--budget', String(budgetUsd), '--period', 'total'],
    { cwd: repository, env: environment() },
  );
  const key = JSON.parse(created.stdout) as { id: string; key: string };
  keyId = key.id;
  keySecret = key.key;
  addresses = await Promise.all([startApiNode('api node 1'), startApiNode('api node 2')]);
});

after(async () => {
  await Promise.all(nodes.map(stopNode));
  await upstream?.close();
  await admin.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
  await admin.end();
  const redis = new Redis(redisUrl);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${redisPrefix}*`, 'COUNT', 1_000);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  await redis.quit();
  rmSync(folder, { recursive: true, force: true });
  // Bounded: a broker that stopped answering must fail the hook, not hang the suite.
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error('deleting the RabbitMQ queues took over 20 s')), 20_000);
  });
  await Promise.race([deleteQueues(), timeout]).finally(() => clearTimeout(timer));
});

/**
 * The nodes declared the queue's topology at start; the adapter names it (same backoff base as
 * the nodes: jobs.retryBaseMs, 2000 by default), so exactly those queues and exchanges go.
 */
async function deleteQueues(): Promise<void> {
  const queue = await RabbitQueue.open({ url: rabbitUrl, name: queueName, prefetch: 1, backoffBaseMs: 2_000, backoffMaxMs: 300_000 });
  const topology = queue.topology();
  await queue.close();
  const connection = await amqp.connect(rabbitUrl);
  const channel = await connection.createChannel();
  for (const name of topology.queues) await channel.deleteQueue(name);
  for (const name of topology.exchanges) await channel.deleteExchange(name);
  await connection.close();
}

interface Outcome {
  node: number;
  status: number;
  /** A 200 stream that ended with its usage chunk and [DONE]. */
  completed: boolean;
  code: string | undefined;
}

async function streamOnce(index: number): Promise<Outcome> {
  const node = index % 2;
  const response = await fetch(`${addresses[node]}/v1/chat/completions`, {
    method: 'POST',
    // no-store: 200 identical prompts must each reach the budget, not the shared exact cache.
    headers: { authorization: `Bearer ${keySecret}`, 'content-type': 'application/json', 'cache-control': 'no-store' },
    body: JSON.stringify(chatBody),
  });
  const text = await response.text();
  if (response.status === 200) {
    const completed = text.includes(`"completion_tokens":${maxTokens}`) && text.trimEnd().endsWith('data: [DONE]');
    return { node, status: 200, completed, code: undefined };
  }
  return { node, status: response.status, completed: false, code: (JSON.parse(text) as { error?: { code?: string } }).error?.code };
}

test('a total budget holds across two API nodes under 200 concurrent streams', async (t) => {
  assert.ok(mostServed - fewestServed <= 1 && fewestServed >= 45, `the numbers give a tight bound (${fewestServed}..${mostServed})`);

  // Both nodes take part only if neither is still cold when the burst lands. One chat call on
  // each pays every cold cost of the path the burst takes (key lookup, store connection, the
  // tokenizer's tables, seeding the Redis budget counter from the ledger) without spending:
  // its max_tokens alone costs more than the whole budget, so it is refused before the
  // provider call and leaves one error row in the ledger.
  const warmUps = addresses.length;
  for (const address of addresses) {
    const warm = await fetch(`${address}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${keySecret}`, 'content-type': 'application/json', 'cache-control': 'no-store' },
      body: JSON.stringify({ ...chatBody, max_tokens: Math.ceil((budgetUsd * 1_000_000) / price.output) + 1 }),
    });
    assert.equal(warm.status, 429);
    assert.equal(((await warm.json()) as { error: { code: string } }).error.code, 'BUDGET_EXCEEDED');
  }
  const outcomes = await Promise.all(Array.from({ length: requests }, (_unused, index) => streamOnce(index)));

  const served = outcomes.filter((outcome) => outcome.status === 200);
  const refused = outcomes.filter((outcome) => outcome.status !== 200);
  assert.deepEqual(
    served.filter((outcome) => !outcome.completed),
    [],
    'every 200 stream ran to its usage chunk and [DONE]',
  );
  assert.deepEqual(
    refused.filter((outcome) => outcome.status !== 429 || outcome.code !== 'BUDGET_EXCEEDED'),
    [],
    'every other request was refused 429 BUDGET_EXCEEDED',
  );
  assert.ok(
    served.length >= fewestServed && served.length <= mostServed,
    `served ${served.length}; the budget of $${budgetUsd} allows ${fewestServed}..${mostServed} calls reserving $${reservedUsd} and costing $${costUsd}`,
  );
  const perNode = [0, 1].map((node) => served.filter((outcome) => outcome.node === node).length);
  t.diagnostic(
    `served ${served.length} (node 1: ${perNode[0]}, node 2: ${perNode[1]}), allowed ${fewestServed}..${mostServed}; reserve $${reservedUsd}, cost $${costUsd}, budget $${budgetUsd}`,
  );
  assert.ok(
    perNode.every((count) => count > 0),
    'both nodes served calls from the one budget',
  );
  // Refusals happen before the provider call: the upstream saw exactly the served calls.
  assert.equal(upstream.chatRequests().length, served.length);

  // Each node flushes its ledger every 200 ms; wait until all rows (refusals and the two
  // warm-ups included) are in.
  let rows: Array<{ key_id: string; requests: number; errors: number; cost_usd: number }> = [];
  for (let waited = 0; ; waited += 100) {
    const response = await fetch(`${addresses[0]}/v1/usage?key_id=${keyId}`, { headers: { authorization: `Bearer ${adminToken}` } });
    assert.equal(response.status, 200);
    rows = ((await response.json()) as { data: typeof rows }).data;
    if (rows.reduce((sum, row) => sum + row.requests, 0) >= requests + warmUps || waited >= 10_000) break;
    await sleep(100);
  }
  const recorded = rows.reduce((sum, row) => sum + row.requests, 0);
  const spentUsd = rows.reduce((sum, row) => sum + row.cost_usd, 0);
  assert.equal(recorded, requests + warmUps, 'the ledger holds one row per request');
  assert.equal(
    rows.reduce((sum, row) => sum + row.errors, 0),
    refused.length + warmUps,
  );
  assert.ok(spentUsd <= budgetUsd, `recorded spend $${spentUsd} <= budget $${budgetUsd}`);
  assert.ok(Math.abs(spentUsd - served.length * costUsd) < 1e-9, `recorded spend $${spentUsd} = ${served.length} x $${costUsd}`);
});
