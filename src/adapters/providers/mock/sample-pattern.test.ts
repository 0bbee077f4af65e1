import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { samplePattern } from './sample-pattern.js';

function matches(pattern: string, minLength?: number, maxLength?: number): string {
  const value = samplePattern(pattern, minLength, maxLength);
  assert.ok(value !== undefined, `no sample for ${pattern}`);
  assert.match(value, new RegExp(pattern, 'u'));
  return value;
}

describe('samplePattern', () => {
  it('anchors and literal characters', () => assert.equal(matches('^INV$'), 'INV'));
  it('escaped literal characters', () => assert.equal(matches('^a\\.b-c\\/d\\$$'), 'a.b-c/d$'));
  it('the dot', () => assert.equal(matches('^x.y$').length, 3));
  it('character ranges, cycling through the class', () => assert.equal(matches('^[A-Z]{3}$'), 'ABC'));
  it('classes with several ranges and literals', () => assert.match(matches('^[A-Za-z0-9_-]{5}$'), /^[A-Za-z0-9_-]{5}$/));
  it('negated classes', () => assert.match(matches('^[^0-9]{2}$'), /^\D\D$/));
  it('\\d, \\w and \\s', () => assert.match(matches('^\\d{2}\\w\\s\\d$'), /^\d\d\w \d$/));
  it('\\D, \\W and \\S', () => assert.ok(matches('^\\D\\W\\S$')));
  it('escapes inside classes', () => assert.ok(matches('^[\\d.]{4}$')));
  it('{n}', () => assert.equal(matches('^\\d{4}$'), '0123'));
  it('{n,m} takes the fewest repetitions', () => assert.equal(matches('^[a-c]{2,5}$'), 'ab'));
  it('{n,} and minLength', () => assert.equal(matches('^[a-c]{2,}$', 4).length, 4));
  it('?, * and +', () => assert.equal(matches('^-?\\d+(\\.\\d*)?$'), '0'));
  it('lazy quantifiers', () => assert.ok(matches('^a+?b*?$')));
  it('+ grows to reach minLength', () => assert.equal(matches('^[A-Z]+$', 6), 'ABCDEF'));
  it('groups and alternation take the first alternative', () => assert.equal(matches('^(EUR|USD)-(?:x|y)$'), 'EUR-x'));
  it('unanchored patterns', () => assert.ok(matches('[0-9]{3}')));
  it('a date-shaped pattern', () => assert.equal(matches('^\\d{4}-\\d{2}-\\d{2}$'), '0123-01-01'));
  it('returns undefined for unsupported features', () => {
    assert.equal(samplePattern('^(?=a)a$'), undefined);
    assert.equal(samplePattern('^(a)\\1$'), undefined);
    assert.equal(samplePattern('^\\p{Lu}$'), undefined);
  });
  it('returns undefined when the length bounds cannot be met', () => assert.equal(samplePattern('^[A-Z]{3}$', 0, 2), undefined));
  it('returns undefined for an invalid regular expression', () => assert.equal(samplePattern('^[A-Z$'), undefined));
});
