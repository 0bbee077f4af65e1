/**
 * The floor of bench:gateway: the least a Node proxy can do between wrk and the mock — a bare
 * node:http server that streams each request body to the upstream through an undici pool and
 * streams the answer back. No parsing, no validation, no logging, no metrics: whatever a
 * gateway costs above this is its own work, not Node's or the network's.
 *
 *   node bench/gateway/floor-proxy.ts <port> <upstream origin, e.g. http://127.0.0.1:9000>
 */
import { createServer } from 'node:http';
import { Pool } from 'undici';

const port = Number(process.argv[2] ?? '0');
const upstream = new Pool(process.argv[3] ?? 'http://127.0.0.1:9000', { connections: 128, keepAliveTimeout: 30_000 });
// Hop-by-hop headers belong to one connection; node:http sets its own on the way back.
const hopByHop = new Set(['connection', 'keep-alive', 'transfer-encoding', 'host']);

const server = createServer((request, response) => {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(request.headers)) if (value !== undefined && !hopByHop.has(name)) headers[name] = value;
  upstream.request({ method: 'POST', path: request.url ?? '/', headers, body: request }, (error, answer) => {
    if (error) {
      response.writeHead(502, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message: error.message, type: 'floor_proxy_error', code: null, param: null } }));
      return;
    }
    const back: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(answer.headers)) if (value !== undefined && !hopByHop.has(name)) back[name] = value;
    response.writeHead(answer.statusCode, back);
    answer.body.pipe(response);
  });
});
server.keepAliveTimeout = 65_000;
server.listen(port, '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
