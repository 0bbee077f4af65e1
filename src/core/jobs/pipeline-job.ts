import { randomBytes } from 'node:crypto';
import { BreakwaterError } from '../errors/breakwater-error.js';
import type { Gateway } from '../gateway/gateway.js';
import { extract } from '../extraction/extract.js';
import { extractionFailedError } from '../extraction/extraction-failed-error.js';
import type { DocumentLimits, DocumentReader } from '../ports/document-loader.js';
import type { StoredRecord } from '../ports/record-store.js';
import type { RecordProvenance } from '../ports/record-sink.js';
import type { Pipeline } from '../pipelines/pipeline.js';
import { pipelineMessages } from '../prompts/pipeline-prompt.js';
import type { PromptRegistry } from '../prompts/prompt-registry.js';
import type { ChatMessage } from '../../wire/chat.js';
import type { JobHandler, JobOutcome, JobRun } from './job-handler.js';
import { webhookEntry } from './job-webhooks.js';
import { toWireRecord } from './job-view.js';

export interface PipelineJobOptions {
  /** Resolves pipelines' `prompt: name@label` when each job runs. */
  prompts?: PromptRegistry;
  gateway: Gateway;
  pipelines: ReadonlyMap<string, Pipeline>;
  documents: DocumentReader;
  limits: DocumentLimits;
  now?: () => number;
}

/**
 * A pipeline job: read the document → render the versioned prompt → extract a record that
 * validates against the pipeline's schema (through the gateway, as the submitting key) →
 * write it to every sink. An invalid record is never written: extraction either returns a
 * record the validator accepted or fails the job with the raw output and the errors.
 */
export class PipelineJobHandler implements JobHandler {
  private readonly now: () => number;

  constructor(private readonly options: PipelineJobOptions) {
    this.now = options.now ?? Date.now;
  }

  async run(run: JobRun): Promise<JobOutcome> {
    const { job, input } = run;
    const pipeline = this.options.pipelines.get(job.pipeline ?? '');
    if (!pipeline) {
      throw new BreakwaterError('PIPELINE_NOT_FOUND', `The pipeline "${job.pipeline}" of job ${job.id} is no longer configured.`, { retryable: false });
    }
    if (input.kind !== 'pipeline') throw new BreakwaterError('INTERNAL_ERROR', `Job ${job.id} is not a pipeline job.`);

    await run.progress('reading document');
    const text =
      'text' in input
        ? input.text
        : (
            await this.options.documents.load(
              {
                ...(input.document.name ? { name: input.document.name } : {}),
                ...(input.document.mediaType ? { mediaType: input.document.mediaType } : {}),
                bytes: Buffer.from(input.document.data, 'base64'),
              },
              this.options.limits,
              pipeline.accepts,
            )
          ).text;

    const route = this.options.gateway.resolve(pipeline.model, run.key);
    const prompt = await pipelineMessages(pipeline, this.options.prompts, { document: text, filename: job.source ?? 'document' });
    const messages: ChatMessage[] = prompt.messages;
    let costUsd = 0;
    let deployment: string | null = null;
    const progress: Promise<void>[] = [];
    const result = await extract(
      {
        schemaName: pipeline.name,
        schema: pipeline.schema,
        messages,
        strategy: pipeline.extraction.strategy,
        nativeJsonSchema: route.deployments.every((candidate) => candidate.provider.capabilities.jsonSchema),
        grammarDecoding: route.deployments.every((candidate) => candidate.provider.capabilities.grammar === true),
        maxAttempts: pipeline.extraction.maxAttempts,
        ...(pipeline.extraction.temperature === undefined ? {} : { temperature: pipeline.extraction.temperature }),
        ...(pipeline.extraction.maxOutputTokens === undefined ? {} : { maxOutputTokens: pipeline.extraction.maxOutputTokens }),
      },
      async (request, attempt) => {
        await Promise.all(progress.splice(0));
        const { context, outcome } = await this.options.gateway.call({
          requestId: `${job.id}.${run.attempt}.${attempt}`,
          key: run.key,
          input: { operation: 'chat', request: { ...request, model: pipeline.model } },
          stream: false,
          // A re-ask must reach the model, never the cache's copy of the answer that failed.
          cacheControl: { noStore: false, noCache: attempt > 1 },
          signal: run.signal,
          startedAt: performance.now(),
          prompt: prompt.served,
          origin: { pipeline: pipeline.name, attempt },
        });
        costUsd += context.costUsd;
        deployment = context.progress.deployment?.id ?? deployment;
        if (outcome.kind !== 'completion') throw new BreakwaterError('INTERNAL_ERROR', 'Extraction got a non-completion answer.');
        return outcome.completion;
      },
      (label) => {
        const step = run.progress(label);
        step.catch(() => {}); // awaited before the next call; this only keeps Node from calling it unhandled meanwhile
        progress.push(step);
      },
    );
    await Promise.all(progress.splice(0));
    if (!result.ok) throw extractionFailedError(pipeline.name, result);

    const createdAt = this.now();
    const provenance: RecordProvenance = {
      jobId: job.id,
      tenant: job.tenant,
      pipeline: pipeline.name,
      promptVersion: prompt.version,
      model: pipeline.model,
      deployment,
      attempts: result.attempts.length,
      inputTokens: result.usage.inputTokens,
      outputTokens: result.usage.outputTokens,
      costUsd,
      source: job.source,
      createdAt,
    };
    const stored: StoredRecord = { id: `rec_${randomBytes(10).toString('hex')}`, ...provenance, data: result.record };
    await run.progress('saving record');
    for (const sink of pipeline.sinks) {
      if (sink.type === 'external') await sink.sink.write({ record: result.record, provenance, schema: pipeline.schema });
    }
    const hasStore = pipeline.sinks.some((sink) => sink.type === 'store');
    const webhookSinks = pipeline.sinks.flatMap((sink) => (sink.type === 'webhook' ? [sink.url] : []));
    return {
      result: {
        record_id: hasStore ? stored.id : null,
        record: result.record,
        extraction_attempts: result.attempts.length,
        cost_usd: costUsd,
        ...(prompt.served ? { prompt: { name: prompt.served.name, version: prompt.served.version, label: prompt.served.label } } : {}),
      },
      ...(hasStore ? { record: stored } : {}),
      ...(webhookSinks.length > 0 ? { webhooks: () => webhookSinks.map((url) => webhookEntry(url, 'record.created', toWireRecord(stored), createdAt)) } : {}),
    };
  }
}
