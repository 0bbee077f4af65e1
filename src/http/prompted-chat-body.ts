import type { App } from '../app.js';
import type { VirtualKey } from '../core/ports/store.js';
import { promptedChatBody, type ServedPrompt } from '../core/prompts/prompted-request.js';
import { z } from 'zod';
import { chatPromptReferenceSchema } from '../wire/prompts.js';
import { parseBody } from './parse-body.js';

/** The reference inside a body, so refusals name `prompt.<field>`. */
const referenceBody = z.object({ prompt: chatPromptReferenceSchema });

/**
 * A chat body with a `prompt` reference becomes the body the prompt version renders (its
 * messages, model, parameters and schema under the request's own); any other body passes
 * unchanged. Validation of the result is the chat route's as usual.
 */
export async function resolvePromptedBody(app: App, key: VirtualKey, body: Record<string, unknown>): Promise<{ body: unknown; prompt: ServedPrompt }> {
  const { prompt: rawReference, ...rest } = body;
  const { prompt: reference } = parseBody(referenceBody, { prompt: rawReference });
  const label = reference.version === undefined ? (reference.label ?? 'production') : null;
  const version = await app.prompts.resolve(key.tenant, label === null ? { name: reference.name, version: reference.version! } : { name: reference.name, label });
  return {
    body: promptedChatBody(version, reference.variables, rest),
    prompt: { name: version.name, version: version.version, label, variables: reference.variables, renderedMessages: version.messages.length },
  };
}

/** True for a JSON object with a `prompt` field. */
export function hasPrompt(body: unknown): body is Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body) && 'prompt' in body;
}
