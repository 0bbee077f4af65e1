import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** In a fresh process: ms of the first router + PII pass over a long prompt, after warming up or not. */
async function firstLongCallMs(warm: boolean): Promise<number> {
  const script = `
    const { extractFeatures } = await import(${JSON.stringify(new URL('./routing/auto/features.ts', import.meta.url).href)});
    const { detectPii } = await import(${JSON.stringify(new URL('./pii/detect.ts', import.meta.url).href)});
    const { warmUpRequestRules } = await import(${JSON.stringify(new URL('./warm-up.ts', import.meta.url).href)});
    if (${warm}) warmUpRequestRules();
    const text = 'Please check order 4411 for Jane, mail jane@example.org, and compare the plans. '.repeat(2000);
    const started = performance.now();
    extractFeatures({ model: 'auto', messages: [{ role: 'user', content: text }] }, { promptTokens: 40000 });
    detectPii(text.slice(0, 20000), { nlp: false });
    console.log(performance.now() - started);`;
  const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { timeout: 60_000 });
  return Number(stdout.trim().split('\n').at(-1));
}

test('after the warm-up, the first long prompt costs a fraction of what it costs in a cold process', async () => {
  const cold = await firstLongCallMs(false);
  const warm = await firstLongCallMs(true);
  assert.ok(warm * 3 < cold, `first long call: ${warm.toFixed(0)} ms warmed up, ${cold.toFixed(0)} ms cold`);
});
