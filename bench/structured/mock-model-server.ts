/**
 * A simulated model behind the OpenAI chat-completions wire format, for bench:structured. It
 * runs as its own process, so its work does not share an event loop with the engine being
 * measured, and prints `listening <port>` once ready.
 *
 *   node --import tsx bench/structured/mock-model-server.ts <seed> <wrongRate> <reaskCorrectRate>
 *
 * Each answer carries its kind in `x-bench-answer-kind` (the truth the bench scores against).
 */
import { createServer, type ServerResponse } from 'node:http';
import type { ChatRequest } from '../../src/wire/chat.js';
import { answerFor, type AnswerOdds } from './model-answers.js';

const odds: AnswerOdds = { seed: Number(process.argv[2] ?? 1), wrongRate: Number(process.argv[3] ?? 0.3), reaskCorrectRate: Number(process.argv[4] ?? 0.9) };
let served = 0;

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  response.end(text);
}

function complete(response: ServerResponse, raw: string): void {
  let request: ChatRequest;
  try {
    request = JSON.parse(raw) as ChatRequest;
  } catch {
    send(response, 400, { error: { message: 'request body is not JSON', type: 'invalid_request_error', code: null, param: null } });
    return;
  }
  if (!Array.isArray(request.messages)) {
    send(response, 400, { error: { message: 'messages is required', type: 'invalid_request_error', code: null, param: 'messages' } });
    return;
  }
  const answer = answerFor(request, odds);
  served++;
  // Roughly 4 characters a token: enough to compare what re-asks cost.
  const promptTokens = Math.ceil(raw.length / 4);
  const completionTokens = Math.ceil(answer.content.length / 4);
  send(
    response,
    200,
    {
      id: `chatcmpl-bench-${served}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: request.model,
      choices: [{ index: 0, message: { role: 'assistant', content: answer.content, refusal: null }, logprobs: null, finish_reason: answer.finishReason }],
      usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
    },
    { 'x-bench-answer-kind': answer.kind },
  );
}

const server = createServer((request, response) => {
  if (request.method !== 'POST' || !request.url?.endsWith('/chat/completions')) {
    request.resume();
    send(response, 404, { error: { message: `no route ${request.method} ${request.url}`, type: 'invalid_request_error', code: null, param: null } });
    return;
  }
  const parts: Buffer[] = [];
  request.on('data', (part: Buffer) => parts.push(part));
  request.on('end', () => complete(response, Buffer.concat(parts).toString('utf8')));
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : 0}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
