import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PlaceholderVault } from './placeholder-vault.js';
import { StreamRestorer, restoreLongText, restoreSliceLength, restoreText } from './restorer.js';

function vaultWith(): PlaceholderVault {
  const vault = new PlaceholderVault();
  vault.placeholderFor('EMAIL', 'jane@example.com');
  vault.placeholderFor('NAME', 'Jane "JJ" Doe');
  return vault;
}

describe('restoreText', () => {
  it('restores known placeholders and leaves other angle-bracket text alone', () => {
    assert.equal(restoreText('Hi <NAME_1>, we wrote to <EMAIL_1>. <EMAIL_9> <b>', vaultWith()), 'Hi Jane "JJ" Doe, we wrote to jane@example.com. <EMAIL_9> <b>');
  });

  it('escapes restored values inside JSON', () => {
    const restored = restoreText('{"to":"<NAME_1>"}', vaultWith(), { json: true });
    assert.deepEqual(JSON.parse(restored), { to: 'Jane "JJ" Doe' });
  });
});

describe('StreamRestorer', () => {
  const answer = 'Dear <NAME_1>, your address <EMAIL_1> is confirmed. 3 < 4 and <EMAIL is not a tag.';
  const expected = 'Dear Jane "JJ" Doe, your address jane@example.com is confirmed. 3 < 4 and <EMAIL is not a tag.';

  it('restores a placeholder split at every possible position', () => {
    for (let split = 0; split <= answer.length; split++) {
      const restorer = new StreamRestorer(vaultWith());
      const output = restorer.push(answer.slice(0, split)) + restorer.push(answer.slice(split)) + restorer.flush();
      assert.equal(output, expected, `split at ${split}`);
    }
  });

  it('restores placeholders streamed one character at a time', () => {
    const restorer = new StreamRestorer(vaultWith());
    let output = '';
    for (const character of answer) output += restorer.push(character);
    assert.equal(output + restorer.flush(), expected);
  });

  it('holds back only a possible placeholder prefix, never plain text', () => {
    const restorer = new StreamRestorer(vaultWith());
    assert.equal(restorer.push('Hello <EM'), 'Hello ');
    assert.equal(restorer.push('BER>'), '<EMBER>');
    assert.equal(restorer.push('plain'), 'plain');
  });
});

describe('restoreLongText', () => {
  it('restores placeholders cut by the slices a long text is restored in, as restoreText does', async () => {
    const vault = new PlaceholderVault();
    const email = vault.placeholderFor('EMAIL', 'jane@example.com');
    const phone = vault.placeholderFor('PHONE', '+44 20 7946 0958');
    // Placeholders at every offset around the slice borders.
    const text = Array.from({ length: 6_000 }, (_, index) => `${'x'.repeat(index % 13)}${index % 2 ? email : phone} <NOT_A_PLACEHOLDER> `).join('');
    assert.ok(text.length > 3 * restoreSliceLength);
    const restored = await restoreLongText(text, vault);
    assert.equal(restored, restoreText(text, vault));
    assert.ok(!restored.includes(email) && restored.includes('jane@example.com'));
  });
});
