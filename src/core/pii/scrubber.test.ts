import { loopGapMeter } from '../../../test/support/loop-gap.js';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BreakwaterError } from '../errors/breakwater-error.js';
import { chatRequestSchema, type ChatRequest } from '../../wire/chat.js';
import { restoreText } from './restorer.js';
import { scrubChatRequest, windowLength } from './scrubber.js';

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
  it('redacts with the same placeholder for the same value everywhere, and restores', async () => {
    const original = request();
    const { request: scrubbed, counts, vault } = await scrubChatRequest(original, { mode: 'redact', ...policy });
    assert.equal(texts(scrubbed).match(/<EMAIL_1>/g)?.length, 3);
    assert.ok(!texts(scrubbed).includes('jane@example.com'));
    assert.ok(!texts(scrubbed).includes('4764'));
    assert.deepEqual(counts, { EMAIL: 3, CARD: 1, PHONE: 1 });
    assert.equal(restoreText('Mail <EMAIL_1>, card <CARD_1>', vault), 'Mail jane@example.com, card 4764 4203 5298 5095');
    assert.ok(texts(original).includes('jane@example.com'), 'the input request is not modified');
  });

  it('masks irreversibly, keeping the last four digits of a card', async () => {
    const { request: scrubbed, vault } = await scrubChatRequest(request(), { mode: 'mask', ...policy });
    assert.match(texts(scrubbed), /I am \[EMAIL\], card \*\*\*\* \*\*\*\* \*\*\*\* 5095, call \[PHONE\]/);
    assert.equal(vault.size, 0);
  });

  it('blocks with PII_BLOCKED and counts by type, never values', async () => {
    await assert.rejects(
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

  it('log mode counts but sends the text unchanged', async () => {
    const original = request();
    const { request: scrubbed, counts } = await scrubChatRequest(original, { mode: 'log', ...policy });
    assert.equal(texts(scrubbed), texts(original));
    assert.deepEqual(counts, { EMAIL: 3, CARD: 1, PHONE: 1 });
  });

  it('applies only the policy types', async () => {
    const { request: scrubbed, counts } = await scrubChatRequest(request(), { mode: 'redact', types: ['CARD'], nlp: false });
    assert.deepEqual(counts, { CARD: 1 });
    assert.ok(texts(scrubbed).includes('jane@example.com'));
  });

  it('recognises national phone formats of the configured regions only', async () => {
    const polish = chatRequestSchema.parse({ model: 'm', messages: [{ role: 'user', content: 'zadzwoń 512 345 678' }] });
    assert.deepEqual((await scrubChatRequest(polish, { mode: 'mask', types: ['PHONE'], nlp: false })).counts, { PHONE: 1 });
    assert.deepEqual((await scrubChatRequest(polish, { mode: 'mask', types: ['PHONE'], nlp: false, phoneRegions: ['US'] })).counts, {});
    const international = chatRequestSchema.parse({ model: 'm', messages: [{ role: 'user', content: 'zadzwoń +48 512 345 678' }] });
    assert.deepEqual((await scrubChatRequest(international, { mode: 'mask', types: ['PHONE'], nlp: false, phoneRegions: ['US'] })).counts, { PHONE: 1 });
  });

  it('never hands out a placeholder the client already wrote', async () => {
    const original = chatRequestSchema.parse({ model: 'm', messages: [{ role: 'user', content: 'template <EMAIL_1>, mine is a@example.org' }] });
    const { request: scrubbed, vault } = await scrubChatRequest(original, { mode: 'redact', nlp: false });
    assert.equal(scrubbed.messages[0]!.content, 'template <EMAIL_1>, mine is <EMAIL_2>');
    assert.equal(restoreText('<EMAIL_1> <EMAIL_2>', vault), '<EMAIL_1> a@example.org');
  });
});

describe('scrubChatRequest with the NLP tagger', () => {
  const userAsking = (content: string): ChatRequest => chatRequestSchema.parse({ model: 'm', messages: [{ role: 'user', content }] });

  it('finds an un-cued name with the tagger', async () => {
    const { request: scrubbed, counts } = await scrubChatRequest(userAsking('Assigned to Wei Zhang yesterday.'), { mode: 'redact', types: ['NAME'], nlp: true });
    assert.equal(texts(scrubbed), JSON.stringify([{ role: 'user', content: 'Assigned to <NAME_1> yesterday.' }]));
    assert.deepEqual(counts, { NAME: 1 });
  });

  // Regression: the tagger ran on the event loop over the whole body, ~80 s for 4 MB.
  it('tags a 1 MB hostile message without holding the event loop', async () => {
    const hostile = `Assigned to Wei Zhang yesterday. ${'Mr A '.repeat(200_000)}`;
    const meter = loopGapMeter();
    let longestGap: number;
    try {
      const { counts } = await scrubChatRequest(userAsking(hostile), { mode: 'redact', types: ['NAME'], nlp: true });
      assert.ok((counts.NAME ?? 0) >= 1);
    } finally {
      longestGap = meter.stop();
    }
    assert.ok(longestGap < 1_000, `the event loop was held for ${longestGap.toFixed(0)} ms`);
  });
});

describe('scrubChatRequest on long text', () => {
  it('finds a value that straddles two of the windows a long text is scanned in, once', async () => {
    const words = Math.floor(windowLength / 12) - 10;
    const before = 'lorem ipsum '.repeat(words) + 'y'.repeat(windowLength - words * 12 - 12);
    const text = `${before} mail jane.doe@example.com, card 4764 4203 5298 5095 ${'dolor sit '.repeat(10_000)}`;
    assert.ok(text.indexOf('jane.doe') < windowLength && text.indexOf('example.com') > windowLength, 'the address crosses the first window');
    const { request: scrubbed, counts } = await scrubChatRequest(chatRequestSchema.parse({ model: 'm', messages: [{ role: 'user', content: text }] }), {
      mode: 'mask',
      types: ['EMAIL', 'CARD'],
      nlp: false,
    });
    assert.deepEqual(counts, { EMAIL: 1, CARD: 1 });
    assert.ok(texts(scrubbed).includes('mail [EMAIL], card **** **** **** 5095 dolor'));
  });
});
