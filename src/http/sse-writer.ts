import type { ServerResponse } from 'node:http';
import { once } from 'node:events';
import { toBreakwaterError } from '../core/errors/breakwater-error.js';

/**
 * Writes an OpenAI-style SSE stream: `data: {json}` per chunk, then `data: [DONE]`. A
 * failure after the first byte cannot change the status any more, so it is sent as a final
 * `data: {"error": …}` event (what OpenAI does) and the stream ends without [DONE].
 */
export async function writeServerSentEvents(response: ServerResponse, headers: Record<string, string>, events: AsyncIterable<unknown>): Promise<void> {
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    // No `connection` header: Node sets keep-alive itself, and honours a client's `Connection: close` only when the handler left it alone.
    'x-accel-buffering': 'no',
    ...headers,
  });
  try {
    for await (const event of events) {
      if (response.destroyed) break;
      if (!response.write(`data: ${JSON.stringify(event)}\n\n`)) await Promise.race([once(response, 'drain'), once(response, 'close')]);
    }
    if (!response.destroyed) response.end('data: [DONE]\n\n');
  } catch (thrown) {
    if (!response.destroyed) response.end(`data: ${JSON.stringify(toBreakwaterError(thrown).toEnvelope())}\n\n`);
  }
}
