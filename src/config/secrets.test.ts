import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveSecret } from './secrets.js';

describe('resolveSecret', () => {
  it('reads environment variables and trimmed secret files', () => {
    assert.equal(resolveSecret({ env: 'TOKEN' }, 'admin.token', { TOKEN: 'abc' }), 'abc');
    const file = join(mkdtempSync(join(tmpdir(), 'breakwater-secret-')), 'key');
    writeFileSync(file, 'from-file\n');
    assert.equal(resolveSecret({ file }, 'admin.token', {}), 'from-file');
  });

  it('says which variable is missing and where it was referenced', () => {
    assert.throws(() => resolveSecret({ env: 'OPENAI_API_KEY' }, 'providers.openai.apiKey', {}), /providers\.openai\.apiKey: environment variable OPENAI_API_KEY is not set/);
    assert.throws(() => resolveSecret({ file: '/nonexistent/key' }, 'admin.token', {}), /admin\.token: cannot read secret file \/nonexistent\/key \(ENOENT\)/);
  });
});
