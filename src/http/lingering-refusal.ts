import type { FastifyReply, FastifyRequest } from 'fastify';

/** How long the rest of a refused body is read and dropped before the connection is cut. */
export const lingerMs = 10_000;

/**
 * Lets a client that is still sending a body it was refused for (413) read the refusal.
 * Fastify answers a body over the limit at once with `Connection: close`; Node then closes
 * the socket while the client's bytes are still arriving, the kernel answers them with a
 * reset, and a reset discards the refusal the client had not read yet: it sees a dropped
 * connection, not a 413 saying what to fix (bench:hostile: 1-3 "no answer" per run). As
 * nginx's lingering close does, the rest of the body is read and dropped instead (Node dumps
 * an unread request body once the response is sent), up to four times the limit and for at
 * most `lingerMs`; then the connection is closed, gently if the client asked for that, or
 * kept for its next request. Larger declared bodies are cut at once.
 */
export function lingerAfterRefusal(request: FastifyRequest, reply: FastifyReply, limitBytes: number): void {
  const incoming = request.raw;
  const declared = Number(request.headers['content-length']);
  if (incoming.complete || (Number.isFinite(declared) && declared > limitBytes * 4)) return;
  // Node would close the socket once the answer is sent; it is closed below, after the body.
  reply.removeHeader('connection');
  reply.raw.shouldKeepAlive = true;
  const closeAfter = /\bclose\b/i.test(request.headers.connection ?? '') || incoming.httpVersion === '1.0';
  const timer = setTimeout(() => incoming.socket?.destroy(), lingerMs);
  timer.unref();
  incoming.once('end', () => {
    clearTimeout(timer);
    if (closeAfter) incoming.socket?.end();
  });
  incoming.once('close', () => clearTimeout(timer));
}
