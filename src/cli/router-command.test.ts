import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SqliteStore } from '../adapters/store/sqlite/sqlite-store.js';
import { extractFeatures } from '../core/routing/auto/features.js';
import { loadRouterModel } from '../core/routing/auto/load-router-model.js';
import { routeVector } from '../core/routing/auto/route-vector.js';

const run = promisify(execFile);

describe('breakwater router', () => {
  const folder = mkdtempSync(join(tmpdir(), 'breakwater-router-'));
  const env = { ...process.env, BREAKWATER_DB: join(folder, 'router.db'), BREAKWATER_CONFIG: '' };
  const breakwater = (...args: string[]) => run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'router', ...args], { env });
  const line = (label: string, content: string) => JSON.stringify({ label, request: { messages: [{ role: 'user', content }] } });

  it('trains a model file from labelled JSONL that the router config can load', async () => {
    const labelled = join(folder, 'labels.jsonl');
    const rows = Array.from({ length: 12 }, (_, index) => [
      line('hard', `Review clause ${index} of our supply contract for liability risks`),
      line('easy', `What colour is product ${index}?`),
    ]).flat();
    writeFileSync(labelled, `${rows.join('\n')}\n`);
    const out = join(folder, 'model.json');
    const { stdout } = await breakwater('train', labelled, '--out', out);
    assert.match(stdout, /trained on 24 rows \(12 hard\)/);
    assert.match(stdout, /threshold 0\.\d+; out of fold: [\d.]+% of hard rows below it/);
    const model = loadRouterModel(out, 'autoRoutes.auto.model');
    assert.ok(Object.keys(model.ngrams).length > 0);
    assert.throws(() => loadRouterModel(join(folder, 'missing.json'), 'autoRoutes.auto.model'), /autoRoutes\.auto\.model: cannot read the router model/);
  });

  it('exports stored feedback as training lines and trains from it, and names a bad input line', async () => {
    const store = await SqliteStore.open(join(folder, 'router.db'));
    const vectorOf = (content: string) => routeVector(extractFeatures({ model: 'auto', messages: [{ role: 'user', content }] }, { promptTokens: 20 }));
    const calls = Array.from({ length: 8 }, (_, index) => [
      { requestId: `h${index}`, content: `Is it safe to take ibuprofen ${index} days after surgery with my blood thinner?`, tier: 'small', shouldHaveBeen: 'large' },
      { requestId: `e${index}`, content: `Translate order ${index} confirmation into German`, tier: 'small', shouldHaveBeen: null },
    ]).flat();
    await store.feedback.recordRoutes(
      calls.map((call) => ({
        requestId: call.requestId,
        tenant: 'acme',
        keyId: 'key_a',
        alias: 'auto',
        tier: call.tier,
        probability: 0.1,
        vector: vectorOf(call.content),
        ts: Date.now(),
      })),
    );
    for (const call of calls) {
      await store.feedback.rate({
        requestId: call.requestId,
        tenant: 'acme',
        keyId: 'key_a',
        rating: call.shouldHaveBeen ? 'bad' : 'good',
        shouldHaveBeen: call.shouldHaveBeen,
        note: null,
        ts: Date.now(),
      });
    }
    await store.close();
    const exported = await breakwater('export-feedback');
    const lines = exported.stdout
      .trim()
      .split('\n')
      .map((text) => JSON.parse(text) as { label: string; vector: unknown });
    assert.equal(lines.length, 16);
    assert.deepEqual(new Set(lines.map((row) => row.label)), new Set(['easy', 'hard']));
    assert.match(exported.stderr, /16 training lines/);
    const { stdout } = await breakwater('train', '--from-feedback', '--out', join(folder, 'from-feedback.json'));
    assert.match(stdout, /trained on 16 rows \(8 hard\)/);
    assert.equal(readFileSync(join(folder, 'from-feedback.json'), 'utf8').includes('route feedback'), true);
    const bad = join(folder, 'bad.jsonl');
    writeFileSync(bad, `${line('hard', 'x')}\n{"label":"medium"}\n`);
    await assert.rejects(breakwater('train', bad), /bad\.jsonl:2: expected \{"label": "easy"\|"hard"/);
  });
});
