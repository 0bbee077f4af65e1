import { parentPort } from 'node:worker_threads';
import { runInBackground } from '../../core/background-priority.js';
import { parseJsonBody, type JsonParseAnswer, type JsonParseJob } from './json-text.js';

runInBackground();

/**
 * Parses large request bodies off the event loop (see json-parse-thread.ts).
 * In: `{ id, chunks }`. Out: `{ id, ...JsonParseOutcome }`.
 */
parentPort?.on('message', (job: JsonParseJob) => {
  const bytes = job.chunks.length === 1 ? job.chunks[0]! : Buffer.concat(job.chunks);
  parentPort!.postMessage({ id: job.id, ...parseJsonBody(bytes, job.maxStringBytes) } satisfies JsonParseAnswer);
});
