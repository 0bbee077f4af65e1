import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer, type ServerResponse } from 'node:http';
import { writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { ApiClient } from '../../src/cli/api-client.js';
import { OpenAIUpstream, sendJson } from '../support/openai-upstream.js';
import { textCompletion } from '../support/scripted-answers.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** The real CLI in a child process (no TTY: progress comes as plain lines). */
function breakwater(...args: string[]): Promise<Ran> {
  const env = { ...process.env, BREAKWATER_URL: '', BREAKWATER_API_KEY: '', BREAKWATER_CONFIG: '' };
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { env }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

const noteSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['title', 'amount'],
  properties: { title: { type: 'string', minLength: 1 }, amount: { type: 'number' } },
};

describe('breakwater run and jobs, against a server on a real port', () => {
  let upstream: OpenAIUpstream;
  let test: TestApp;
  let url: string;
  let key: string;
  let tenant: string;
  const file = (name: string, text: string) => {
    const path = join(test.folder, name);
    writeFileSync(path, text);
    return path;
  };
  const jobCount = async () => (await test.app.store.jobs.listJobs(tenant, { limit: 100 })).data.length;

  before(async () => {
    // Answers what the document says: `title=…` and `amount=…`; a non-numeric amount fails validation.
    upstream = await OpenAIUpstream.start((request, response) => {
      const messages = request.body.messages as Array<{ content: string }>;
      const prompt = messages.map((message) => message.content).join('\n');
      const amount = /amount=(\S+)/.exec(prompt)?.[1] ?? '';
      const record = { title: /title=(.+)/.exec(prompt)?.[1]?.trim() ?? '', amount: Number.isFinite(Number(amount)) ? Number(amount) : amount };
      sendJson(response, 200, textCompletion(request, JSON.stringify(record)));
      return true;
    });
    test = await startTestApp({
      providers: { upstream: { type: 'openai-compatible', baseUrl: upstream.url } },
      models: { 'gpt-test': { deployments: [{ provider: 'upstream', model: 'gpt-4o-mini', retries: 0 }] } },
      jobs: { retryBaseMs: 10, retryMaxMs: 50, pollMs: 50, recoverMs: 100 },
      pipelines: {
        note: { model: 'gpt-test', prompt: { version: 1, template: 'Extract the note:\n{{document}}' }, schema: noteSchema, extraction: { maxAttempts: 1 } },
      },
    });
    const created = await test.app.keys.create({ name: 'cli' });
    key = created.secret;
    tenant = created.key.tenant;
    url = await test.server.listen({ port: 0, host: '127.0.0.1' });
  });
  after(async () => {
    await test.close();
    await upstream.close();
  });

  it('runs a pipeline on two files, shows plain progress lines, prints both records and exits 0', async () => {
    const alpha = file('alpha.txt', 'title=Alpha Widget\namount=12.5\n');
    const beta = file('beta.txt', 'title=Beta Gadget\namount=99\n');
    const ran = await breakwater('run', 'note', alpha, beta, '--url', url, '--key', key);
    assert.equal(ran.code, 0, ran.stderr);
    assert.match(ran.stdout, /"title": "Alpha Widget"/);
    assert.match(ran.stdout, /"amount": 12.5/);
    assert.match(ran.stdout, /"title": "Beta Gadget"/);
    assert.match(ran.stdout, /2 succeeded, 0 failed\n$/);
    assert.match(ran.stderr, /alpha\.txt +queued as job_/);
    assert.match(ran.stderr, /beta\.txt +extracting fields/);
    assert.match(ran.stderr, /alpha\.txt +succeeded\n/);
    assert.ok(!ran.stderr.includes('\u001b['), 'no terminal escapes without a TTY');
    assert.equal(await jobCount(), 2);
  });

  it('re-running the same command finds the earlier jobs instead of submitting again', async () => {
    const before = await jobCount();
    const ran = await breakwater('run', 'note', join(test.folder, 'alpha.txt'), join(test.folder, 'beta.txt'), '--url', url, '--key', key, '--json');
    assert.equal(ran.code, 0, ran.stderr);
    const lines = ran.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    assert.deepEqual(
      lines.map((line) => [line.status, line.created, line.record.title]),
      [
        ['succeeded', false, 'Alpha Widget'],
        ['succeeded', false, 'Beta Gadget'],
      ],
    );
    assert.match(ran.stderr, /already submitted as job_\w+ \(succeeded\)/);
    assert.equal(await jobCount(), before, 'no new jobs');
  });

  it('exits 1 and shows the error code and the validation errors when an extraction fails', async () => {
    const good = file('gamma.txt', 'title=Gamma\namount=3\n');
    const bad = file('bad.txt', 'title=Broken\namount=lots\n');
    const ran = await breakwater('run', 'note', good, bad, '--url', url, '--key', key);
    assert.equal(ran.code, 1);
    assert.match(ran.stdout, /bad\.txt: failed \(job_\w+\)\nEXTRACTION_FAILED: /);
    assert.match(ran.stdout, / {2}\/amount: must be number/);
    assert.match(ran.stdout, /"title": "Gamma"/);
    assert.match(ran.stdout, /1 succeeded, 1 failed\n$/);
    assert.match(ran.stderr, /bad\.txt +failed: EXTRACTION_FAILED/);
  });

  it('reports a missing file before submitting anything', async () => {
    const before = await jobCount();
    const ran = await breakwater('run', 'note', file('delta.txt', 'title=Delta\namount=1\n'), join(test.folder, 'missing.txt'), '--url', url, '--key', key);
    assert.notEqual(ran.code, 0);
    assert.match(ran.stderr, /FILE_NOT_FOUND: Cannot read .*missing\.txt; nothing was submitted/);
    assert.equal(await jobCount(), before);
  });

  it('names the server it cannot reach and how to start it, and passes server errors through', async () => {
    const down = await breakwater('run', 'note', join(test.folder, 'alpha.txt'), '--url', 'http://127.0.0.1:9', '--key', key);
    assert.equal(down.code, 1);
    assert.match(down.stderr, /SERVER_UNREACHABLE: Breakwater is not reachable at http:\/\/127\.0\.0\.1:9: start it with `breakwater serve` \(or set BREAKWATER_URL\)/);
    const unknown = await breakwater('run', 'nope', join(test.folder, 'alpha.txt'), '--url', url, '--key', key);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /PIPELINE_NOT_FOUND/);
    const unauthenticated = await breakwater('jobs', 'ls', '--url', url);
    assert.equal(unauthenticated.code, 1);
    assert.match(unauthenticated.stderr, /MISSING_API_KEY/);
  });

  it('jobs ls lists the jobs; jobs show and jobs tail of a finished job print it and exit 0', async () => {
    const listed = await breakwater('jobs', 'ls', '--pipeline', 'note', '--status', 'succeeded', '--url', url, '--key', key);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /^ID +STATUS +PIPELINE +STEP +SOURCE +CREATED\n/);
    for (const name of ['alpha.txt', 'beta.txt', 'gamma.txt']) assert.match(listed.stdout, new RegExp(`job_\\w+ +succeeded +note +.* ${name.replace('.', '\\.')} `));
    assert.ok(!listed.stdout.includes('bad.txt'), 'filtered by status');
    const id = /^(job_\w+) .* alpha\.txt /m.exec(listed.stdout)![1]!;
    const shown = await breakwater('jobs', 'show', id, '--url', url, '--key', key);
    assert.equal(JSON.parse(shown.stdout).result.record.title, 'Alpha Widget');
    const tail = await breakwater('jobs', 'tail', id, '--url', url, '--key', key);
    assert.equal(tail.code, 0, tail.stderr);
    assert.deepEqual(
      [...tail.stdout.matchAll(/#\d+ {2}(job-\w+)/g)].map((match) => match[1]),
      ['job-queued', 'job-start', 'job-progress', 'job-progress', 'job-progress', 'job-progress', 'job-end'],
    );
    assert.match(tail.stdout, /job-progress +saving record/);
    // Event times are Unix seconds on the wire; read as milliseconds they printed as January 1970.
    const printedAt = tail.stdout
      .trim()
      .split('\n')
      .map((line) => Date.parse(line.split(/\s+/)[0]!));
    assert.ok(
      printedAt.every((at) => Math.abs(at - Date.now()) < 3_600_000),
      `jobs tail prints when each event happened:\n${tail.stdout}`,
    );
  });
});

describe('ApiClient.followEvents', () => {
  it('reconnects with Last-Event-ID when the stream drops before the final event', async () => {
    const lastEventIds: Array<string | undefined> = [];
    const event = (response: ServerResponse, seq: number, type: string) =>
      response.write(`id: ${seq}\nevent: ${type}\ndata: ${JSON.stringify({ job_id: 'job_1', seq, type, at: 0 })}\n\n`);
    const server = createServer((request, response) => {
      lastEventIds.push(request.headers['last-event-id'] as string | undefined);
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('retry: 10\n\n');
      if (lastEventIds.length === 1) {
        event(response, 1, 'job-queued');
        event(response, 2, 'job-start');
        setTimeout(() => response.socket?.destroy(), 50); // a server restart mid-job
      } else {
        event(response, 3, 'job-end');
        response.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const client = new ApiClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, 'bw_test');
    try {
      const seen: number[] = [];
      for await (const received of client.followEvents('job_1', { reconnectDelayMs: 10 })) seen.push(received.seq);
      assert.deepEqual(seen, [1, 2, 3]);
      assert.deepEqual(lastEventIds, [undefined, '2']);
    } finally {
      await client.close();
      server.close();
    }
  });
});

describe('breakwater demo', () => {
  it('runs both example pipelines on samples/ after the gateway tour, reads the records back and exits 0', async () => {
    const ran = await breakwater('demo');
    assert.equal(ran.code, 0, ran.stdout + ran.stderr);
    assert.match(ran.stdout, /8\. breakwater run invoice samples\/invoices\/\* → 5 jobs/);
    assert.match(ran.stdout, /9\. breakwater run delivery-manifest samples\/manifests\/\* → 3 jobs/);
    assert.match(ran.stdout, /^kyoto-supplies-2026-117\.pdf +reading document$/m, 'plain progress lines without a TTY');
    // Whether the mock model's answers fit the schemas is the mock's business; the demo shows either outcome.
    assert.match(ran.stdout, /^ {3}\d succeeded, \d failed$/m);
    assert.match(ran.stdout, /10\. GET \/v1\/pipelines\/invoice\/records → \d+ validated invoice record/);
  });
});
