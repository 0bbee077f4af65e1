import { BreakwaterError } from '../errors/breakwater-error.js';
import type { PromptVersion } from '../ports/prompt-registry.js';
import { renderPrompt } from './render-prompt.js';

/** The registry version a call was served with, for the ledger, the headers and job records. */
export interface ServedPrompt {
  name: string;
  version: number;
  /** The label the request named, when it named one. */
  label: string | null;
  /** The variables it was rendered with, and how many messages the template made (a shadow re-renders another version). */
  variables?: Record<string, unknown>;
  renderedMessages?: number;
}

/**
 * A chat body built from a prompt version: its rendered messages first, then the request's own
 * messages (a conversation continuing from the template); the version's model, parameters and
 * response schema wherever the request sets none of its own.
 */
export function promptedChatBody(version: PromptVersion, variables: Record<string, unknown>, body: Record<string, unknown>): Record<string, unknown> {
  const rendered = renderPrompt(version, variables);
  const own = Array.isArray(body.messages) ? (body.messages as unknown[]) : [];
  if (body.messages !== undefined && !Array.isArray(body.messages)) {
    throw new BreakwaterError('INVALID_REQUEST', "With a prompt, 'messages' is optional, and when given it must be an array of messages that follow the prompt's own.", {
      param: 'messages',
    });
  }
  const merged: Record<string, unknown> = { ...version.parameters, ...body, messages: [...rendered, ...own] };
  if (merged.model === undefined) {
    if (version.model === null) {
      throw new BreakwaterError('INVALID_REQUEST', `Missing required parameter: 'model' (the prompt ${version.name} v${version.version} names no model alias).`, {
        param: 'model',
      });
    }
    merged.model = version.model;
  }
  if (version.responseSchema && body.response_format === undefined) {
    merged.response_format = {
      type: 'json_schema',
      json_schema: { name: version.name.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64), schema: version.responseSchema },
    };
  }
  return merged;
}
