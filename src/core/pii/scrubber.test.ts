import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BreakwaterError } from '../errors/breakwater-error.js';
import { chatRequestSchema, type ChatRequest } from '../../wire/chat.js';
import { restoreText } from './restorer.js';
import { scrubChatRequest } from './scrubber.js';

const request = (): ChatRequest =>
  chatRequestSchema.parse({
    model: 'm',
    messages: [
      { role: 'system', content: 'Support for jane@example.com' },
      { role: 'user', content: [{ type: 'text', text: 'I am jane@example.com, card 4764 4203 5298 5095, call (415) 555-0132' }] },
      { role: 'assistant', content: null, tool_calls: [{ id: 't', type: 'function', function: { name: 'lookup', arguments: '{"email":"jane@example.com"}' } }] },
    ],
  });
const texts = (scrubbed: ChatRequest) => JSON.stringify(scrubbed.messages);
const policy = { types: ['EMAIL', 'CARD', 'PHONE'] as const, nlp: false };

describe('scrubChatRequest', () => {
  it('redacts with the same placeholder for the same value everywhere, and restores', () => {
    const original = request();
    const { request: scrubbed, counts, vault } = scrubChatRequest(original, { mode: 'redact', ...policy });
    assert.equal(texts(scrubbed).match(/<EMAIL_1>/g)?.length, 3);
    assert.ok(!texts(scrubbed).includes('jane@example.com'));
    assert.ok(!texts(scrubbed).includes('4764'));
    assert.deepEqual(counts, { EMAIL: 3, CARD: 1, PHONE: 1 });
    assert.equal(restoreText('Mail <EMAIL_1>, card <CARD_1>', vault), 'Mail jane@example.com, card 4764 4203 5298 5095');
    assert.ok(texts(original).includes('jane@example.com'), 'the input request is not modified');
  });

  it('masks irreversibly, keeping the last four digits of a card', () => {
    const { request: scrubbed, vault } = scrubChatRequest(request(), { mode: 'mask', ...policy });
    assert.match(texts(scrubbed), /I am \[EMAIL\], card \*\*\*\* \*\*\*\* \*\*\*\* 5095, call \[PHONE\]/);
    assert.equal(vault.size, 0);
  });

  it('blocks with PII_BLOCKED and counts by type, never values', () => {
    assert.throws(
      () => scrubChatRequest(request(), { mode: 'block', ...policy }),
      (error: unknown) => {
        assert.ok(BreakwaterError.isInstance(error));
        assert.equal(error.code, 'PII_BLOCKED');
        assert.equal(error.status, 400);
        assert.deepEqual(error.details, { detections: { EMAIL: 3, CARD: 1, PHONE: 1 } });
        assert.ok(!JSON.stringify(error.details).includes('jane') && !error.message.includes('jane'));
        return true;
      },
    );
  });

  it('log mode counts but sends the text unchanged', () => {
    const original = request();
    const { request: scrubbed, counts } = scrubChatRequest(original, { mode: 'log', ...policy });
    assert.equal(texts(scrubbed), texts(original));
    assert.deepEqual(counts, { EMAIL: 3, CARD: 1, PHONE: 1 });
  });

  it('applies only the policy types', () => {
    const { request: scrubbed, counts } = scrubChatRequest(request(), { mode: 'redact', types: ['CARD'], nlp: false });
    assert.deepEqual(counts, { CARD: 1 });
    assert.ok(texts(scrubbed).includes('jane@example.com'));
  });

  it('never hands out a placeholder the client already wrote', () => {
    const original = chatRequestSchema.parse({ model: 'm', messages: [{ role: 'user', content: 'template <EMAIL_1>, mine is a@example.org' }] });
    const { request: scrubbed, vault } = scrubChatRequest(original, { mode: 'redact', nlp: false });
    assert.equal(scrubbed.messages[0]!.content, 'template <EMAIL_1>, mine is <EMAIL_2>');
    assert.equal(restoreText('<EMAIL_1> <EMAIL_2>', vault), '<EMAIL_1> a@example.org');
  });
});
