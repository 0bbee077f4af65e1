import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ChatRequest } from '../../../wire/chat.js';
import { decideRoute } from './decide.js';
import { extractFeatures, type FeatureInputs } from './features.js';
import { parseAutoRouteConfig, type AutoRouteConfig } from './rules.js';

function config(raw: Record<string, unknown> = {}): AutoRouteConfig {
  const parsed = parseAutoRouteConfig({
    tiers: [
      { name: 'small', alias: 'gpt-mini' },
      { name: 'large', alias: 'gpt-big' },
    ],
    ...raw,
  });
  if (!parsed.ok) throw new Error(parsed.error.join('\n'));
  return parsed.value;
}
const decide = (text: string, inputs: Partial<FeatureInputs> = {}, routeConfig = config()) =>
  decideRoute(extractFeatures({ model: 'auto', messages: [{ role: 'user', content: text }] } satisfies ChatRequest, { promptTokens: 1240, ...inputs }), routeConfig);

const stackTrace =
  'Our worker crashes:\nTraceback (most recent call last):\n  File "/app/worker.py", line 88, in handle\nRuntimeError: Task got Future attached to a different loop\nExplain and fix.';

describe('decideRoute with the default rules', () => {
  it('sends a request with hard cues to the large tier and names them in the reason', () => {
    const decision = decide(stackTrace);
    assert.equal(decision.tier, 'large');
    assert.equal(decision.alias, 'gpt-big');
    assert.match(decision.reason, /p\(hard\) [\d.]+ >= [\d.]+ \(top: .*code cues \(stack trace/);
    assert.match(decision.reason, /1,240 prompt tokens/);
  });

  it('sends maths and multi-step reasoning to the large tier', () => {
    assert.equal(decide('Prove that there are infinitely many primes.').tier, 'large');
    assert.equal(decide('Wir überlegen, das Lager auszulagern. Welche Vor- und Nachteile hat das, und welche Risiken sehen Sie?').tier, 'large');
  });

  it('sends an easy request to the small tier and says nothing looked hard', () => {
    const decision = decide('How long does delivery to Austria take?', { promptTokens: 16 });
    assert.equal(decision.tier, 'small');
    assert.equal(decision.alias, 'gpt-mini');
    assert.match(decision.reason, /^default: p\(hard\) 0\.\d\d < 0\.\d\d \(top: [^)]+\); no hard cues; 16 prompt tokens$/);
  });

  it('sends risk-domain and multi-constraint requests without code fences or maths to the large tier (issue 13)', () => {
    for (const text of [
      'I take 20 mg of citalopram daily and was just prescribed tramadol. Is it safe to take both?',
      'Mein Vermieter will die Kaution einbehalten. Welche Rechte habe ich als Mieter?',
      'We found our cloud access keys in a public repository from last month. What do we rotate first?',
      'Write a Go function that deduplicates events: it must keep the first occurrence, must not allocate per event, should handle 1 million events, and never reorder them.',
    ]) {
      const decision = decide(text, { promptTokens: 40 });
      assert.equal(decision.tier, 'large', text);
      assert.match(decision.reason, /p\(hard\) [\d.]+ >= [\d.]+ \(top: .*; (?:risk cues \([^)]*(?:health|legal|security)|\d+ stacked requirements)/, text);
    }
  });

  it('counts risk domains and stacked requirements as hard cues for the hand-written score too', () => {
    const byScore = config({ rules: [{ when: { scoreAtLeast: 2 }, tier: 'large', reason: 'hard request' }] });
    const health = decide('My 3-year-old has a fever of 39.2. How much ibuprofen can I give?', { promptTokens: 30 }, byScore);
    assert.equal(health.tier, 'large');
    assert.match(health.reason, /risk cues \([^)]*health/);
    const security = decide('Someone clicked a phishing link and typed their password. What now?', { promptTokens: 30 }, byScore);
    assert.match(security.reason, /risk cues \([^)]*security/);
    const stacked = decide(
      'Write a cover letter: at most 200 words, must mention SQL, do not repeat my CV, never use the word passion, and keep it formal.',
      { promptTokens: 40 },
      byScore,
    );
    assert.equal(stacked.tier, 'large');
    assert.match(stacked.reason, /\d+ stacked requirements/);
    assert.equal(decide('What are your opening hours on Sunday?', { promptTokens: 20 }, byScore).tier, 'small');
  });

  it('keeps easy asks in the same domains small', () => {
    for (const text of ['What does ETF stand for?', 'Translate "terms and conditions" into German.', 'What is the emergency number in Spain?']) {
      assert.equal(decide(text, { promptTokens: 12 }).tier, 'small', text);
    }
  });

  it('chooses the larger tier near the boundary, by the configured margin', () => {
    const text = 'Mein Vermieter will die Kaution einbehalten. Welche Rechte habe ich als Mieter?';
    const probability = decide(text, { promptTokens: 30 }).probability!;
    const above = config({ threshold: Math.min(0.99, probability + 0.04), margin: 0.05 });
    const near = decide(text, { promptTokens: 30 }, above);
    assert.equal(near.tier, 'large');
    assert.match(near.reason, /near the boundary, larger tier: p\(hard\) [\d.]+ within 0\.05 of/);
    assert.equal(decide(text, { promptTokens: 30 }, config({ threshold: Math.min(0.99, probability + 0.04), margin: 0 })).tier, 'small', 'no margin: below the threshold is small');
  });

  it('lets an explicit hint win over the rules', () => {
    assert.equal(decide('hi', { tier: 'large' }).tier, 'large');
    const small = decide(stackTrace, { tier: 'small' });
    assert.equal(small.tier, 'small');
    assert.match(small.reason, /explicit hint "small"/);
  });

  it('ignores a hint that names no tier, and says so', () => {
    const decision = decide('hi', { tier: 'xxl' });
    assert.equal(decision.tier, 'small');
    assert.match(decision.reason, /hint "xxl" names no tier, ignored/);
  });

  it('ignores hints when the config turns them off', () => {
    assert.equal(decide('hi', { tier: 'large' }, config({ hints: false })).tier, 'small');
  });

  it('downgrades near the budget limit, and only there', () => {
    const near = decide(stackTrace, { budgetHeadroom: 0.06 });
    assert.equal(near.tier, 'small');
    assert.match(near.reason, /near the budget limit: budget headroom 6% < 10%/);
    assert.equal(decide(stackTrace, { budgetHeadroom: 0.5 }).tier, 'large');
    assert.equal(decide(stackTrace, { budgetHeadroom: undefined }).tier, 'large');
  });

  it('takes the small tier under a tight latency target', () => {
    const decision = decide(stackTrace, { latencyTargetMs: 800 });
    assert.equal(decision.tier, 'small');
    assert.match(decision.reason, /latency target 800 ms < 1,500 ms/);
    assert.equal(decide(stackTrace, { latencyTargetMs: 5000 }).tier, 'large');
  });

  it('sends a very long prompt (12,000 tokens and more) to the large tier', () => {
    assert.equal(decide('Summarise the attached.', { promptTokens: 13_000 }).tier, 'large');
    assert.equal(decide('Summarise the attached.', { promptTokens: 2_000 }).tier, 'small');
  });
});

describe('decideRoute with configured rules', () => {
  it('takes the first rule that holds and leads the reason with its text', () => {
    const routeConfig = config({
      rules: [
        { when: { hint: 'cheap' }, tier: 'small', reason: 'cheap hint' },
        { when: { any: [{ mathCues: true }, { toolsAtLeast: 3 }] }, tier: 'large', reason: 'maths or agents' },
        { when: { codeCues: true }, tier: 'small', reason: 'code is fine on small here' },
      ],
    });
    assert.equal(decide(stackTrace, {}, routeConfig).reason.startsWith('code is fine on small here: code cues (stack trace'), true);
    const maths = decide('Find the derivative of x^2 sin(x).', {}, routeConfig);
    assert.equal(maths.tier, 'large');
    assert.match(maths.reason, /^maths or agents: maths cues \(/);
    assert.equal(decide('Find the derivative of x^2 sin(x).', { tier: 'cheap' }, routeConfig).tier, 'small');
  });

  it('falls back to the default tier when no rule holds', () => {
    const routeConfig = config({ default: 'large', rules: [{ when: { promptTokensAbove: 5000 }, tier: 'small' }] });
    assert.equal(decide('hi', {}, routeConfig).tier, 'large');
    assert.equal(decide('hi', { promptTokens: 6000 }, routeConfig).tier, 'small');
  });

  it('keeps reasons ASCII so they fit in a header', () => {
    const decision = decide('Beweise, dass √2 irrational ist – Schritt für Schritt.', { tier: 'größer' });
    assert.match(decision.reason, /^[\x20-\x7e]*$/);
  });
});
