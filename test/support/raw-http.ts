import { connect } from 'node:net';

export interface RawResponse {
  /** 0 when the server closed without a status line. */
  status: number;
  /** Everything after the header block, as UTF-8. */
  body: string;
  /** The header block as sent, lower-cased names. */
  headers: Record<string, string>;
}

/**
 * Sends bytes exactly as given on a fresh connection and reads until the server closes it,
 * so the request line reaches the server untouched (no client normalises the path). Rejects
 * when nothing closes the connection within `timeoutMs`: a hang is a failure, not a wait.
 * The client's side stays open, as curl's does: Node takes a half-close for an abort.
 */
export function rawExchange(port: number, request: string | Buffer, timeoutMs = 10_000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      // A whole answer on a connection the request asked to keep open (keep-alive in HTTP/1.0, say) is an answer, not a hang.
      const received = parseRawResponse(Buffer.concat(chunks).toString('utf8'));
      const length = Number(received.headers['content-length'] ?? Number.NaN);
      if (received.status > 0 && Buffer.byteLength(received.body) >= length) resolve(received);
      else reject(new Error(`no answer within ${timeoutMs} ms to ${JSON.stringify(String(request).slice(0, 200))}`));
    }, timeoutMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    // A server that answers and closes before reading the whole request resets the rest; the answer already arrived.
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') {
        clearTimeout(timer);
        reject(error);
      }
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(parseRawResponse(Buffer.concat(chunks).toString('utf8')));
    });
    socket.write(request);
  });
}

/** One HTTP/1.1 request with the request target exactly as given, read until the server closes. */
export function rawRequest(port: number, method: string, target: string, headers: Record<string, string>, body?: string, timeoutMs?: number): Promise<RawResponse> {
  const lines = [`${method} ${target} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close'];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  if (body !== undefined) lines.push('Content-Type: application/json', `Content-Length: ${Buffer.byteLength(body)}`);
  return rawExchange(port, `${lines.join('\r\n')}\r\n\r\n${body ?? ''}`, timeoutMs);
}

function parseRawResponse(received: string): RawResponse {
  // Interim answers (100 Continue) come before the real one.
  let text = received;
  while (/^HTTP\/1\.1 1\d\d /.test(text) && text.includes('\r\n\r\n')) text = text.slice(text.indexOf('\r\n\r\n') + 4);
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
  const split = text.indexOf('\r\n\r\n');
  const headers: Record<string, string> = {};
  for (const line of text
    .slice(0, split === -1 ? text.length : split)
    .split('\r\n')
    .slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status, headers, body: split === -1 ? '' : text.slice(split + 4) };
}
