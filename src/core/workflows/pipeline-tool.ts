import { BreakwaterError } from '../errors/breakwater-error.js';
import { extract } from '../extraction/extract.js';
import { extractionFailedError } from '../extraction/extraction-failed-error.js';
import type { Gateway } from '../gateway/gateway.js';
import type { Pipeline } from '../pipelines/pipeline.js';
import type { VirtualKey } from '../ports/store.js';
import { pipelineMessages } from '../prompts/pipeline-prompt.js';
import type { PromptRegistry } from '../prompts/prompt-registry.js';

/** The configured pipelines a workflow's pipeline tools run (known once the job engine is built). */
export interface PipelineCatalog {
  pipelines: ReadonlyMap<string, Pipeline>;
  prompts?: PromptRegistry | undefined;
}

/** Arguments of a pipeline tool: the document's text (and a name the prompt may show). */
export interface PipelineToolArgs {
  text: string;
  filename?: string;
}

export interface PipelineToolResult {
  /** The record, valid against the pipeline's schema (extraction validates, repairs and re-asks). */
  record: unknown;
  prompt_version: number;
  extraction_attempts: number;
  costUsd: number;
}

/**
 * Runs a configured pipeline's extraction as a workflow tool: the pipeline's prompt (a
 * registry label is resolved now) over `args.text`, its model route and extraction strategy
 * (native JSON schema, grammar or prompt; validate → repair → re-ask), through the gateway as
 * the run's key. The record comes back as the tool's result and is journaled like any result;
 * the pipeline's sinks are not written (the workflow decides what happens with the record).
 */
export async function runPipelineTool(
  catalog: PipelineCatalog | undefined,
  gateway: Gateway,
  name: string,
  args: PipelineToolArgs,
  call: { requestId: string; key: VirtualKey; signal: AbortSignal },
): Promise<PipelineToolResult> {
  const pipeline = catalog?.pipelines.get(name);
  if (!pipeline) throw new BreakwaterError('PIPELINE_NOT_FOUND', `The pipeline "${name}" a workflow tool runs is not configured on this worker.`, { retryable: false });
  if (typeof args.text !== 'string') throw new BreakwaterError('INVALID_REQUEST', `A pipeline tool's arguments need text (the document), a string.`, { retryable: false });
  const route = gateway.resolve(pipeline.model, call.key);
  const prompt = await pipelineMessages(pipeline, catalog?.prompts, { document: args.text, filename: args.filename ?? 'document' });
  let costUsd = 0;
  const result = await extract(
    {
      schemaName: pipeline.name,
      schema: pipeline.schema,
      messages: prompt.messages,
      strategy: pipeline.extraction.strategy,
      nativeJsonSchema: route.deployments.every((candidate) => candidate.provider.capabilities.jsonSchema),
      grammarDecoding: route.deployments.every((candidate) => candidate.provider.capabilities.grammar === true),
      maxAttempts: pipeline.extraction.maxAttempts,
      ...(pipeline.extraction.temperature === undefined ? {} : { temperature: pipeline.extraction.temperature }),
      ...(pipeline.extraction.maxOutputTokens === undefined ? {} : { maxOutputTokens: pipeline.extraction.maxOutputTokens }),
    },
    async (request, attempt) => {
      const { context, outcome } = await gateway.call({
        requestId: `${call.requestId}.${attempt}`,
        key: call.key,
        input: { operation: 'chat', request: { ...request, model: pipeline.model } },
        stream: false,
        cacheControl: { noStore: false, noCache: attempt > 1 },
        signal: call.signal,
        startedAt: performance.now(),
        prompt: prompt.served,
      });
      costUsd += context.costUsd;
      if (outcome.kind !== 'completion') throw new BreakwaterError('INTERNAL_ERROR', 'Extraction got a non-completion answer.');
      return outcome.completion;
    },
    () => {},
  );
  if (!result.ok) throw extractionFailedError(pipeline.name, result);
  return { record: result.record, prompt_version: prompt.version, extraction_attempts: result.attempts.length, costUsd };
}
