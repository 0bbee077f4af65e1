import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A slow OpenAI-compatible upstream, run as its own process so its sockets and timers do not
 * share an event loop with the bench or Breakwater. Chat completions for model `slow-model`
 * answer after a uniformly random 5–30 s (the slow jobs); any other model answers at once
 * (the probe job read during the measurements). GET /stats reports how many requests are open
 * right now, the most ever open at once and how many slow answers went out.
 * Prints `LISTENING <port>` once it listens (port 0 unless BENCH_UPSTREAM_PORT is set).
 */

const minDelayMs = 5_000;
const maxDelayMs = 30_000;
let open = 0;
let maxOpen = 0;
let answeredSlow = 0;

const server = createServer((request, response) => {
  if (request.method === 'GET' && request.url === '/stats') {
    send(response, { open, max_open: maxOpen, answered_slow: answeredSlow });
    return;
  }
  let text = '';
  request.setEncoding('utf8');
  request.on('data', (chunk: string) => (text += chunk));
  request.on('end', () => {
    const body = JSON.parse(text || '{}') as { model?: string };
    const model = String(body.model ?? 'unknown');
    if (model !== 'slow-model') {
      send(response, completion(model));
      return;
    }
    open++;
    maxOpen = Math.max(maxOpen, open);
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      open--;
    };
    const timer = setTimeout(
      () => {
        finish();
        answeredSlow++;
        send(response, completion(model));
      },
      minDelayMs + Math.random() * (maxDelayMs - minDelayMs),
    );
    // A caller that gives up (timeout, shutdown) is no longer an open request.
    response.on('close', () => {
      clearTimeout(timer);
      finish();
    });
  });
});

function completion(model: string) {
  return {
    id: 'chatcmpl-isolation',
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message: { role: 'assistant', content: 'done' }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 12, completion_tokens: 1, total_tokens: 13 },
  };
}

function send(response: ServerResponse, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

server.keepAliveTimeout = 60_000;
server.headersTimeout = 65_000;
server.requestTimeout = 0;
server.listen(Number(process.env.BENCH_UPSTREAM_PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`LISTENING ${(server.address() as AddressInfo).port}\n`);
});
process.once('SIGTERM', () => process.exit(0));
