/**
 * Recognises a lost connection to a server Breakwater depends on (PostgreSQL, Redis,
 * RabbitMQ) by the marks its client leaves on the error, without importing any client:
 * Node's socket codes, PostgreSQL's connection-class SQLSTATEs (08xxx, 57P0x), ioredis's
 * and pg's own wording for a closed or unusable connection.
 */
const socketCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ENOTCONN']);
// pg-pool's "timeout exceeded when trying to connect": no connection came free, or none could be opened, in time.
const closedConnection =
  /^(Connection is closed|Connection terminated|Client has encountered a connection error|Client was closed|Channel closed|Connection closed|Stream isn't writeable|timeout exceeded when trying to connect)/i;

export function isDependencyFailure(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 4) return false;
  const { code, name, message, cause, errors } = error as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === 'string' && (socketCodes.has(code) || /^(08|57P0)/.test(code))) return true;
  if (name === 'MaxRetriesPerRequestError') return true;
  if (typeof message === 'string' && closedConnection.test(message)) return true;
  // AggregateError: a connection attempt over IPv4 and IPv6 that failed both ways.
  if (Array.isArray(errors) && errors.some((inner) => isDependencyFailure(inner, depth + 1))) return true;
  return isDependencyFailure(cause, depth + 1);
}
