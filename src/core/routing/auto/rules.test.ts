import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { defaultRouteRules, parseAutoRouteConfig } from './rules.js';

const tiers = [
  { name: 'small', alias: 'gpt-mini' },
  { name: 'large', alias: 'gpt-big' },
];

describe('parseAutoRouteConfig', () => {
  it('fills in the default tier, hints and the default rules', () => {
    const parsed = parseAutoRouteConfig({ tiers });
    assert.ok(parsed.ok);
    assert.equal(parsed.value.default, 'small');
    assert.equal(parsed.value.hints, true);
    assert.deepEqual(parsed.value.rules, defaultRouteRules);
  });

  it('accepts custom rules with any-of conditions', () => {
    const parsed = parseAutoRouteConfig({
      tiers: [...tiers, { name: 'medium', alias: 'gpt-mid' }],
      default: 'medium',
      rules: [{ when: { any: [{ codeCues: true }, { mathCues: 2 }] }, tier: 'large', reason: 'technical' }],
    });
    assert.ok(parsed.ok);
    assert.equal(parsed.value.rules[0]!.tier, 'large');
  });

  it('names the path and the fix of every error', () => {
    const parsed = parseAutoRouteConfig({
      tiers: [
        { name: 'cheap', alias: 'gpt-mini' },
        { name: 'cheap', alias: 'gpt-big' },
      ],
      rules: [
        { when: { codeCuez: true }, tier: 'large' },
        { when: {}, tier: 'cheap' },
      ],
    });
    assert.ok(!parsed.ok);
    const errors = parsed.error.join('\n');
    assert.match(errors, /tiers\[1\]\.name: tier "cheap" is declared twice/);
    assert.match(errors, /default: names no tier \("small"\)/);
    assert.match(errors, /rules\[0\]\.when: unknown setting\(s\) codeCuez/);
    assert.match(errors, /rules\[1\]\.when: an empty condition always holds/);
  });

  it('reports that the default rules need tiers small and large', () => {
    const parsed = parseAutoRouteConfig({ tiers: [{ name: 'mini', alias: 'gpt-mini' }], default: 'mini' });
    assert.ok(!parsed.ok);
    assert.match(parsed.error.join('\n'), /rules\[0\]\.tier: names no tier \("small"\).*the default rules need tiers "small" and "large"/);
  });

  it('rejects out-of-range thresholds', () => {
    const parsed = parseAutoRouteConfig({ tiers, rules: [{ when: { budgetHeadroomBelow: 10 }, tier: 'small' }] });
    assert.ok(!parsed.ok);
    assert.match(parsed.error.join('\n'), /rules\[0\]\.when\.budgetHeadroomBelow/);
  });
});
