import type { Gateway } from '../gateway/gateway.js';
import { BreakwaterError } from '../errors/breakwater-error.js';
import type { JobHandler, JobOutcome, JobRun } from './job-handler.js';

/** An async chat completion: the same gateway call as POST /v1/chat/completions, run by a worker. */
export class ChatJobHandler implements JobHandler {
  constructor(private readonly gateway: Gateway) {}

  async run(run: JobRun): Promise<JobOutcome> {
    if (run.input.kind !== 'chat') throw new BreakwaterError('INTERNAL_ERROR', `Job ${run.job.id} is not a chat job.`);
    // No progress step: a chat job is one model call, and job-start already says it is running.
    const { outcome } = await this.gateway.call({
      requestId: `${run.job.id}.${run.attempt}`,
      key: run.key,
      input: { operation: 'chat', request: { ...run.input.request, stream: false } },
      stream: false,
      cacheControl: { noStore: false, noCache: false },
      signal: run.signal,
      startedAt: performance.now(),
    });
    if (outcome.kind !== 'completion') throw new BreakwaterError('INTERNAL_ERROR', 'A chat job got a non-completion answer.');
    return { result: outcome.completion };
  }
}
