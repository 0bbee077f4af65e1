/**
 * An instant OpenAI chat-completions upstream for bench:gateway. It runs as its own child
 * process so that its work never shares an event loop with the orchestrator, and every
 * answer is a precomputed buffer, so the mock's own cost is as small as node:http allows and
 * the same for every target.
 *
 *   node --import tsx bench/gateway/mock-upstream.ts <port>
 */
import { createServer, type ServerResponse } from 'node:http';

const created = 1_700_000_000;
const model = 'gpt-4o-mini';
const usage = { prompt_tokens: 24, completion_tokens: 16, total_tokens: 40 };

const completion = Buffer.from(
  JSON.stringify({
    id: 'chatcmpl-bench0000000000000000000001',
    object: 'chat.completion',
    created,
    model,
    system_fingerprint: 'fp_bench',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: 'Hello! This is the fixed answer of the bench:gateway mock upstream.', refusal: null },
        logprobs: null,
        finish_reason: 'stop',
      },
    ],
    usage,
  }),
);

function chunk(choices: unknown[], extra: Record<string, unknown> = {}): string {
  const body = { id: 'chatcmpl-bench0000000000000000000001', object: 'chat.completion.chunk', created, model, system_fingerprint: 'fp_bench', choices, ...extra };
  return `data: ${JSON.stringify(body)}\n\n`;
}

// Separate events (not one blob) so that gateways parse and forward a real multi-event stream.
const streamEvents: readonly Buffer[] = [
  chunk([{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }]),
  chunk([{ index: 0, delta: { content: 'Hello!' }, logprobs: null, finish_reason: null }]),
  chunk([{ index: 0, delta: { content: ' This is the' }, logprobs: null, finish_reason: null }]),
  chunk([{ index: 0, delta: { content: ' bench mock.' }, logprobs: null, finish_reason: null }]),
  chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }]),
  chunk([], { usage }),
  'data: [DONE]\n\n',
].map((event) => Buffer.from(event));

function sendError(response: ServerResponse, status: number, message: string): void {
  const body = JSON.stringify({ error: { message, type: 'invalid_request_error', code: null, param: null } });
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

function answer(response: ServerResponse, raw: string): void {
  let stream = false;
  try {
    const parsed: unknown = JSON.parse(raw);
    stream = typeof parsed === 'object' && parsed !== null && (parsed as { stream?: unknown }).stream === true;
  } catch {
    sendError(response, 400, 'request body is not JSON');
    return;
  }
  if (!stream) {
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': completion.length });
    response.end(completion);
    return;
  }
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  for (const event of streamEvents) response.write(event);
  response.end();
}

const server = createServer((request, response) => {
  if (request.method !== 'POST' || !request.url?.endsWith('/chat/completions')) {
    request.resume();
    sendError(response, 404, `no route ${request.method} ${request.url}`);
    return;
  }
  const parts: Buffer[] = [];
  request.on('data', (part: Buffer) => parts.push(part));
  request.on('end', () => answer(response, Buffer.concat(parts).toString('utf8')));
});
// Longer than the gateways' pool idle timeouts, so the server never closes a socket a client is about to reuse.
server.keepAliveTimeout = 65_000;

const port = Number(process.argv[2] ?? '0');
server.listen(port, '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
