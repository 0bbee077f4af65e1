import { setTimeout as sleep } from 'node:timers/promises';
import type { Command } from 'commander';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { Agent, request, type Dispatcher } from 'undici';
import { finalJobEventTypes, type WireJobEvent } from '../wire/job-events.js';
import type { WireJob } from '../wire/jobs.js';
import type { WireList } from '../wire/list.js';
import type { WireRecord } from '../wire/records.js';

const marker = Symbol.for('breakwater.client-error');

/**
 * An error the CLI reports as `breakwater: CODE: message`: the server's envelope code, or a
 * client-side one (`SERVER_UNREACHABLE`, `FILE_NOT_FOUND`). Server codes are plain strings
 * here because a newer server may send codes this client does not know yet.
 */
export class ClientError extends Error {
  readonly [marker] = true;

  constructor(
    readonly code: string,
    message: string,
    readonly status: number | null = null,
    readonly param: string | null = null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ClientError';
  }

  static isInstance(value: unknown): value is ClientError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[marker] === true;
  }
}

export interface ClientFlags {
  url?: string;
  key?: string;
}

export interface FollowOptions {
  /** Resume after this event (the SSE `Last-Event-ID`); 0 replays the job's whole history. */
  lastEventId?: number;
  /** Consecutive failed reconnects before giving up (default 30, about half a minute). */
  maxReconnects?: number;
  /** Wait before reconnecting until the server's `retry:` says otherwise (default 1000 ms). */
  reconnectDelayMs?: number;
  signal?: AbortSignal;
}

export const defaultUrl = 'http://127.0.0.1:8080';

/** Adds `--url` and `--key` to a command that talks to a running server. */
export function withClientOptions(command: Command): Command {
  return command
    .option('--url <url>', `Breakwater server (default: $BREAKWATER_URL, then ${defaultUrl})`)
    .option('--key <key>', 'virtual key (default: $BREAKWATER_API_KEY; create one with `breakwater keys create --name my-app`)');
}

/**
 * A small typed client for the jobs and pipelines API. Responses are typed with the server's
 * own wire shapes (src/wire), so a field the server renames breaks the CLI's build, not its
 * users. Errors come back as ClientError with the envelope's code; a server that is not
 * running is SERVER_UNREACHABLE with a hint.
 */
export class ApiClient {
  readonly baseUrl: string;
  private readonly dispatcher: Agent = new Agent({ keepAliveTimeout: 10_000 });

  constructor(
    baseUrl: string,
    private readonly key: string | undefined,
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  /** Reads flags first, then the environment (once, at command start). */
  static fromFlags(flags: ClientFlags, env: NodeJS.ProcessEnv = process.env): ApiClient {
    return new ApiClient(flags.url || env.BREAKWATER_URL || defaultUrl, flags.key || env.BREAKWATER_API_KEY || undefined);
  }

  async submitJob(body: Record<string, unknown>, idempotencyKey?: string): Promise<{ job: WireJob; created: boolean }> {
    const { status, body: job } = await this.send<WireJob>('POST', '/v1/jobs', body, idempotencyKey ? { 'idempotency-key': idempotencyKey } : {});
    return { job, created: status === 202 };
  }

  async getJob(id: string): Promise<WireJob> {
    return (await this.send<WireJob>('GET', `/v1/jobs/${encodeURIComponent(id)}`)).body;
  }

  async listJobs(filter: { status?: string; pipeline?: string; cursor?: string; limit?: number } = {}): Promise<WireList<WireJob>> {
    const query = new URLSearchParams(Object.entries(filter).flatMap(([name, value]) => (value === undefined ? [] : [[name, String(value)]])));
    return (await this.send<WireList<WireJob>>('GET', `/v1/jobs${query.size > 0 ? `?${query}` : ''}`)).body;
  }

  async cancelJob(id: string): Promise<WireJob> {
    return (await this.send<WireJob>('POST', `/v1/jobs/${encodeURIComponent(id)}/cancel`)).body;
  }

  async listPipelines(): Promise<{ data: Array<{ name: string; description?: string; accepts: string[]; model: string }> }> {
    return (await this.send<{ data: Array<{ name: string; description?: string; accepts: string[]; model: string }> }>('GET', '/v1/pipelines')).body;
  }

  async listRecords(pipeline: string, options: { cursor?: string; limit?: number } = {}): Promise<WireList<WireRecord>> {
    const query = new URLSearchParams(Object.entries(options).flatMap(([name, value]) => (value === undefined ? [] : [[name, String(value)]])));
    return (await this.send<WireList<WireRecord>>('GET', `/v1/pipelines/${encodeURIComponent(pipeline)}/records${query.size > 0 ? `?${query}` : ''}`)).body;
  }

  /**
   * A job's events until its final one (`job-end`, `job-fail`, `job-cancel`). When the
   * connection drops first (a server restart), it reconnects with `Last-Event-ID`, so no
   * event is lost or repeated.
   */
  async *followEvents(id: string, options: FollowOptions = {}): AsyncGenerator<WireJobEvent> {
    let lastEventId = options.lastEventId ?? 0;
    let delayMs = options.reconnectDelayMs ?? 1000;
    const maxReconnects = options.maxReconnects ?? 30;
    let failures = 0;
    for (;;) {
      const received: EventSourceMessage[] = [];
      const parser = createParser({ onEvent: (message) => received.push(message), onRetry: (retry) => (delayMs = retry) });
      let dropped: unknown;
      try {
        const response = await this.open(
          'GET',
          `/v1/jobs/${encodeURIComponent(id)}/events`,
          undefined,
          {
            accept: 'text/event-stream',
            ...(lastEventId > 0 ? { 'last-event-id': String(lastEventId) } : {}),
          },
          options.signal,
        );
        if (response.statusCode >= 400) throw await envelopeError(response);
        const decoder = new TextDecoder();
        for await (const chunk of response.body) {
          parser.feed(decoder.decode(chunk as Buffer, { stream: true }));
          for (const message of received.splice(0)) {
            if (message.event === 'error') throw streamError(message.data);
            const event = JSON.parse(message.data) as WireJobEvent;
            lastEventId = Number(message.id ?? event.seq);
            failures = 0;
            yield event;
            if (finalJobEventTypes.has(event.type)) return;
          }
        }
      } catch (error) {
        if (options.signal?.aborted) throw error;
        // Errors the server answered (404, 401, a bad Last-Event-ID) would only repeat.
        if (ClientError.isInstance(error) && error.code !== 'SERVER_UNREACHABLE' && error.status !== null && error.status < 500) throw error;
        dropped = error;
      }
      if (++failures > maxReconnects) {
        throw ClientError.isInstance(dropped)
          ? dropped
          : new ClientError('EVENT_STREAM_LOST', `The event stream of job ${id} kept dropping before the job ended; \`breakwater jobs tail ${id}\` follows it again.`, null, null, {
              cause: dropped,
            });
      }
      await sleep(delayMs, undefined, options.signal ? { signal: options.signal } : undefined);
    }
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }

  /** Any JSON endpoint (the prompts commands use it); an error envelope becomes a ClientError. */
  call<Body>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<{ status: number; body: Body }> {
    return this.send<Body>(method, path, body);
  }

  private async send<Body>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Body }> {
    const response = await this.open(method, path, body, headers);
    if (response.statusCode >= 400) throw await envelopeError(response);
    return { status: response.statusCode, body: (await response.body.json()) as Body };
  }

  private async open(method: 'GET' | 'POST' | 'PUT', path: string, body: unknown, headers: Record<string, string>, signal?: AbortSignal): Promise<Dispatcher.ResponseData> {
    try {
      return await request(this.baseUrl + path, {
        method,
        dispatcher: this.dispatcher,
        headers: {
          ...(this.key ? { authorization: `Bearer ${this.key}` } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      if (isConnectionFailure(error)) {
        throw new ClientError('SERVER_UNREACHABLE', `Breakwater is not reachable at ${this.baseUrl}: start it with \`breakwater serve\` (or set BREAKWATER_URL)`, null, null, {
          cause: error,
        });
      }
      throw error;
    }
  }
}

function isConnectionFailure(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && ['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EHOSTUNREACH', 'EAI_AGAIN', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT'].includes(code);
}

async function envelopeError(response: Dispatcher.ResponseData): Promise<ClientError> {
  const text = await response.body.text();
  try {
    const { error } = JSON.parse(text) as { error: { code?: string; message: string; param?: string | null } };
    return new ClientError(error.code ?? `HTTP_${response.statusCode}`, error.message, response.statusCode, error.param ?? null);
  } catch {
    return new ClientError(`HTTP_${response.statusCode}`, `The server answered ${response.statusCode}: ${text.slice(0, 200)}`, response.statusCode);
  }
}

/** An `event: error` the server sends when a stream fails mid-way; server errors are worth a reconnect. */
function streamError(data: string): ClientError {
  try {
    const { error } = JSON.parse(data) as { error: { code?: string; message: string; type?: string } };
    const status = error.type === 'server_error' || error.type === 'api_error' || error.code === undefined ? 500 : 400;
    return new ClientError(error.code ?? 'EVENT_STREAM_FAILED', error.message, status);
  } catch {
    return new ClientError('EVENT_STREAM_FAILED', `The event stream failed: ${data.slice(0, 200)}`, 500);
  }
}

/**
 * Runs a command's action and reports a ClientError as `breakwater: CODE: message` with exit
 * code 1 (main.ts only knows BreakwaterError, whose codes are the server's own catalogue).
 */
export function reportingErrors<Args extends unknown[]>(action: (...args: Args) => Promise<void>): (...args: Args) => Promise<void> {
  return async (...args) => {
    try {
      await action(...args);
    } catch (error) {
      if (!ClientError.isInstance(error)) throw error;
      process.stderr.write(`breakwater: ${error.code}: ${error.message}\n`);
      process.exitCode = 1;
    }
  };
}
