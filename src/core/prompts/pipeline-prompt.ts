import { BreakwaterError } from '../errors/breakwater-error.js';
import { type Pipeline, renderPrompt as renderInline } from '../pipelines/pipeline.js';
import type { ChatMessage } from '../../wire/chat.js';
import type { PromptRegistry } from './prompt-registry.js';
import type { ServedPrompt } from './prompted-request.js';
import { renderPrompt } from './render-prompt.js';

/**
 * A pipeline job's messages: its inline prompt, or the shared registry version its `name@label`
 * points at when the job runs (so a label move reaches the next job), rendered with the
 * document and filename (the variables such a prompt may declare). Returns the version served,
 * for the ledger and the record.
 */
export async function pipelineMessages(
  pipeline: Pipeline,
  prompts: PromptRegistry | undefined,
  values: { document: string; filename: string },
): Promise<{ messages: ChatMessage[]; version: number; served: ServedPrompt | undefined }> {
  const prompt = pipeline.prompt;
  if (!('registry' in prompt)) {
    return {
      messages: [
        { role: 'system', content: prompt.system },
        { role: 'user', content: renderInline(prompt.template, values) },
      ],
      version: prompt.version,
      served: undefined,
    };
  }
  if (!prompts) throw new BreakwaterError('CONFIG_INVALID', `The pipeline "${pipeline.name}" names a registry prompt, but no prompt registry is available here.`);
  let version: Awaited<ReturnType<PromptRegistry['resolve']>>;
  try {
    version = await prompts.resolve(null, prompt.registry);
  } catch (error) {
    // A missing prompt or label will not appear by retrying the job in a few seconds.
    if (BreakwaterError.isInstance(error) && error.code === 'PROMPT_NOT_FOUND') {
      throw new BreakwaterError('PROMPT_NOT_FOUND', `The pipeline "${pipeline.name}" uses a shared prompt that does not exist: ${error.message}`, { retryable: false });
    }
    throw error;
  }
  const variables = Object.fromEntries(Object.entries(values).filter(([name]) => Object.hasOwn(version.variables, name)));
  const label = 'label' in prompt.registry ? prompt.registry.label : null;
  return {
    messages: renderPrompt(version, variables) as ChatMessage[],
    version: version.version,
    served: { name: version.name, version: version.version, label },
  };
}
