import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { signPayload } from './signature.js';

const docsPath = fileURLToPath(new URL('../../../docs/webhooks.md', import.meta.url));
const secret = 'whsec_docs_snippet';
const body = JSON.stringify({ id: 'whd_docs', type: 'job.succeeded', created_at: 1_767_225_600, data: { id: 'job_docs', status: 'succeeded' } });

/** The fenced block whose first line names the file the docs tell readers to save. */
function snippet(markdown: string, language: string, firstLine: string): string {
  const start = markdown.indexOf('```' + language + '\n' + firstLine);
  assert.notEqual(start, -1, `docs/webhooks.md has no \`\`\`${language} block starting with ${firstLine}`);
  const code = markdown.slice(start + language.length + 4);
  return code.slice(0, code.indexOf('\n```') + 1);
}

const hasPython = spawnSync('python3', ['--version']).status === 0;

const receivers = [
  { name: 'Node.js', language: 'js', file: 'verify-breakwater-webhook.mjs', comment: '//', command: process.execPath, skip: false },
  { name: 'Python', language: 'python', file: 'verify_breakwater_webhook.py', comment: '#', command: 'python3', skip: !hasPython && 'python3 is not installed' },
];

for (const receiver of receivers) {
  describe(`the ${receiver.name} receiver in docs/webhooks.md`, { skip: receiver.skip }, () => {
    let directory: string;
    let child: ChildProcess;
    let url: string;

    before(async () => {
      const markdown = await readFile(docsPath, 'utf8');
      directory = await mkdtemp(join(tmpdir(), 'breakwater-webhook-docs-'));
      const path = join(directory, receiver.file);
      await writeFile(path, snippet(markdown, receiver.language, `${receiver.comment} ${receiver.file}`));
      child = spawn(receiver.command, [path], { env: { ...process.env, BREAKWATER_WEBHOOK_SECRET: secret, PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
      url = await new Promise<string>((resolve, reject) => {
        let output = '';
        child.stdout!.on('data', (chunk: Buffer) => {
          output += chunk.toString('utf8');
          const port = /listening on (\d+)/.exec(output)?.[1];
          if (port !== undefined) resolve(`http://127.0.0.1:${port}/hooks/breakwater`);
        });
        child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
        child.once('exit', (code) => reject(new Error(`the snippet exited with ${code}:\n${output}`)));
      });
    });

    after(async () => {
      child.kill();
      await rm(directory, { recursive: true, force: true });
    });

    async function post(payload: string, headers: Record<string, string>): Promise<number> {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: payload });
      await response.arrayBuffer();
      return response.status;
    }

    it('accepts a webhook signed by signPayload', async () => {
      assert.equal(await post(body, signPayload(body, [secret], Date.now(), 'whd_docs')), 204);
    });

    it('accepts a webhook signed during a rotation', async () => {
      assert.equal(await post(body, signPayload(body, ['whsec_other', secret], Date.now(), 'whd_docs')), 204);
    });

    it('rejects a tampered body', async () => {
      assert.equal(await post(body.replace('succeeded', 'failed'), signPayload(body, [secret], Date.now(), 'whd_docs')), 401);
    });

    it('rejects the wrong secret', async () => {
      assert.equal(await post(body, signPayload(body, ['whsec_other'], Date.now(), 'whd_docs')), 401);
    });

    it('rejects a timestamp more than 5 minutes old', async () => {
      assert.equal(await post(body, signPayload(body, [secret], Date.now() - 6 * 60_000, 'whd_docs')), 401);
    });

    it('rejects missing and malformed signatures and keeps running', async () => {
      assert.equal(await post(body, {}), 401);
      for (const header of ['garbage', 't=1,v1', 'v1=abc', `t=${Math.floor(Date.now() / 1000)},v1=zz`]) {
        assert.equal(await post(body, { 'breakwater-signature': header }), 401, header);
      }
      assert.equal(await post(body, signPayload(body, [secret], Date.now(), 'whd_docs')), 204);
    });
  });
}
