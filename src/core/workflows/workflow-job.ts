import { BreakwaterError } from '../errors/breakwater-error.js';
import type { JobHandler, JobOutcome, JobRun } from '../jobs/job-handler.js';
import type { WorkflowEngine } from './workflow-engine.js';

/**
 * The `workflow` job kind: advances one run as far as it goes — until it waits for an
 * approval, ends, or another worker took it over. A worker that dies mid-run leaves the job's
 * lease to lapse; the next claim resumes from the journal.
 */
export class WorkflowJobHandler implements JobHandler {
  constructor(private readonly engine: WorkflowEngine) {}

  async run(run: JobRun): Promise<JobOutcome> {
    if (run.input.kind !== 'workflow') throw new BreakwaterError('INTERNAL_ERROR', `Job ${run.job.id} is not a workflow job.`);
    const outcome = await this.engine.advance(run.input.runId, run.key, run.signal);
    return { result: { run_id: run.input.runId, outcome } };
  }
}
