import { parentPort } from 'node:worker_threads';
import { runInBackground } from '../core/background-priority.js';
import { parseJsonBody, type JsonParseAnswer, type JsonParseJob } from './json-text.js';

runInBackground();

/**
 * Parses large request bodies off the event loop (see json-parse-thread.ts).
 * In: `{ id, bytes }`. Out: `{ id, ...JsonParseOutcome }`.
 */
parentPort?.on('message', (job: JsonParseJob) => {
  parentPort!.postMessage({ id: job.id, ...parseJsonBody(job.bytes) } satisfies JsonParseAnswer);
});
