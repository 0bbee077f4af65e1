import { Command } from 'commander';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp } from '../app.js';
import { loadConfig } from '../config/load-config.js';
import { buildServer } from '../http/server.js';
import { ApiClient } from './api-client.js';
import { workflowTour } from './demo-workflow.js';
import { createProgressView, describeFailure, loadFiles, runPipeline, summaryLine } from './run-command.js';

/** `../../samples/` is the repo's samples folder from both src/cli/ and dist/cli/. */
const samples = new URL('../../samples/', import.meta.url);

/**
 * The README's first command: starts Breakwater on the embedded defaults (a throw-away
 * SQLite file, the mock model), creates a budgeted key and walks through what a client sees,
 * then runs the two example pipelines on samples/ over HTTP, as `breakwater run` does.
 *
 * Exit code: 0 when the demo's own flow worked — every call answered, every job reached an
 * end, and the invoice records read back match the invoice jobs that succeeded. A job that
 * failed (e.g. EXTRACTION_FAILED because the mock model's answer did not fit the schema) is
 * shown with its code and does not fail the demo: showing how failures look is part of it.
 */
export function demoCommand(): Command {
  return new Command('demo')
    .description('Run a self-contained tour of the gateway and the example pipelines on the embedded defaults (no servers, no API keys)')
    .action(async () => {
      const folder = mkdtempSync(join(tmpdir(), 'breakwater-demo-'));
      // A fresh random admin token per run: the demo's server listens only for its own calls.
      const adminToken = randomBytes(24).toString('hex');
      const loaded = loadConfig({ noFile: true, env: { BREAKWATER_DB: join(folder, 'demo.db'), BREAKWATER_LOG_LEVEL: 'warn', BREAKWATER_ADMIN_TOKEN: adminToken } });
      const app = await createApp(loaded);
      const server = await buildServer(app);
      const base = await server.listen({ port: 0, host: '127.0.0.1' });
      const print = (line: string) => process.stdout.write(`${line}\n`);
      try {
        print(`Breakwater is running on ${base} (embedded: SQLite at ${join(folder, 'demo.db')}, mock model)\n`);
        const created = await call<{ id: string; key: string }>(base, adminToken, 'POST', '/v1/admin/keys', {
          name: 'demo-app',
          budget_usd: 0.002,
          budget_period: 'day',
          rpm: 100,
          tags: { team: 'demo' },
        });
        const key = created.body.key;
        print(`1. Created virtual key ${created.body.id} (${String(key).slice(0, 8)}…, budget $0.002/day, 100 rpm); only its hash is stored.`);
        const models = await call<{ data: Array<{ id: string }> }>(base, key, 'GET', '/v1/models');
        print(`2. GET /v1/models → ${models.body.data.map((model) => model.id).join(', ')}`);
        const chat = await call<{ choices: Array<{ message: { content: string } }> }>(base, key, 'POST', '/v1/chat/completions', {
          model: 'mock',
          messages: [{ role: 'user', content: 'Where is my parcel?' }],
        });
        print(`3. Chat → "${chat.body.choices[0]?.message.content}"`);
        print(
          `   headers: deployment=${chat.headers.get('x-breakwater-deployment')} attempts=${chat.headers.get('x-breakwater-attempts')} cache=${chat.headers.get('x-breakwater-cache')} overhead=${chat.headers.get('x-breakwater-overhead-ms')} ms`,
        );
        const again = await call(base, key, 'POST', '/v1/chat/completions', { model: 'mock', messages: [{ role: 'user', content: 'Where is my parcel?' }] });
        print(`4. Same question again → cache=${again.headers.get('x-breakwater-cache')} (exact cache, scoped to this key's tenant)`);
        const streamed = await fetch(`${base}/v1/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'mock', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'Stream me a short answer' }] }),
        });
        const events = (await streamed.text()).split('\n\n').filter((event) => event.startsWith('data: '));
        print(`5. Streaming → ${events.length} SSE events, last: ${events[events.length - 1]}`);
        let refused = 0;
        let served = 0;
        let refusal = '';
        for (let index = 0; index < 40; index++) {
          const response = await call<ErrorBody>(base, key, 'POST', '/v1/chat/completions', {
            model: 'mock',
            messages: [{ role: 'user', content: `Question number ${index}: ${'please explain in detail '.repeat(20)}` }],
          });
          if (response.status === 429) {
            refused++;
            refusal ||= `${response.body.error.code}: ${response.body.error.message}`;
          } else served++;
        }
        print(`6. 40 more distinct questions against the $0.002 budget → ${served} served, ${refused} refused before any upstream call`);
        if (refusal) print(`   ${refusal}`);
        const usage = await call<{ data: Array<Record<string, unknown>> }>(base, key, 'GET', '/v1/usage');
        for (const row of usage.body.data) {
          print(
            `7. Ledger ${row.day} ${row.model}: ${row.requests} requests, ${row.cache_hits} cache hits, ${row.errors} refused, ${row.input_tokens}+${row.output_tokens} tokens, $${Number(row.cost_usd).toFixed(6)}`,
          );
        }
        if (!(await pipelineTour(base, adminToken, print))) process.exitCode = 1;
        if (!(await workflowTour(folder, print))) process.exitCode = 1;
        print('\nNext: `npx breakwater serve` and point the openai SDK at http://127.0.0.1:8080/v1 with a key from `npx breakwater keys create --name my-app`.');
      } finally {
        await server.close();
        await app.close();
        rmSync(folder, { recursive: true, force: true });
      }
    });
}

/** Steps 8–10: pipelines on the sample documents; false when the demo's own flow broke. */
async function pipelineTour(base: string, adminToken: string, print: (line: string) => void): Promise<boolean> {
  // The first key's $0.002 budget is spent by now (that was step 6's point): a fresh key.
  const created = await call<{ key: string }>(base, adminToken, 'POST', '/v1/admin/keys', { name: 'demo-pipelines', tags: { team: 'demo' } });
  const client = new ApiClient(base, created.body.key);
  let invoicesSucceeded = 0;
  try {
    for (const [index, pipeline, folder] of [
      [8, 'invoice', 'invoices'],
      [9, 'delivery-manifest', 'manifests'],
    ] as const) {
      const directory = new URL(`${folder}/`, samples);
      const files = await loadFiles(
        readdirSync(directory)
          .sort()
          .map((name) => fileURLToPath(new URL(name, directory))),
      );
      print(`\n${index}. breakwater run ${pipeline} samples/${folder}/* → ${files.length} jobs (POST /v1/jobs, then each job's SSE events)`);
      const view = createProgressView(files, process.stdout);
      const outcomes = await runPipeline(client, pipeline, files, view).finally(() => view.stop());
      for (const outcome of outcomes) {
        const result = outcome.job?.result as { record_id: string | null; extraction_attempts: number } | null;
        if (outcome.job?.status === 'succeeded') print(`   ✓ ${outcome.file.name} → record ${result?.record_id} (${result?.extraction_attempts} extraction attempt(s))`);
        else print(`   ✗ ${outcome.file.name} → ${describeFailure(outcome).split('\n').slice(0, 4).join('\n     ')}`);
      }
      print(`   ${summaryLine(outcomes)}`);
      if (pipeline === 'invoice') invoicesSucceeded = outcomes.filter((outcome) => outcome.job?.status === 'succeeded').length;
    }
    const records = await client.listRecords('invoice', { limit: 100 });
    print(`\n10. GET /v1/pipelines/invoice/records → ${records.data.length} validated invoice record(s), each with provenance`);
    const first = records.data[0];
    if (first) {
      print(`   ${first.id} from ${first.provenance.source} (job ${first.provenance.job_id}, ${first.provenance.deployment}):`);
      print(JSON.stringify(first.data, null, 2).replace(/^/gm, '   '));
    }
    if (records.data.length !== invoicesSucceeded) {
      print(`   demo problem: ${invoicesSucceeded} invoice job(s) succeeded but ${records.data.length} record(s) were read back`);
      return false;
    }
    return true;
  } finally {
    await client.close();
  }
}

interface ErrorBody {
  error: { code: string; message: string };
}

/** The demo trusts the shapes of its own server's answers (it only prints them). */
async function call<Body>(base: string, token: string, method: string, path: string, body?: unknown): Promise<{ status: number; headers: Headers; body: Body }> {
  const response = await fetch(base + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Body };
}
