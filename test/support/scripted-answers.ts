import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { sendSse, type RecordedRequest } from './openai-upstream.js';

/** Usage every scripted upstream answer reports. */
export const usage = { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 };

export const base = (request: RecordedRequest) => ({ id: 'chatcmpl-scripted', created: 1_700_000_000, model: String(request.body.model) });

export function textCompletion(request: RecordedRequest, content: string) {
  return { ...base(request), object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }], usage };
}

export function toolCallCompletion(request: RecordedRequest, calls: Array<{ id: string; name: string; arguments: string }>) {
  return {
    ...base(request),
    object: 'chat.completion',
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: null,
          tool_calls: calls.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } })),
        },
        finish_reason: 'tool_calls',
      },
    ],
    usage,
  };
}

/** Two tool calls whose arguments arrive split over several deltas, as OpenAI streams them. */
export function streamToolCalls(request: RecordedRequest, response: ServerResponse): void {
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
    ...base(request),
    object: 'chat.completion.chunk',
    choices: [{ index: 0, delta, finish_reason: finish }],
  });
  const includeUsage = (request.body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
  sendSse(response, [
    chunk({ role: 'assistant', content: null }),
    chunk({ tool_calls: [{ index: 0, id: 'call_oslo', type: 'function', function: { name: 'weather', arguments: '' } }] }),
    chunk({ tool_calls: [{ index: 0, function: { arguments: '{"ci' } }] }),
    chunk({ tool_calls: [{ index: 0, function: { arguments: 'ty":"Os' } }] }),
    chunk({ tool_calls: [{ index: 0, function: { arguments: 'lo"}' } }] }),
    chunk({ tool_calls: [{ index: 1, id: 'call_bergen', type: 'function', function: { name: 'weather', arguments: '{"city":' } }] }),
    chunk({ tool_calls: [{ index: 1, function: { arguments: '"Bergen"}' } }] }),
    chunk({}, 'tool_calls'),
    ...(includeUsage ? [{ ...base(request), object: 'chat.completion.chunk', choices: [], usage }] : []),
  ]);
}

/** The error a promise rejects with; fails the test when it resolves. */
export async function rejection(promise: PromiseLike<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail('expected the SDK call to throw');
}
