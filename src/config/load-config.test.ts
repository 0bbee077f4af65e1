import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BreakwaterError } from '../core/errors/breakwater-error.js';
import { loadConfig } from './load-config.js';

function configFile(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'breakwater-config-')), 'breakwater.yaml');
  writeFileSync(path, text);
  return path;
}

function problem(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    assert.ok(BreakwaterError.isInstance(error));
    assert.equal(error.code, 'CONFIG_INVALID');
    return error.message;
  }
  assert.fail('expected a CONFIG_INVALID error');
}

describe('loadConfig', () => {
  it('starts on embedded defaults with no file: the mock model, plus providers whose key is set', () => {
    const bare = loadConfig({ env: {} });
    assert.equal(bare.source, 'embedded defaults');
    assert.deepEqual(Object.keys(bare.config.models).sort(), ['default', 'local', 'local-embedding', 'mock', 'mock-embedding']);
    assert.equal(bare.config.store.driver, 'sqlite');
    assert.equal(bare.config.server.port, 8080);
    const withOpenAI = loadConfig({ env: { OPENAI_API_KEY: 'sk-x', PORT: '9999' } });
    assert.ok('gpt-4o-mini' in withOpenAI.config.models);
    assert.equal(withOpenAI.config.server.port, 9999);
    assert.deepEqual(withOpenAI.config.providers.openai, {
      type: 'openai',
      baseUrl: 'https://api.openai.com/v1',
      apiKey: { env: 'OPENAI_API_KEY' },
      headers: {},
      connections: 128,
      streamIdleTimeoutMs: 30_000,
    });
  });

  it('names the path of every problem and says how to fix it', () => {
    const path = configFile(`
server: { port: "eighty" }
providers:
  openai: { type: openai, baseUrl: not-a-url }
models:
  fast: { deployments: [{ provider: missing, model: m }] }
surprise: 1
`);
    const message = problem(() => loadConfig({ path, env: {} }));
    assert.match(message, /server\.port: /);
    assert.match(message, /providers\.openai\.baseUrl: /);
    assert.match(message, /\(top level\): unknown setting\(s\) surprise/);
  });

  it('rejects a provider key written into the file: secrets are env or file references', () => {
    const path = configFile(`providers:\n  openai: { type: openai, apiKey: sk-live-123 }\nmodels: {}\n`);
    const message = problem(() => loadConfig({ path, env: {} }));
    assert.match(message, /providers\.openai\.apiKey: must be a secret reference/);
    assert.ok(!message.includes('sk-live-123') || message.includes('secret reference'));
  });

  it('checks that deployments name configured providers', () => {
    const path = configFile(`providers:\n  local: { type: mock }\nmodels:\n  fast: { deployments: [{ provider: nowhere, model: m }] }\n`);
    assert.match(
      problem(() => loadConfig({ path, env: {} })),
      /models\.fast\.deployments\[0\]\.provider: no provider named "nowhere" \(configured: local\)/,
    );
  });

  it('fails clearly on a missing file, bad YAML and a non-integer PORT', () => {
    assert.match(
      problem(() => loadConfig({ path: '/nonexistent/breakwater.yaml', env: {} })),
      /does not exist/,
    );
    assert.match(
      problem(() => loadConfig({ path: configFile('server: [unclosed'), env: {} })),
      /not valid YAML/,
    );
    assert.match(
      problem(() => loadConfig({ env: { PORT: 'abc' } })),
      /PORT="abc" must be an integer/,
    );
  });
});
