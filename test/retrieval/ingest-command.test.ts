import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { bearer, startTestApp, type TestApp } from '../support/test-app.js';

/** The real CLI in a child process (no TTY: progress comes as plain lines). */
function breakwater(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, BREAKWATER_URL: '', BREAKWATER_API_KEY: '', BREAKWATER_CONFIG: '' };
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { env }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('breakwater ingest, against a server on a real port', () => {
  let test: TestApp;
  let url: string;
  let key: string;
  let folder: string;

  before(async () => {
    test = await startTestApp({ jobs: { pollMs: 20 } });
    key = await test.key({ tenant: 'acme' });
    url = await test.server.listen({ port: 0, host: '127.0.0.1' });
    folder = join(test.folder, 'handbook');
    mkdirSync(join(folder, 'policies'), { recursive: true });
  });
  after(async () => {
    await test.close();
  });

  const search = async (query: string) => {
    const response = await test.server.inject({ method: 'POST', url: '/v1/collections/handbook/search', headers: bearer(key), payload: { query, k: 3 } });
    assert.equal(response.statusCode, 200, response.body);
    return (response.json() as { data: Array<{ document: string; text: string }> }).data;
  };

  it('ingests a directory tree with progress lines, then re-syncs sending only what changed and pruning what vanished', async () => {
    writeFileSync(join(folder, 'leave.md'), '# Leave\n\n## Annual leave\nFull-time staff get 26 days of paid leave.');
    writeFileSync(join(folder, 'policies', 'travel.txt'), 'Hotels are reimbursed up to 140 euros per night.');
    writeFileSync(join(folder, 'policies', 'remote.md'), '# Remote work\n\nStaff may work from home three days a week.');
    writeFileSync(join(folder, '.hidden.md'), 'never sent');
    const first = await breakwater('ingest', 'handbook', folder, '--create', '--url', url, '--key', key);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /handbook: 3 sent, 0 unchanged, 0 deleted; 3 chunks embedded/);
    assert.match(first.stderr, /sending 3 documents/);
    assert.match(first.stderr, /embedding/);
    assert.equal((await search('hotel per night'))[0]?.document, 'policies/travel.txt');

    writeFileSync(join(folder, 'policies', 'travel.txt'), 'Hotels are reimbursed up to 160 euros per night.');
    rmSync(join(folder, 'policies', 'remote.md'));
    const second = await breakwater('ingest', 'handbook', folder, '--prune', '--url', url, '--key', key);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /handbook: 1 sent, 1 unchanged, 1 deleted; 1 chunks embedded, 2 removed/);
    assert.match((await search('hotel per night'))[0]!.text, /160 euros/);
    assert.ok((await search('work from home')).every((hit) => hit.document !== 'policies/remote.md'));
  });

  it('refuses an unknown collection without --create, naming the code', async () => {
    const ran = await breakwater('ingest', 'nowhere', folder, '--url', url, '--key', key);
    assert.equal(ran.code, 1);
    assert.match(ran.stderr, /COLLECTION_NOT_FOUND/);
  });
});
