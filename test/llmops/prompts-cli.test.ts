import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { adminToken, listenOnSocket, mockModelConfig, startTestApp, type TestApp } from '../support/test-app.js';

const run = promisify(execFile);

describe('breakwater prompts: push, ls, diff, label, rollback and audit against a running server', () => {
  let test: TestApp;
  let url: string;
  before(async () => {
    test = await startTestApp(mockModelConfig);
    url = `http://127.0.0.1:${await listenOnSocket(test)}`;
  });
  after(() => test.close());

  const breakwater = (key: string, ...args: string[]) =>
    run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'prompts', ...args, '--url', url, '--key', key], { env: { ...process.env, BREAKWATER_CONFIG: '' } });

  it('manages versions and labels, and refuses a key moving the protected label', async () => {
    const v1 = join(test.folder, 'v1.yaml');
    const v2 = join(test.folder, 'v2.json');
    writeFileSync(
      v1,
      'model: mock\nmessages:\n  - role: system\n    content: Classify the ticket.\n  - role: user\n    content: "{{ticket}}"\nvariables:\n  ticket: { type: string }\n',
    );
    writeFileSync(
      v2,
      JSON.stringify({
        model: 'mock',
        messages: [
          { role: 'system', content: 'Classify the ticket as billing or shipping.' },
          { role: 'user', content: '{{ticket}}' },
        ],
        variables: { ticket: { type: 'string' } },
      }),
    );
    assert.match((await breakwater(adminToken, 'push', 'triage', v1, '--label', 'production')).stdout, /triage v1 pushed; labels: production/);
    assert.match((await breakwater(adminToken, 'push', 'triage', v2)).stdout, /triage v2 pushed/);
    assert.match((await breakwater(adminToken, 'ls')).stdout, /triage\s+2\s+production=v1/);
    const diff = (await breakwater(adminToken, 'diff', 'triage', '1', '2')).stdout;
    assert.match(diff, /^-Classify the ticket\.$/m);
    assert.match(diff, /^\+Classify the ticket as billing or shipping\.$/m);
    assert.match((await breakwater(adminToken, 'label', 'triage', 'production', '2')).stdout, /triage@production: v1 -> v2/);
    const key = await test.key();
    await assert.rejects(breakwater(key, 'label', 'triage', 'production', '1'), /PROMPT_LABEL_PROTECTED/);
    assert.match((await breakwater(adminToken, 'rollback', 'triage', 'production')).stdout, /rolled back v2 -> v1/);
    const audit = (await breakwater(adminToken, 'audit', 'triage')).stdout.split('\n');
    assert.match(audit[1]!, /rollback\s+production\s+v2\s+v1\s+admin/);
    assert.match(audit[2]!, /label\s+production\s+v1\s+v2\s+admin/);
  });
});
