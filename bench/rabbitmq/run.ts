/**
 * bench:rabbitmq — jobs a second through Breakwater's RabbitMQ queue adapter (enqueue with
 * publisher confirms → claim → complete) next to raw amqplib doing the same broker work
 * (confirmed persistent publishes to a quorum queue, consume with manual acks, same prefetch),
 * measured in the same run on the same broker. Progress goes to stderr; a table and, as the last
 * line, one JSON object go to stdout. See README.md in this folder.
 *
 *   npm run bench:rabbitmq [-- --jobs=20000 --prefetch=500 --batch=500 --in-flight=4 --rounds=3]
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import amqp from 'amqplib';
import { RabbitQueue } from '../../src/adapters/queue/rabbitmq/rabbitmq-queue.js';
import type { EnqueueRequest } from '../../src/core/ports/queue.js';

const argument = (name: string, fallback: string) => process.argv.find((item) => item.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const settings = {
  url: argument('url', process.env.BREAKWATER_BENCH_RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672/'),
  jobs: Number(argument('jobs', '20000')),
  /** Unacknowledged deliveries per consumer, for both sides. */
  prefetch: Number(argument('prefetch', '500')),
  /** Items per enqueue call (the outbox relay's batch) and per raw confirm wait. */
  batch: Number(argument('batch', '500')),
  /** Batches awaiting confirms at once, for both sides. */
  inFlight: Number(argument('in-flight', '4')),
  /** Alternating rounds (raw, Breakwater, raw, …); the best of each is reported. */
  rounds: Number(argument('rounds', '3')),
};
const log = (line: string) => process.stderr.write(`${line}\n`);
const runId = randomBytes(4).toString('hex');

interface Measure {
  seconds: number;
  perSecond: number;
}

/** Producer and consumer run together, as in production: timed from the first publish to the last ack. */
async function breakwater(round: number): Promise<Measure> {
  const queue = await RabbitQueue.open({
    url: settings.url,
    name: `breakwater.bench.${runId}.${round}`,
    prefetch: settings.prefetch,
    backoffBaseMs: 1_000,
    backoffMaxMs: 60_000,
    longestDelayMs: 1_000,
    onError: (error) => log(`rabbitmq error: ${String(error)}`),
  });
  const items: EnqueueRequest[] = Array.from({ length: settings.jobs }, (_, index) => ({ id: `job_${runId}_${round}_${index}`, tenant: 'bench', maxAttempts: 3 }));
  try {
    const started = performance.now();
    let done = 0;
    const consumed = (async () => {
      let wake: (() => void) | undefined;
      const stop = queue.onReady(() => wake?.());
      while (done < settings.jobs) {
        const claims = await queue.claim(settings.prefetch, 30_000);
        for (const claim of claims) if (await queue.complete(claim)) done++;
        if (claims.length === 0) await new Promise<void>((resolve) => ((wake = resolve), setTimeout(resolve, 5)));
      }
      stop();
    })();
    await pooled(chunks(items, settings.batch), settings.inFlight, (batch) => queue.enqueue(batch));
    await consumed;
    const seconds = (performance.now() - started) / 1_000;
    return { seconds, perSecond: settings.jobs / seconds };
  } finally {
    await queue.close();
    await deleteQueues(queue.topology());
  }
}

async function rawAmqplib(round: number): Promise<Measure> {
  const name = `breakwater.bench.${runId}.raw.${round}`;
  const connection = await amqp.connect(settings.url);
  const publisher = await connection.createConfirmChannel();
  const consumer = await connection.createChannel();
  await publisher.assertQueue(name, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
  await consumer.prefetch(settings.prefetch);
  try {
    const started = performance.now();
    let acked = 0;
    let finish: () => void = () => undefined;
    const consumed = new Promise<void>((resolve) => (finish = resolve));
    await consumer.consume(
      name,
      (message) => {
        if (!message) return;
        JSON.parse(message.content.toString());
        consumer.ack(message);
        if (++acked === settings.jobs) finish();
      },
      { noAck: false },
    );
    const bodies = Array.from({ length: settings.jobs }, (_, index) =>
      Buffer.from(JSON.stringify({ id: `job_${runId}_raw_${index}`, tenant: 'bench', priority: 0, deadline: null, maxAttempts: 3, attempt: 0, generation: 0, runAt: Date.now() })),
    );
    await pooled(chunks(bodies, settings.batch), settings.inFlight, (batch) =>
      Promise.all(
        batch.map(
          (body) =>
            new Promise<void>((resolve, reject) =>
              publisher.sendToQueue(name, body, { persistent: true, contentType: 'application/json' }, (error: unknown) => (error ? reject(error) : resolve())),
            ),
        ),
      ),
    );
    await consumed;
    const seconds = (performance.now() - started) / 1_000;
    return { seconds, perSecond: settings.jobs / seconds };
  } finally {
    await publisher.deleteQueue(name);
    await connection.close();
  }
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let index = 0; index < items.length; index += size) out.push(items.slice(index, index + size));
  return out;
}

/** Runs `work` over `batches` with at most `limit` in flight. */
async function pooled<T>(batches: readonly T[], limit: number, work: (batch: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, batches.length) }, async () => {
      while (next < batches.length) await work(batches[next++]!);
    }),
  );
}

async function deleteQueues({ queues, exchanges }: { queues: string[]; exchanges: string[] }): Promise<void> {
  const connection = await amqp.connect(settings.url);
  const channel = await connection.createChannel();
  for (const queue of queues) await channel.deleteQueue(queue);
  for (const exchange of exchanges) await channel.deleteExchange(exchange);
  await connection.close();
}

const raw: Measure[] = [];
const ours: Measure[] = [];
log(`bench:rabbitmq — ${settings.jobs} items, prefetch ${settings.prefetch}, batch ${settings.batch} × ${settings.inFlight} in flight, ${settings.rounds} rounds`);
for (let round = 1; round <= settings.rounds; round++) {
  raw.push(await rawAmqplib(round));
  log(`round ${round}: raw amqplib ${Math.round(raw.at(-1)!.perSecond)} msgs/s`);
  ours.push(await breakwater(round));
  log(`round ${round}: Breakwater ${Math.round(ours.at(-1)!.perSecond)} jobs/s`);
}
const best = (measures: Measure[]) => measures.reduce((a, b) => (b.perSecond > a.perSecond ? b : a));
const rawBest = best(raw);
const oursBest = best(ours);
const ratio = oursBest.perSecond / rawBest.perSecond;
const row = (name: string, measures: Measure[], unit: string) =>
  `| ${name} | ${measures.map((measure) => Math.round(measure.perSecond).toLocaleString('en-US')).join(' / ')} | ${Math.round(best(measures).perSecond).toLocaleString('en-US')} ${unit} |`;
console.log('| path | per round | best |');
console.log('|---|---|---:|');
console.log(row('raw amqplib: confirmed publish → consume → ack', raw, 'msgs/s'));
console.log(row('Breakwater RabbitQueue: enqueue → claim → complete', ours, 'jobs/s'));
console.log(`ratio (best / best): ${ratio.toFixed(2)} (target ≥ 0.8); load average ${loadavg()[0]!.toFixed(2)}`);
console.log(
  JSON.stringify({
    breakwater_jobs_per_s: Math.round(oursBest.perSecond),
    amqplib_msgs_per_s: Math.round(rawBest.perSecond),
    ratio: Number(ratio.toFixed(3)),
    jobs: settings.jobs,
    prefetch: settings.prefetch,
    batch: settings.batch,
    in_flight: settings.inFlight,
    rounds: settings.rounds,
    breakwater_runs: ours.map((measure) => Math.round(measure.perSecond)),
    amqplib_runs: raw.map((measure) => Math.round(measure.perSecond)),
  }),
);
