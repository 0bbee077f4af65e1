import assert from 'node:assert/strict';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eachLimited } from '../support/processes.js';

/** One request a tool endpoint received. */
export interface ToolHit {
  tool: string;
  runId: string;
  idempotencyKey: string;
  at: number;
}

/**
 * The tools of the crash workflow, on a real HTTP server in the test process: each answers
 * after a few milliseconds (so kills land between "called" and "result stored") and records
 * every request with its idempotency key and arrival time.
 */
export class ToolServer {
  readonly hits: ToolHit[] = [];
  private readonly server: HttpServer = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk) => (text += chunk));
    request.on('end', () => {
      const body = JSON.parse(text) as { run_id: string; tool: string; arguments: { amount?: number } };
      this.hits.push({ tool: body.tool, runId: body.run_id, idempotencyKey: String(request.headers['idempotency-key']), at: Date.now() });
      setTimeout(
        () => {
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ ok: true, tool: body.tool, amount: body.arguments.amount ?? 0 }));
        },
        2 + Math.floor(Math.random() * 15),
      );
    });
  });

  static async start(): Promise<ToolServer> {
    const tools = new ToolServer();
    await new Promise<void>((resolve) => tools.server.listen(0, '127.0.0.1', resolve));
    return tools;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** Writes the crash workflow (YAML): three HTTP tool steps, the middle one approved above 500. */
export function writeCrashWorkflow(folder: string, toolUrl: string): string {
  const path = join(folder, 'crash-workflow.yaml');
  const tool = (name: string, approval = '') => `  ${name}:
    http: { url: ${toolUrl}/${name} }
    args: { type: object, properties: { amount: { type: number } }, required: [amount] }
    result: { type: object, properties: { ok: { const: true } }, required: [ok] }
    retries: 5${approval}
`;
  writeFileSync(
    path,
    `name: crashy
version: 1
initial: reserve
input: { type: object, properties: { amount: { type: number } }, required: [amount] }
tools:
${tool('reserve')}${tool('charge', '\n    approval: { when: { path: /args/amount, gt: 500 } }')}${tool('notify')}states:
  reserve: { call: { tool: reserve, args: { amount: { $ref: /context/input/amount } }, next: charge } }
  charge: { call: { tool: charge, args: { amount: { $ref: /context/input/amount } }, next: notify } }
  notify: { call: { tool: notify, args: { amount: { $ref: /context/input/amount } }, next: done } }
  done: { final: succeeded }
`,
  );
  return path;
}

export interface JournalRow {
  seq: number;
  kind: string;
  input: { tool?: string; idempotencyKey?: string };
  at: number;
}

export interface Client {
  url: string;
  key: string;
}

export async function api<T>(client: Client, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(`${client.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${client.key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as T };
}

/** Starts `count` runs; about one in ten is above the approval threshold. */
export async function startRuns(client: Client, count: number): Promise<string[]> {
  const ids: string[] = new Array(count);
  await eachLimited(
    Array.from({ length: count }, (_, index) => index),
    16,
    async (index) => {
      const amount = index % 10 === 3 ? 900 : 10 + index;
      const response = await fetch(`${client.url}/v1/workflows/crashy/runs`, {
        method: 'POST',
        headers: { authorization: `Bearer ${client.key}`, 'content-type': 'application/json', 'idempotency-key': `crash-${index}` },
        body: JSON.stringify({ input: { amount } }),
      });
      assert.ok(response.status === 202 || response.status === 200, `start ${index}: ${response.status} ${await response.clone().text()}`);
      ids[index] = ((await response.json()) as { id: string }).id;
    },
  );
  return ids;
}

/** Waits until every run is succeeded or waiting for approval (or fails the test after `timeoutMs`). */
export async function settle(client: Client, ids: readonly string[], timeoutMs: number): Promise<Map<string, string>> {
  const deadline = Date.now() + timeoutMs;
  const statuses = new Map<string, string>();
  for (;;) {
    await eachLimited(ids, 16, async (id) => {
      if (statuses.get(id) === 'succeeded') return;
      statuses.set(id, (await api<{ status: string }>(client, 'GET', `/v1/workflow-runs/${id}`)).body.status);
    });
    const open = ids.filter((id) => !['succeeded', 'waiting_approval', 'failed', 'cancelled'].includes(statuses.get(id)!));
    if (open.length === 0) return statuses;
    if (Date.now() > deadline) assert.fail(`${open.length} runs still open after ${timeoutMs} ms, e.g. ${open.slice(0, 3).join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * The Done-when checks over every run's journal and every request the tools received:
 * a tool step whose result was stored was never sent again, and every re-sent call carried
 * the key it was first sent with (one key per run and tool).
 */
export async function checkToolCalls(
  client: Client,
  ids: readonly string[],
  hits: readonly ToolHit[],
  /** When each tool result was stored (epoch ms), by idempotency key, read from the store itself. */
  storedAt: ReadonlyMap<string, number>,
): Promise<{ resent: number; calls: number }> {
  const byKey = new Map<string, ToolHit[]>();
  for (const hit of hits) byKey.set(hit.idempotencyKey, [...(byKey.get(hit.idempotencyKey) ?? []), hit]);
  const journals = new Map<string, JournalRow[]>();
  await eachLimited(ids, 16, async (id) => {
    journals.set(id, (await api<{ data: JournalRow[] }>(client, 'GET', `/v1/workflow-runs/${id}/journal?limit=1000`)).body.data);
  });
  const journaledKeys = new Set<string>();
  let resent = 0;
  for (const id of ids) {
    const journal = journals.get(id)!;
    for (const entry of journal) {
      if (entry.kind === 'tool-call') journaledKeys.add(entry.input.idempotencyKey!);
      if (entry.kind !== 'tool-result') continue;
      const key = entry.input.idempotencyKey!;
      const sent = byKey.get(key) ?? [];
      assert.ok(sent.length >= 1, `run ${id} stored a result for ${key} that was never sent`);
      const stored = storedAt.get(key);
      assert.ok(stored !== undefined, `the store has no result time for ${key}`);
      const late = sent.filter((hit) => hit.at > stored);
      assert.deepEqual(late, [], `run ${id}: ${entry.input.tool} was sent again after its result was stored at ${stored}; sent at ${sent.map((hit) => hit.at).join(', ')}`);
      if (sent.length > 1) resent++;
    }
    const toolResults = journal.filter((entry) => entry.kind === 'tool-result').map((entry) => entry.input.tool);
    assert.equal(new Set(toolResults).size, toolResults.length, `run ${id}: a tool step has two results`);
    for (const tool of ['reserve', 'charge', 'notify']) {
      const keys = new Set(hits.filter((hit) => hit.runId === id && hit.tool === tool).map((hit) => hit.idempotencyKey));
      assert.ok(keys.size <= 1, `run ${id}: ${tool} was called under ${keys.size} different keys`);
    }
  }
  for (const hit of hits) if (ids.includes(hit.runId)) assert.ok(journaledKeys.has(hit.idempotencyKey), `a ${hit.tool} call carried a key no tool-call entry holds`);
  return { resent, calls: hits.length };
}
