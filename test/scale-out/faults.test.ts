import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { EventEmitter, once } from 'node:events';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { OpenAIUpstream, answer, sendJson } from '../support/openai-upstream.js';
import { eachLimited, exited, startServer, type Server } from '../support/processes.js';
import { scaleOut, type ScaleOut } from '../support/scale-out.js';
import { answers, startService, stopService, type Dependency } from '../support/service-control.js';

/*
 * Issue 12, "fault suite": on the scale-out shape (one API node and two workers as real
 * processes on PostgreSQL, Redis and RabbitMQ), each server is stopped and started again in
 * turn while chat calls with a budgeted key and pipeline-job submissions keep arriving. A user
 * relies on: no accepted job lost, no record, sink row or webhook doubled, no budget overspent,
 * a clear 503 (never a 500, never a hang) while a dependency is down, and service again by
 * itself once it is back — without restarting Breakwater.
 */

const run = promisify(execFile);
const dependencies: Dependency[] = ['redis', 'rabbitmq', 'postgres'];
/** 1,000 jobs across the suite. */
const jobsPerPhase: Record<Dependency, number> = { redis: 334, rabbitmq: 333, postgres: 333 };
/** How long the load runs against a stopped server. */
const outageMs = 5_000;
/** A request that has not answered within this is a hang. */
const requestTimeoutMs = 15_000;
/** After the server is back, the API must have served again within this. */
const recoveryMs = 20_000;
const acceptable503 = new Set(['DEPENDENCY_UNAVAILABLE', 'SERVER_OVERLOADED', 'NOT_READY']);

// ── the money ────────────────────────────────────────────────────────────────────────────
/** USD per 1M tokens on each chat deployment; the upstream reports the same usage every call. */
const price = { input: 2, output: 10 };
const usage = { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 };
const costUsd = (usage.prompt_tokens * price.input + usage.completion_tokens * price.output) / 1_000_000;
/**
 * Each phase's key may spend what 40 calls cost. The outage starts once about half of it is
 * spent, and calls go on long after it is gone: a budget counter lost with Redis and not
 * restored would let another 40 through.
 */
const budgetCalls = 40;
const budgetUsd = Number((budgetCalls * costUsd).toFixed(9));

type Window = 'before' | 'outage' | 'after';

interface Outcome {
  kind: 'chat' | 'submit';
  window: Window;
  at: number;
  /** 0 when no HTTP answer came (timeout or connection error). */
  status: number;
  code: string | undefined;
  /** Whether an error body was the OpenAI envelope with a catalogue-shaped code. */
  envelope: boolean;
  detail: string;
}

function acceptable(outcome: Outcome): boolean {
  if (outcome.status === 200 || outcome.status === 202) return true;
  if (outcome.kind === 'chat' && outcome.status === 429 && outcome.code === 'BUDGET_EXCEEDED' && outcome.envelope) return true;
  return outcome.status === 503 && outcome.envelope && acceptable503.has(outcome.code ?? '');
}

/** One HTTP call with a deadline, described as an outcome instead of thrown. */
async function call(kind: Outcome['kind'], window: () => Window, url: string, init: RequestInit): Promise<{ outcome: Outcome; body: unknown }> {
  const at = Date.now();
  const windowAtStart = window();
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(requestTimeoutMs) });
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    // A job's own `error` field is null; only an error answer carries the envelope.
    const error = response.ok ? undefined : ((body as { error?: Record<string, unknown> | null } | undefined)?.error ?? undefined);
    const envelope =
      error !== undefined &&
      typeof error.message === 'string' &&
      typeof error.type === 'string' &&
      typeof error.code === 'string' &&
      /^[A-Z_]+$/.test(error.code) &&
      'param' in error;
    const code = typeof error?.code === 'string' ? error.code : undefined;
    return { outcome: { kind, window: windowAtStart, at, status: response.status, code, envelope, detail: response.ok ? '' : text.slice(0, 300) }, body };
  } catch (thrown) {
    const error = thrown as Error;
    const hang = error.name === 'TimeoutError';
    return {
      outcome: {
        kind,
        window: windowAtStart,
        at,
        status: 0,
        code: hang ? 'HANG' : 'NO_ANSWER',
        envelope: false,
        detail: hang ? `no answer within ${requestTimeoutMs} ms` : String(error.cause ?? error.message),
      },
      body: undefined,
    };
  }
}

/** A real webhook receiver on port 0: counts what arrives per job and event type, and per delivery id. */
class WebhookReceiver {
  readonly perJobEvent = new Map<string, number>();
  readonly perDelivery = new Map<string, number>();
  readonly succeeded = new Set<string>();
  readonly events = new EventEmitter();
  private readonly server: HttpServer = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk));
    request.on('end', () => {
      const body = JSON.parse(text) as { id: string; type: string; data: { id: string } };
      const key = `${body.data.id} ${body.type}`;
      this.perJobEvent.set(key, (this.perJobEvent.get(key) ?? 0) + 1);
      const deliveryId = String(request.headers['breakwater-webhook-id'] ?? body.id);
      this.perDelivery.set(deliveryId, (this.perDelivery.get(deliveryId) ?? 0) + 1);
      if (body.type === 'job.succeeded') {
        this.succeeded.add(body.data.id);
        this.events.emit('succeeded');
      }
      response.writeHead(204).end();
    });
  });

  async start(): Promise<void> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`;
  }

  /** Resolves when a job.succeeded arrived for every id, or rejects after `timeoutMs`. */
  async allSucceeded(ids: ReadonlySet<string>, timeoutMs: number): Promise<void> {
    const missing = () => [...ids].filter((id) => !this.succeeded.has(id));
    if (missing().length === 0) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.events.off('succeeded', check);
        reject(new Error(`${missing().length} of ${ids.size} accepted jobs sent no job.succeeded webhook within ${timeoutMs} ms`));
      }, timeoutMs);
      const check = () => {
        if (missing().length > 0) return;
        clearTimeout(timer);
        this.events.off('succeeded', check);
        resolve();
      };
      this.events.on('succeeded', check);
    });
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * The load of one phase: chat lanes calling the phase's budgeted alias, and submission lanes
 * sending the phase's jobs — a third before the outage, a third during it, the rest after —
 * each retried with its Idempotency-Key until accepted.
 */
class PhaseLoad {
  window: Window = 'before';
  readonly outcomes: Outcome[] = [];
  readonly accepted = new Set<string>();
  restartedAt = 0;
  chatServed = 0;
  chatAfterRestart = 0;
  submitted = 0;
  /** Set when the phase's test ends early: every lane stops at its next turn. */
  stopped = false;
  private readonly changes = new EventEmitter();

  constructor(
    private readonly dependency: Dependency,
    private readonly apiUrl: string,
    private readonly keys: { chat: string; jobs: string },
    private readonly jobs: number,
  ) {
    this.changes.setMaxListeners(0);
  }

  /** Runs until every job of the phase was accepted and 30 chat calls were made after the restart. */
  async run(): Promise<void> {
    const chatLanes = Array.from({ length: 3 }, (_, lane) => this.chatLane(lane));
    await eachLimited(
      Array.from({ length: this.jobs }, (_, index) => index),
      4,
      (index) => this.submit(index),
    );
    await Promise.all(chatLanes);
  }

  /** Resolves once `ready()` holds, checked after every answer; fails with what was answered after `timeoutMs`. */
  async until(ready: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      while (!ready()) await once(this.changes, 'answer', { signal });
    } catch {
      const odd = this.outcomes.find((outcome) => !acceptable(outcome));
      throw new Error(
        `${this.dependency}: ${what} did not happen within ${timeoutMs} ms; answers so far: ${JSON.stringify(this.tally())}${odd ? `; the first odd one: ${odd.detail}` : ''}`,
      );
    }
  }

  /** How many answers of each kind, window, status and code. */
  tally(): Record<string, number> {
    const counts = new Map<string, number>();
    for (const outcome of this.outcomes) {
      const key = `${outcome.window} ${outcome.kind} ${outcome.status}${outcome.code ? ` ${outcome.code}` : ''}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return Object.fromEntries([...counts].sort());
  }

  stop(): void {
    this.stopped = true;
    this.changes.emit('answer');
  }

  enter(window: Window): void {
    this.window = window;
    if (window === 'after') this.restartedAt = Date.now();
    this.changes.emit('answer');
  }

  private record(outcome: Outcome): void {
    this.outcomes.push(outcome);
    this.changes.emit('answer');
  }

  private async chatLane(lane: number): Promise<void> {
    for (let index = 0; ; index++) {
      if (this.stopped || (this.window === 'after' && this.accepted.size === this.jobs && this.chatAfterRestart >= 30)) return;
      const { outcome } = await call('chat', () => this.window, `${this.apiUrl}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.keys.chat}`, 'content-type': 'application/json' },
        // A distinct question each time: every call reaches the budget (the exact cache stays in the path).
        body: JSON.stringify({ model: `chat-${this.dependency}`, max_tokens: 8, messages: [{ role: 'user', content: `Question ${lane}-${index} about ${this.dependency}` }] }),
      });
      if (outcome.status === 200) this.chatServed++;
      if (this.window === 'after') this.chatAfterRestart++;
      this.record(outcome);
      // About 20 calls a second over the three lanes: enough to cross the budget, not to swamp two cores.
      await sleep(outcome.status === 0 ? 0 : 150);
    }
  }

  private allowed(): number {
    const third = Math.ceil(this.jobs / 3);
    return this.window === 'before' ? third : this.window === 'outage' ? 2 * third : this.jobs;
  }

  private async submit(index: number): Promise<void> {
    while (index >= this.allowed() && !this.stopped) await once(this.changes, 'answer');
    const body = JSON.stringify({ kind: 'pipeline', pipeline: 'manifest', text: `Shipment SHP-${this.dependency}-${index} from Oslo to Bergen` });
    for (const giveUpAt = Date.now() + 120_000; Date.now() < giveUpAt && !this.stopped; ) {
      const { outcome, body: answered } = await call('submit', () => this.window, `${this.apiUrl}/v1/jobs`, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.keys.jobs}`, 'content-type': 'application/json', 'idempotency-key': `fault-${this.dependency}-${index}` },
        body,
      });
      this.record(outcome);
      if (outcome.status === 202 || outcome.status === 200) {
        this.accepted.add((answered as { id: string }).id);
        this.submitted++;
        this.changes.emit('answer');
        return;
      }
      await sleep(250);
    }
  }
}

/** When jobs did not finish: where they stand, what the outbox holds, and what the nodes logged. */
/**
 * Prints what the broker, the store and every node say, and returns a short summary for the
 * assertion's message (a CI report may keep only that): each node's state, the first line it
 * wrote outside the log (a crash's error) and its most frequent complaint.
 */
async function diagnoseUnfinished(t: { diagnostic(message: string): void }, sql: ScaleOut['sql'], servers: Server[], queuePrefix: string): Promise<string> {
  const summary: string[] = [];
  const { rows: outbox } = await sql.query(
    `SELECT count(*) FILTER (WHERE sent_at IS NULL)::int AS unsent, count(*) FILTER (WHERE sent_at IS NULL AND claimed_until IS NOT NULL)::int AS unsent_claimed FROM dispatch_outbox`,
  );
  t.diagnostic(`outbox: ${JSON.stringify(outbox[0])}`);
  // What the broker sees: each node's connection (named after its pid) and the consumers on this run's queues.
  for (const args of [
    ['list_connections', '-q', '--no-table-headers', 'client_properties', 'state', 'channels'],
    ['list_channels', '-q', '--no-table-headers', 'connection', 'consumer_count', 'messages_unacknowledged', 'prefetch_count'],
    ['list_queues', '-q', '--no-table-headers', 'name', 'messages_ready', 'messages_unacknowledged', 'consumers'],
  ]) {
    const { stdout } = await run('rabbitmqctl', args).catch((error: Error) => ({ stdout: error.message }));
    t.diagnostic(
      `rabbitmqctl ${args[0]}:\n${stdout
        .split('\n')
        .filter((line) => !args[0]!.includes('queues') || line.startsWith(queuePrefix))
        .join('\n')}`,
    );
  }
  const { rows: stuck } = await sql.query(
    `SELECT j.id, j.status, j.attempts, j.token, j.step, (SELECT string_agg(e.type || '@' || e.at, ' ' ORDER BY e.seq) FROM job_events e WHERE e.job_id = j.id) AS events
     FROM jobs j WHERE j.status <> 'succeeded' ORDER BY j.created_at LIMIT 6`,
  );
  for (const row of stuck) t.diagnostic(`unfinished: ${JSON.stringify(row)}`);
  for (const [index, server] of servers.entries()) {
    // What each node complained about: every distinct message, how often, first and last time.
    const seen = new Map<string, { count: number; first: number; last: number }>();
    const state = server.child.exitCode === null && server.child.signalCode === null ? 'running' : `exited (${server.child.exitCode ?? server.child.signalCode})`;
    const unstructured = server
      .output()
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.startsWith('{'));
    t.diagnostic(`node ${index} (pid ${server.child.pid}) is ${state}${unstructured.length > 0 ? `; it wrote:\n${unstructured.slice(0, 30).join('\n')}` : ''}`);
    const crash = unstructured.find((line) => /error|Error/.test(line)) ?? unstructured[0];
    for (const line of server.output().split('\n')) {
      if (!/"level":(40|50|60)/.test(line)) continue;
      const entry = JSON.parse(line) as { time: number; msg?: string; err?: { message?: string } };
      const what = `${entry.msg ?? ''}: ${(entry.err?.message ?? '').slice(0, 120)}`;
      const known = seen.get(what) ?? { count: 0, first: entry.time, last: entry.time };
      seen.set(what, { count: known.count + 1, first: known.first, last: entry.time });
    }
    for (const [what, { count, first, last }] of seen)
      t.diagnostic(
        `node ${index} (${index === 0 ? 'api' : 'worker'}, pid ${server.child.pid}): ${count}x ${what} [${new Date(first).toISOString()} .. ${new Date(last).toISOString()}]`,
      );
    const [frequent] = [...seen].sort((a, b) => b[1].count - a[1].count);
    summary.push(
      `node ${index} ${state}${crash ? `, wrote "${crash.slice(0, 160)}"` : ''}${frequent ? `, most often (${frequent[1].count}x) "${frequent[0].slice(0, 160)}"` : ''}`,
    );
  }
  return summary.join('; ');
}

describe('fault suite: Redis, RabbitMQ and PostgreSQL each stopped and restarted under load', () => {
  let cluster: ScaleOut | undefined;
  let upstream: OpenAIUpstream | undefined;
  const receiver = new WebhookReceiver();
  const servers: Server[] = [];
  let api: Server;
  const keys: Record<Dependency, string> = { redis: '', rabbitmq: '', postgres: '' };
  let jobsKey = '';
  const accepted = new Set<string>();
  /** Jobs the phases that ran set out to submit (1,000 when all ran). */
  let submissions = 0;

  before(async () => {
    upstream = await OpenAIUpstream.start((request, response) => {
      if (request.body.model !== 'extract-model') return false;
      // The extraction: the shipment reference from the document, as the schema asks.
      const messages = request.body.messages as Array<{ content: string }>;
      const reference = /SHP-[a-z]+-\d+/.exec(messages.map((message) => message.content).join('\n'))?.[0] ?? 'none';
      answer(request, response, JSON.stringify({ reference }));
      return true;
    });
    const chatDefault = upstream.script!;
    upstream.script = (request, response, index) => {
      if (String(request.body.model).startsWith('budget-')) {
        sendJson(response, 200, {
          id: 'chatcmpl-fault',
          object: 'chat.completion',
          created: 1_700_000_000,
          model: String(request.body.model),
          choices: [{ index: 0, message: { role: 'assistant', content: 'An answer.' }, finish_reason: 'stop' }],
          usage,
        });
        return true;
      }
      return chatDefault(request, response, index);
    };
    await receiver.start();
    const chatModels = Object.fromEntries(
      dependencies.map((dependency) => [`chat-${dependency}`, { deployments: [{ provider: 'upstream', model: `budget-${dependency}`, retries: 0, price }] }]),
    );
    cluster = await scaleOut({
      providers: { upstream: { type: 'openai-compatible', baseUrl: upstream.url, apiKey: { env: 'BW_TEST_UPSTREAM_KEY' } } },
      models: { ...chatModels, extract: { deployments: [{ provider: 'upstream', model: 'extract-model', price }] } },
      pipelines: {
        manifest: {
          model: 'extract',
          prompt: { version: 1, template: 'Give the shipment reference of this document:\n{{document}}' },
          schema: { type: 'object', properties: { reference: { type: 'string' } }, required: ['reference'], additionalProperties: false },
          sinks: [{ type: 'store' }, { type: 'postgres', url: { env: 'BW_TEST_DATABASE_URL' }, table: 'manifest_rows' }],
          webhook: { url: receiver.url },
        },
      },
      webhooks: { secrets: [{ env: 'BW_TEST_WEBHOOK_SECRET' }], allow: ['127.0.0.1'], pollMs: 200, retryBaseMs: 200 },
      jobs: { concurrency: 16, leaseMs: 4_000, recoverMs: 500, pollMs: 200, retryBaseMs: 200, shutdownGraceMs: 0 },
    });
    // The assertion pool must outlive PostgreSQL's restart: a dropped idle connection is an
    // 'error' event, which unheard would end this process.
    cluster.sql.on('error', () => {});
    Object.assign(cluster.env, { BW_TEST_UPSTREAM_KEY: 'sk-upstream', BW_TEST_WEBHOOK_SECRET: 'whsec-fault-suite-0123456789abcdef' });
    jobsKey = await cluster.createKey();
    for (const dependency of dependencies) keys[dependency] = await cluster.createKey(['--budget', String(budgetUsd), '--period', 'total']);
    const start = (role: 'api' | 'worker') => startServer(cluster!.configPath, { role, env: cluster!.env });
    servers.push(...(await Promise.all([start('api'), start('worker'), start('worker')])));
    api = servers[0]!;
  });

  after(async () => {
    // Never leave a server down for the rest of the machine, whatever failed.
    for (const dependency of dependencies) await startService(dependency).catch((error: unknown) => console.error(error));
    for (const server of servers) if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
    await Promise.all(servers.map((server) => exited(server.child)));
    await upstream?.close();
    await receiver.close();
    await cluster?.cleanup();
  });

  for (const dependency of dependencies) {
    it(`${dependency} stopped mid-load: 503s in the envelope, no hang, no overspend, service again by itself`, { timeout: 180_000 }, async (t) => {
      const load = new PhaseLoad(dependency, api.url, { chat: keys[dependency], jobs: jobsKey }, jobsPerPhase[dependency]);
      const running = load.run();
      running.catch(() => {});
      t.after(() => load.stop());
      // The outage starts with half the budget spent and a third of the jobs accepted.
      await load.until(
        () => load.chatServed >= budgetCalls / 2 && load.submitted >= Math.ceil(jobsPerPhase[dependency] / 3),
        `half the budget spent (${budgetCalls / 2} calls served) and a third of the jobs accepted`,
      );
      load.enter('outage');
      const stoppedAt = Date.now();
      try {
        await stopService(dependency);
        await sleep(outageMs);
      } finally {
        await startService(dependency);
        load.enter('after');
      }
      t.diagnostic(`${dependency}: down ${Date.now() - stoppedAt} ms (stop, ${outageMs} ms of load, start until it answers)`);
      await running;
      for (const id of load.accepted) accepted.add(id);
      submissions += jobsPerPhase[dependency];

      t.diagnostic(`${dependency}: ${JSON.stringify(load.tally())}`);

      const wrong = load.outcomes.filter((outcome) => !acceptable(outcome));
      assert.deepEqual(
        wrong.slice(0, 8).map(({ kind, window, status, code, detail }) => ({ kind, window, status, code, detail })),
        [],
        `${wrong.length} answers were neither a success nor an enveloped 503 with ${[...acceptable503].join('/')} (or a chat call's 429 BUDGET_EXCEEDED)`,
      );
      assert.ok(api.child.exitCode === null && api.child.signalCode === null, 'the API node is the same process as before the outage');

      // A clear 503 while down: the store and the counters are needed to serve; the broker is not
      // (a submission goes to the store's outbox and reaches RabbitMQ once it is back).
      const during = load.outcomes.filter((outcome) => outcome.window === 'outage' && outcome.at >= stoppedAt);
      if (dependency === 'rabbitmq') {
        assert.ok(
          during.some((outcome) => outcome.kind === 'submit' && outcome.status === 202),
          'submissions are accepted while RabbitMQ is down',
        );
      } else {
        const kind = dependency === 'postgres' ? 'submit' : 'chat';
        assert.ok(
          during.some((outcome) => outcome.kind === kind && outcome.status === 503 && outcome.code === 'DEPENDENCY_UNAVAILABLE'),
          `a ${kind} while ${dependency} is down is answered 503 DEPENDENCY_UNAVAILABLE`,
        );
      }

      // A refusal says what is missing, never where it lives (these messages reach tenants).
      const refusals = load.outcomes.filter((outcome) => outcome.status === 503);
      assert.deepEqual(
        refusals
          .filter((outcome) => /127\.0\.0\.1|::1|localhost|:(5432|6379|5672)\b/.test(outcome.detail))
          .slice(0, 3)
          .map((outcome) => outcome.detail),
        [],
        'no 503 names a host or port',
      );
      if (dependency === 'postgres') {
        assert.ok(
          refusals.some((outcome) => outcome.code === 'DEPENDENCY_UNAVAILABLE' && /PostgreSQL/.test(outcome.detail)),
          'a 503 during the PostgreSQL outage names PostgreSQL (the store)',
        );
      }

      // Service again by itself: the first success of each kind after the restart.
      for (const kind of ['chat', 'submit'] as const) {
        const served = load.outcomes.find(
          (outcome) => outcome.kind === kind && outcome.at >= load.restartedAt && (outcome.status === 200 || outcome.status === 202 || outcome.code === 'BUDGET_EXCEEDED'),
        );
        assert.ok(served, `a ${kind} was served after ${dependency} came back`);
        t.diagnostic(`${dependency}: first ${kind} served ${served.at - load.restartedAt} ms after it answered again`);
        assert.ok(served.at - load.restartedAt <= recoveryMs, `${kind} served again ${served.at - load.restartedAt} ms after ${dependency} came back (at most ${recoveryMs})`);
      }

      // No overspend: what the upstream was asked (that is what a provider bills) and what the ledger says.
      const upstreamCalls = upstream!.chatRequests().filter((request) => request.body.model === `budget-${dependency}`).length;
      const spentUsd = upstreamCalls * costUsd;
      t.diagnostic(`${dependency}: ${upstreamCalls} chat calls reached the upstream, $${spentUsd.toFixed(6)} of a $${budgetUsd} budget; ${load.chatServed} answered 200`);
      assert.ok(spentUsd <= budgetUsd + 1e-12, `${dependency}: the upstream served ${upstreamCalls} calls ($${spentUsd}) on a budget of $${budgetUsd} (${budgetCalls} calls)`);
      let ledgerUsd = 0;
      for (const until = Date.now() + 15_000; ; await sleep(200)) {
        const { rows } = await cluster!.sql.query<{ nanos: number }>(`SELECT coalesce(sum(cost_nanos), 0)::bigint AS nanos FROM usage WHERE alias = $1`, [`chat-${dependency}`]);
        ledgerUsd = rows[0]!.nanos / 1e9;
        // The nodes flush the ledger every 200 ms.
        if (Math.abs(ledgerUsd - spentUsd) < 1e-9 || Date.now() > until) break;
      }
      assert.ok(ledgerUsd <= budgetUsd + 1e-9, `${dependency}: the ledger records $${ledgerUsd} spent on a budget of $${budgetUsd}`);
      assert.ok(Math.abs(ledgerUsd - spentUsd) < 1e-9, `${dependency}: the ledger records $${ledgerUsd}, the upstream billed $${spentUsd} (no usage row lost)`);
    });
  }

  it('every accepted job ran to success exactly once: one record, one sink row, one webhook each', { timeout: 180_000 }, async (t) => {
    assert.equal(accepted.size, submissions, 'every submission was accepted in the end');
    await receiver.allSucceeded(accepted, 150_000).catch((error: Error) => t.diagnostic(error.message));
    const sql = cluster!.sql;
    // Let any late duplicate delivery land: every delivery row settled.
    for (const until = Date.now() + 15_000; Date.now() < until; await sleep(200)) {
      const { rows } = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE status = 'pending'`);
      if (rows[0]!.n === 0) break;
    }

    const { rows: byStatus } = await sql.query<{ status: string; n: number }>(`SELECT status, count(*)::int AS n FROM jobs GROUP BY status`);
    const statuses = Object.fromEntries(byStatus.map((row) => [row.status, row.n]));
    const nodes = statuses.succeeded !== accepted.size ? await diagnoseUnfinished(t, sql, servers, cluster!.id.replaceAll('_', '-')) : '';
    assert.equal(
      Object.values(statuses).reduce((sum, n) => sum + n, 0),
      accepted.size,
      `no job lost or added: ${JSON.stringify(statuses)}; ${nodes}`,
    );
    assert.equal(statuses.succeeded, accepted.size, `every accepted job succeeded: ${JSON.stringify(statuses)}; ${nodes}`);
    const { rows: failed } = await sql.query(`SELECT id, status, error FROM jobs WHERE status <> 'succeeded' LIMIT 5`);
    assert.deepEqual(failed, []);

    const { rows: doubledRecords } = await sql.query(`SELECT job_id, count(*)::int AS n FROM records GROUP BY job_id HAVING count(*) > 1`);
    assert.deepEqual(doubledRecords, [], 'no record written twice');
    const { rows: records } = await sql.query<{ n: number }>(`SELECT count(DISTINCT job_id)::int AS n FROM records`);
    assert.equal(records[0]!.n, accepted.size, 'a record for every job');
    const { rows: sinkRows } = await sql.query<{ n: number; jobs: number }>(`SELECT count(*)::int AS n, count(DISTINCT "_bw_job_id")::int AS jobs FROM manifest_rows`);
    assert.deepEqual(sinkRows[0], { n: accepted.size, jobs: accepted.size }, 'one sink row per job');

    const doubledWebhooks = [...receiver.perJobEvent].filter(([, count]) => count > 1);
    const resent = [...receiver.perDelivery].filter(([, count]) => count > 1).length;
    t.diagnostic(`webhooks: ${receiver.perJobEvent.size} job events received, ${doubledWebhooks.length} more than once (${resent} of them the same delivery sent again)`);
    const doubledWhy = doubledWebhooks.length > 0 ? await diagnoseUnfinished(t, sql, servers, cluster!.id.replaceAll('_', '-')) : '';
    assert.deepEqual(doubledWebhooks.slice(0, 5), [], `${doubledWebhooks.length} job events were delivered more than once; ${doubledWhy}`);
    assert.equal(receiver.succeeded.size, accepted.size, 'a job.succeeded webhook for every job');
    for (const dependency of dependencies) assert.ok(await answers(dependency), `${dependency} answers again after the suite`);
  });
});
