import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BreakwaterError } from '../core/errors/breakwater-error.js';
import { chatRequestSchema } from '../wire/chat.js';
import { parseChatBody } from './chat-body.js';
import { parseBody } from './parse-body.js';

const user = { role: 'user', content: 'hello' };

/** What the schema alone says about a body: its output, or the refusal's message and param. */
function bySchema(body: unknown): unknown {
  try {
    return parseBody(chatRequestSchema, body);
  } catch (error) {
    assert.ok(BreakwaterError.isInstance(error));
    return { refused: error.message, param: error.param };
  }
}

function byChatBody(body: unknown): unknown {
  try {
    return parseChatBody(body);
  } catch (error) {
    assert.ok(BreakwaterError.isInstance(error));
    return { refused: error.message, param: error.param };
  }
}

const bodies: Record<string, unknown> = {
  'model and one message': { model: 'm', messages: [user] },
  'scalar settings at their bounds': {
    model: 'm',
    messages: [{ role: 'system', content: 'be terse', name: 'sys' }, user, { role: 'assistant', content: 'hi' }, { role: 'developer', content: 'x' }],
    stream: true,
    stream_options: { include_usage: true },
    max_tokens: 16,
    max_completion_tokens: null,
    temperature: 2,
    top_p: 0,
    n: 1,
    seed: -5,
    presence_penalty: -2,
    frequency_penalty: 2,
    user: 'u-1',
  },
  'a vendor field on a message passes through': { model: 'm', messages: [{ ...user, cache_control: { type: 'ephemeral' } }] },
  'content parts': { model: 'm', messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] },
  'tools and an assistant tool call': {
    model: 'm',
    messages: [
      user,
      { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] },
      { role: 'tool', content: '1', tool_call_id: 'c1' },
    ],
    tools: [{ type: 'function', function: { name: 'f', parameters: {} } }],
  },
  'no model': { messages: [user] },
  'empty model': { model: '', messages: [user] },
  'no messages': { model: 'm' },
  'empty messages': { model: 'm', messages: [] },
  'an unknown field': { model: 'm', messages: [user], colour: 'blue' },
  'temperature out of range': { model: 'm', messages: [user], temperature: 2.5 },
  'a fractional max_tokens': { model: 'm', messages: [user], max_tokens: 1.5 },
  'a seed past the safe integers': { model: 'm', messages: [user], seed: 2 ** 60 },
  'n of 2': { model: 'm', messages: [user], n: 2 },
  'user null': { model: 'm', messages: [user], user: null },
  'a message without content': { model: 'm', messages: [{ role: 'user' }] },
  'an unknown role': { model: 'm', messages: [{ role: 'narrator', content: 'x' }] },
  'a numeric name': { model: 'm', messages: [{ ...user, name: 7 }] },
  'stream_options as an array': { model: 'm', messages: [user], stream_options: [] },
  'an array body': [user],
  'a string body': 'hello',
};

describe('parseChatBody', () => {
  for (const [name, body] of Object.entries(bodies)) {
    it(`agrees with the schema: ${name}`, () => {
      assert.deepEqual(byChatBody(structuredClone(body)), bySchema(structuredClone(body)));
    });
  }

  it('refuses what the schema refuses, with its message', () => {
    assert.throws(
      () => parseChatBody({ model: 'm', messages: [user], temperature: 3 }),
      (error: unknown) => {
        assert.ok(BreakwaterError.isInstance(error));
        assert.equal(error.code, 'INVALID_REQUEST');
        assert.equal(error.param, 'temperature');
        return true;
      },
    );
  });
});
