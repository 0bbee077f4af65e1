/**
 * The event-loop probe: GET /healthz every 10 ms on its own keep-alive connection, from a
 * worker thread so the bench's own work (generating and sending megabytes) never delays it.
 * The server cannot be instrumented from here; /healthz does no work of its own, so a slow
 * answer means the server's event loop was busy. Posts every sample when told to stop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'undici';

export interface ProbeSample {
  /** Wall-clock ms when the probe was sent. */
  at: number;
  ms: number;
  ok: boolean;
}

const { origin, intervalMs, timeoutMs } = workerData as { origin: string; intervalMs: number; timeoutMs: number };
const client = new Client(origin, { pipelining: 1, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
const samples: ProbeSample[] = [];
let stopped = false;
parentPort!.on('message', (message) => {
  if (message === 'stop') stopped = true;
});

const wallClock = () => performance.timeOrigin + performance.now();
while (!stopped) {
  const at = wallClock();
  let ok = false;
  try {
    const response = await client.request({ path: '/healthz', method: 'GET' });
    await response.body.text();
    ok = response.statusCode === 200;
  } catch {
    ok = false;
  }
  samples.push({ at, ms: wallClock() - at, ok });
  await sleep(intervalMs);
}
await client.close().catch(() => undefined);
parentPort!.postMessage(samples);
