import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ChatCompletion } from '../../../wire/chat.js';
import { judgeStructuredAnswer, structuredSchemaOf } from './structured-answer.js';

const schema = { type: 'object', properties: { city: { type: 'string' }, rooms: { type: 'integer', minimum: 1 } }, required: ['city', 'rooms'] };
const validator = structuredSchemaOf({ model: 'auto', messages: [], response_format: { type: 'json_schema', json_schema: { name: 'r', schema } } })!;

function answer(message: Partial<ChatCompletion['choices'][number]['message']>, finish: ChatCompletion['choices'][number]['finish_reason'] = 'stop'): ChatCompletion {
  return { id: 'x', object: 'chat.completion', created: 0, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: null, ...message }, finish_reason: finish }] };
}

describe('judgeStructuredAnswer', () => {
  it('accepts a JSON document the schema accepts', () => {
    assert.deepEqual(judgeStructuredAnswer(answer({ content: ' {"city": "Lyon", "rooms": 2}\n' }), validator), { ok: true });
  });

  it('names what failed: prose, a schema violation, a refusal, a cut-off answer', () => {
    assert.deepEqual(judgeStructuredAnswer(answer({ content: 'Lyon, 2 rooms' }), validator), { ok: false, reason: 'not JSON' });
    assert.deepEqual(judgeStructuredAnswer(answer({ content: '{"city": "Lyon", "rooms": 0}' }), validator), { ok: false, reason: 'schema: /rooms must be >= 1' });
    assert.deepEqual(judgeStructuredAnswer(answer({ content: '{"city": "Lyon"}' }), validator), { ok: false, reason: 'schema: /rooms is required' });
    assert.deepEqual(judgeStructuredAnswer(answer({ refusal: 'no' }), validator), { ok: false, reason: 'refused' });
    assert.deepEqual(judgeStructuredAnswer(answer({ content: '{"city": "Lyon", "rooms": 2}' }, 'length'), validator), { ok: false, reason: 'cut off at the output limit' });
  });

  it('lets a tool-call answer through: the schema governs content, not tool calls', () => {
    const tools = answer({ tool_calls: [{ id: 'c1', type: 'function', function: { name: 'lookup', arguments: '{}' } }] }, 'tool_calls');
    assert.deepEqual(judgeStructuredAnswer(tools, validator), { ok: true });
  });
});

describe('structuredSchemaOf', () => {
  it('finds no schema to check against without json_schema, or when it does not compile', () => {
    assert.equal(structuredSchemaOf({ model: 'auto', messages: [], response_format: { type: 'json_object' } }), undefined);
    assert.equal(structuredSchemaOf({ model: 'auto', messages: [], response_format: { type: 'json_schema', json_schema: { name: 'r' } } }), undefined);
    assert.equal(
      structuredSchemaOf({ model: 'auto', messages: [], response_format: { type: 'json_schema', json_schema: { name: 'r', schema: { type: 'nonsense' } } } }),
      undefined,
    );
  });
});
