import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

/** What the scripted upstream does with one request; return true when it took the request over, else the default answer follows. */
export type UpstreamScript = (request: RecordedRequest, response: ServerResponse, index: number) => boolean | void | Promise<boolean | void>;

/**
 * A real HTTP server on port 0 speaking OpenAI's wire format (JSON and SSE), standing in
 * for a live provider. Records every request; behaviour per request is scripted.
 */
export class OpenAIUpstream {
  readonly requests: RecordedRequest[] = [];
  script: UpstreamScript | undefined;
  private readonly server = createServer((request, response) => void this.handle(request, response));
  private readonly sockets = new Set<import('node:net').Socket>();

  static async start(script?: UpstreamScript): Promise<OpenAIUpstream> {
    const upstream = new OpenAIUpstream();
    upstream.script = script;
    upstream.server.on('connection', (socket) => {
      upstream.sockets.add(socket);
      socket.on('close', () => upstream.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => upstream.server.listen(0, '127.0.0.1', resolve));
    return upstream;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  chatRequests(): RecordedRequest[] {
    return this.requests.filter((request) => request.path.endsWith('/chat/completions'));
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let text = '';
    for await (const chunk of request) text += chunk;
    const recorded: RecordedRequest = { path: request.url ?? '', headers: request.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
    const index = this.requests.push(recorded) - 1;
    if (this.script) {
      if ((await this.script(recorded, response, index)) === true || response.headersSent || response.destroyed) return;
    }
    answer(recorded, response);
  }
}

/** The default answer: a completion (or its SSE stream) echoing the last user message. */
export function answer(request: RecordedRequest, response: ServerResponse, text?: string): void {
  if (request.path.endsWith('/embeddings')) {
    const inputs = Array.isArray(request.body.input) ? request.body.input : [request.body.input];
    sendJson(response, 200, {
      object: 'list',
      model: request.body.model,
      data: inputs.map((_input, index) => ({ object: 'embedding', index, embedding: [index + 0.25, 0.5, -0.5] })),
      usage: { prompt_tokens: 3 * inputs.length, total_tokens: 3 * inputs.length },
    });
    return;
  }
  const messages = request.body.messages as Array<{ content: string }>;
  const content = text ?? `echo: ${messages[messages.length - 1]?.content ?? ''}`;
  const usage = { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 };
  const base = { id: 'chatcmpl-upstream', created: 1_700_000_000, model: String(request.body.model) };
  if (request.body.stream) {
    const chunks = [
      { ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] },
      ...content.split(/(?<= )/).map((piece) => ({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] })),
      { ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
      ...((request.body.stream_options as { include_usage?: boolean } | undefined)?.include_usage ? [{ ...base, object: 'chat.completion.chunk', choices: [], usage }] : []),
    ];
    sendSse(response, chunks);
    return;
  }
  sendJson(response, 200, {
    ...base,
    object: 'chat.completion',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    usage,
  });
}

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

export function sendSse(response: ServerResponse, chunks: unknown[], done = true): void {
  response.writeHead(200, { 'content-type': 'text/event-stream' });
  for (const chunk of chunks) response.write(`data: ${JSON.stringify(chunk)}\n\n`);
  if (done) response.end('data: [DONE]\n\n');
}
