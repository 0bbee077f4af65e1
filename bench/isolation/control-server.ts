/**
 * The control for bench:isolation: a bare node:http server that answers every request with a
 * fixed 2-byte body, no framework, no store, no Breakwater. Probed like the API, idle and under
 * the same load, it shows how much of the API's latency under load is the machine's (CPU
 * shared with the workers, PostgreSQL, Redis, RabbitMQ and the mock) rather than the API's.
 *
 *   node --import tsx bench/isolation/control-server.ts   # prints LISTENING <port>
 */
import { createServer } from 'node:http';

const body = Buffer.from('ok');
const server = createServer((request, response) => {
  request.resume();
  response.writeHead(200, { 'content-type': 'text/plain', 'content-length': body.length });
  response.end(body);
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`LISTENING ${typeof address === 'object' && address ? address.port : 0}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
