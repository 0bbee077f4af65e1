import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { App } from '../app.js';
import { BreakwaterError, toBreakwaterError } from '../core/errors/breakwater-error.js';
import { adminKeyRoutes } from './routes/admin-keys.js';
import { chatRoutes } from './routes/chat.js';
import { embeddingsRoutes } from './routes/embeddings.js';
import { jobRoutes } from './routes/jobs.js';
import { workflowRoutes } from './routes/workflows.js';
import { approvalRoutes } from './routes/approvals.js';
import { pipelineRoutes } from './routes/pipelines.js';
import { collectionRoutes } from './routes/collections.js';
import { healthRoutes } from './routes/health.js';
import { modelRoutes } from './routes/models.js';
import { usageRoutes } from './routes/usage.js';
import { feedbackRoutes } from './routes/feedback.js';
import { cacheRoutes } from './routes/cache.js';
import { promptRoutes } from './routes/prompts.js';
import { shadowRoutes } from './routes/shadow.js';
import { stranglerRoutes } from './routes/strangler.js';
import { monitorRoutes } from './routes/monitors.js';
import { uiRoutes } from './routes/ui.js';
import { httpSpans } from './http-spans.js';
import { jsonBodies } from './json-body.js';
import { lingerAfterRefusal } from './lingering-refusal.js';
import { routeAccess } from './route-access.js';
import { ConcurrencyGate } from './request-context.js';

const requestIdPattern = /^[\w.:-]{1,128}$/;

/**
 * One JSON line per request (route, status, time; never bodies or headers), or none.
 *
 * Written by one logger made at start, not by the request's own: that one is a pino child
 * made per request, whose bindings pass the redaction rules each time. The line's fields are
 * fixed primitives no redaction rule matches, so its logger skips redaction too (5x cheaper
 * per line than a per-request child).
 */
class RequestLog extends LogController {
  private readonly lines: FastifyBaseLogger | undefined;

  constructor(logger: FastifyBaseLogger, enabled: boolean) {
    super({ requestIdLogLabel: 'requestId', disableRequestLogging: !enabled });
    this.lines = enabled ? logger.child({}, { redact: { paths: [] } }) : undefined;
  }

  override incomingRequest(): void {}

  override requestCompleted(_error: unknown, request: FastifyRequest, reply: FastifyReply): void {
    this.lines?.info(
      { requestId: request.id, method: request.method, url: request.routeOptions.url ?? request.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime * 100) / 100 },
      'request',
    );
  }
}

/**
 * The request's logger, made on first use. Fastify builds a pino child per request, and with
 * the redaction rules pino runs them over the child's bindings each time: ~2 KB and a
 * redaction pass per request for a logger most requests never call (request lines are off
 * by default, errors are rare).
 */
export class LazyChildLogger implements FastifyBaseLogger {
  private made: FastifyBaseLogger | undefined;

  constructor(
    private readonly parent: FastifyBaseLogger,
    private readonly childArguments: Parameters<FastifyBaseLogger['child']>,
  ) {}

  get level(): string {
    return this.real().level;
  }

  set level(level: string) {
    this.real().level = level;
  }

  fatal(...args: Parameters<FastifyBaseLogger['fatal']>): void {
    this.real().fatal(...args);
  }

  error(...args: Parameters<FastifyBaseLogger['error']>): void {
    this.real().error(...args);
  }

  warn(...args: Parameters<FastifyBaseLogger['warn']>): void {
    this.real().warn(...args);
  }

  info(...args: Parameters<FastifyBaseLogger['info']>): void {
    this.real().info(...args);
  }

  debug(...args: Parameters<FastifyBaseLogger['debug']>): void {
    this.real().debug(...args);
  }

  trace(...args: Parameters<FastifyBaseLogger['trace']>): void {
    this.real().trace(...args);
  }

  silent(...args: Parameters<FastifyBaseLogger['silent']>): void {
    this.real().silent(...args);
  }

  child(...args: Parameters<FastifyBaseLogger['child']>): FastifyBaseLogger {
    return this.real().child(...args);
  }

  private real(): FastifyBaseLogger {
    return (this.made ??= this.parent.child(...this.childArguments));
  }
}

/** Maps Fastify's own body-parsing errors to stable Breakwater codes. */
function fromFastifyError(error: Error & { code?: string; statusCode?: number }, bodyLimit: { bytes: number; setting: string }): BreakwaterError {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new BreakwaterError('BODY_TOO_LARGE', `The request body is larger than the ${bodyLimit.bytes}-byte limit (${bodyLimit.setting}).`);
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new BreakwaterError('INVALID_JSON', `The request body is not valid JSON: ${error.message}. Send a JSON object with Content-Type: application/json.`);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new BreakwaterError('UNSUPPORTED_MEDIA_TYPE', 'Unsupported Content-Type; send the body as application/json.');
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new BreakwaterError('URI_TOO_LONG', 'A path segment of the URL is longer than server.maxParamLength allows; ids Breakwater hands out are far shorter.');
    case 'FST_ERR_BAD_URL':
      return new BreakwaterError('INVALID_REQUEST', 'The URL is not valid: a percent-escape in its path does not decode; escape "%" as %25.');
    default:
      if (error instanceof SyntaxError && error.statusCode === 400) {
        return new BreakwaterError('INVALID_JSON', `The request body is not valid JSON: ${error.message}.`);
      }
      if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
        return new BreakwaterError('INVALID_REQUEST', error.message);
      }
      return toBreakwaterError(error);
  }
}

/**
 * Errors Node's HTTP parser raises before there is a request (headers over the limit, a
 * malformed request line): answered on the raw socket, in the envelope, then closed.
 */
function clientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const refusal =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? new BreakwaterError('HEADERS_TOO_LARGE', 'The request headers are larger than the server accepts (16 KiB by default); send fewer or shorter headers.')
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? new BreakwaterError('REQUEST_TIMEOUT', 'The request did not arrive in time; send the whole request promptly.')
        : new BreakwaterError('INVALID_REQUEST', 'The request is not valid HTTP/1.1; check the request line and headers.');
  refuseOnSocket(socket, refusal);
}

/** Sockets already refused: Node reports each later chunk to an errored parser as a new client error. */
const refusedSockets = new WeakSet<Socket>();
/** How long a refused connection's remaining request bytes are read and dropped before it is closed. */
const lingerMs = 2_000;

/** Answers on the raw socket, outside Fastify, and closes the connection. */
function refuseOnSocket(socket: Socket, refusal: BreakwaterError): void {
  if (refusedSockets.has(socket)) return;
  refusedSockets.add(socket);
  const status = refusal.status;
  const body = JSON.stringify(refusal.toEnvelope());
  // Junk after a whole request that has (or is about to get) its answer, such as a body sent
  // with `Upgrade:` or without a Content-Length, must not get a second response on the
  // connection: the client would read it as the answer to its next request. Let that answer
  // finish, then close. A request still arriving (a timeout mid-body) gets the refusal instead.
  const inFlight = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
  if (inFlight && (inFlight.headersSent || inFlight.req.complete)) {
    if (inFlight.writableFinished) socket.end();
    else inFlight.once('close', () => socket.end());
    return;
  }
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  // A lingering close (as nginx and Apache do): closing while the client is still sending
  // (a body after oversized headers) makes the kernel reset the connection, and a reset can
  // discard the answer before the client reads it. Keep reading until the client is done.
  const timer = setTimeout(() => socket.destroy(), lingerMs).unref();
  socket.once('close', () => clearTimeout(timer));
  socket.once('end', () => socket.destroy());
}

/** Sends a Breakwater error in the OpenAI envelope with its status and Retry-After. */
export function sendError(reply: FastifyReply, error: BreakwaterError): FastifyReply {
  if (error.retryAfterSeconds !== undefined) reply.header('retry-after', String(Math.max(1, Math.ceil(error.retryAfterSeconds))));
  // The official SDKs read this before their own status heuristics: no blind retries of a spent budget.
  reply.header('x-should-retry', error.retryable ? 'true' : 'false');
  return reply.code(error.status).type('application/json').send(error.toEnvelope());
}

export async function buildServer(app: App): Promise<FastifyInstance> {
  const server = Fastify({
    loggerInstance: app.logger as FastifyBaseLogger,
    logController: new RequestLog(app.logger as FastifyBaseLogger, app.config.log.requests),
    childLoggerFactory: (logger, bindings, options) => new LazyChildLogger(logger, [bindings, options]),
    bodyLimit: app.config.server.bodyLimitBytes,
    // Fastify turns Node's request timeout off (0); without one, a client that never finishes
    // its body holds the connection forever (slowloris). Node 20 honours it only when given to
    // createServer (Fastify sets it afterwards, too late), and looks for expired requests only
    // every connectionsCheckingInterval (30 s by default), so that follows the timeout.
    requestTimeout: app.config.server.requestTimeoutMs,
    http: { requestTimeout: app.config.server.requestTimeoutMs, connectionsCheckingInterval: Math.min(30_000, Math.ceil(app.config.server.requestTimeoutMs / 4)) },
    genReqId: (request) => {
      const incoming = request.headers['x-request-id'];
      return typeof incoming === 'string' && requestIdPattern.test(incoming) ? incoming : randomUUID();
    },
    return503OnClosing: true,
    routerOptions: { maxParamLength: app.config.server.maxParamLength },
    // The router's own refusals (a path that does not decode, an over-long id) in the envelope too.
    frameworkErrors: (error, request, reply) => {
      const mapped = fromFastifyError(error as Error & { code?: string }, { bytes: app.config.server.bodyLimitBytes, setting: 'server.bodyLimitBytes' });
      app.metrics.httpErrors.inc({ code: mapped.code });
      return sendError(reply.header('x-request-id', request.id), mapped);
    },
    clientErrorHandler: clientError,
  });
  // Without a listener Node drops CONNECT connections without a word; say why instead.
  server.server.on('connect', (_request, socket: Socket) =>
    refuseOnSocket(socket, new BreakwaterError('INVALID_REQUEST', 'Breakwater is not a proxy: CONNECT is not supported; send requests to its /v1 endpoints directly.')),
  );

  // A callback hook, not an async one: it runs on every request, and an async hook costs a promise and a tick.
  server.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  if (app.tracingEnabled) httpSpans(server);
  // After the request id, so refusals carry it too.
  routeAccess(app, server);
  jsonBodies(server);

  server.setErrorHandler((thrown, request, reply) => {
    const jobsRoute = request.routeOptions.url === '/v1/jobs';
    const bodyLimit = jobsRoute
      ? { bytes: app.config.jobs.bodyLimitBytes, setting: 'jobs.bodyLimitBytes' }
      : { bytes: app.config.server.bodyLimitBytes, setting: 'server.bodyLimitBytes' };
    const error = BreakwaterError.isInstance(thrown) ? thrown : fromFastifyError(thrown as Error & { code?: string; statusCode?: number }, bodyLimit);
    app.metrics.httpErrors.inc({ code: error.code });
    if (error.code === 'INTERNAL_ERROR') request.log.error({ err: thrown }, 'internal error');
    if (error.code === 'BODY_TOO_LARGE') lingerAfterRefusal(request, reply, bodyLimit.bytes);
    return sendError(reply, error);
  });
  server.setNotFoundHandler((request, reply) =>
    sendError(reply, new BreakwaterError('NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}; docs/api.md lists the endpoints.`)),
  );

  await server.register(healthRoutes(app));
  // A worker process answers health and metrics only; the API lives on the api nodes.
  if (app.role === 'worker') return server;
  // One gate for every model call a request makes, chat and embeddings alike.
  const gate = new ConcurrencyGate(app.config.server.maxConcurrentRequests);
  await server.register(chatRoutes(app, gate));
  await server.register(embeddingsRoutes(app, gate));
  await server.register(modelRoutes(app));
  await server.register(usageRoutes(app));
  await server.register(feedbackRoutes(app));
  await server.register(cacheRoutes(app));
  await server.register(adminKeyRoutes(app));
  await server.register(jobRoutes(app));
  await server.register(workflowRoutes(app));
  await server.register(approvalRoutes(app));
  await server.register(pipelineRoutes(app));
  await server.register(collectionRoutes(app));
  await server.register(promptRoutes(app));
  await server.register(shadowRoutes(app));
  await server.register(stranglerRoutes(app));
  await server.register(monitorRoutes(app));
  if (app.config.ui.enabled) await server.register(uiRoutes(app));
  return server;
}
