import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const cli = ['--import', 'tsx', 'src/cli/main.ts'];

describe('breakwater CLI', () => {
  const folder = mkdtempSync(join(tmpdir(), 'breakwater-cli-'));
  const env = { ...process.env, BREAKWATER_DB: join(folder, 'cli.db'), BREAKWATER_CONFIG: '' };
  const breakwater = (...args: string[]) => run(process.execPath, [...cli, ...args], { env });

  it('creates a key shown once, lists it without the secret, and revokes it', async () => {
    const created = JSON.parse(
      (await breakwater('keys', 'create', '--name', 'ci', '--models', 'mock', '--rpm', '60', '--budget', '2.5', '--period', 'day', '--tag', 'team=qa', '--json')).stdout,
    );
    assert.match(created.key, /^bw_/);
    assert.deepEqual(created.allowed_models, ['mock']);
    assert.deepEqual(created.budget, { usd: 2.5, period: 'day' });
    assert.deepEqual(created.tags, { team: 'qa' });
    const listed = await breakwater('keys', 'list');
    assert.match(listed.stdout, new RegExp(`${created.id} .* ci  active`));
    assert.ok(!listed.stdout.includes(created.key));
    assert.ok(!readFileSync(join(folder, 'cli.db')).includes(Buffer.from(created.key)));
    assert.match((await breakwater('keys', 'revoke', created.id)).stdout, /revoked/);
    assert.match((await breakwater('keys', 'list')).stdout, /revoked/);
  });

  it('migrate reports an up-to-date database, and bad input exits non-zero with a clear message', async () => {
    assert.match((await breakwater('migrate')).stdout, /up to date|applied/);
    await assert.rejects(breakwater('keys', 'create', '--name', 'x', '--period', 'fortnight'), /--period must be day, month or total/);
    await assert.rejects(breakwater('keys', 'revoke', 'key_nope'), /NOT_FOUND: No key with id key_nope/);
    await assert.rejects(breakwater('serve', '--config', join(folder, 'missing.yaml')), /CONFIG_INVALID: Config file .* does not exist/);
  });

  it('--help describes every command', async () => {
    const help = (await breakwater('--help')).stdout;
    for (const command of ['serve', 'keys', 'migrate', 'demo']) assert.match(help, new RegExp(`\\b${command}\\b`));
    assert.match((await breakwater('serve', '--help')).stdout, /--port/);
    assert.match((await breakwater('keys', 'create', '--help')).stdout, /--budget/);
  });
});
