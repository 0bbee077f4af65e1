import type { App } from '../app.js';
import { BreakwaterError } from '../core/errors/breakwater-error.js';
import { GroundedChat } from '../core/retrieval/grounded-chat.js';
import { type ChatRetrieval, chatRetrievalSchema } from '../wire/collections.js';
import { parseBody } from './parse-body.js';

/**
 * Splits a chat body's `retrieval` option (docs/retrieval.md) from the OpenAI fields, validated;
 * undefined when the body has none, so plain chat bodies pay one property check.
 */
export function takeRetrieval(body: unknown): { option: ChatRetrieval; rest: Record<string, unknown> } | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body) || !Object.hasOwn(body, 'retrieval')) return undefined;
  const { retrieval, ...rest } = body as Record<string, unknown>;
  try {
    return { option: parseBody(chatRetrievalSchema, retrieval), rest };
  } catch (error) {
    if (!BreakwaterError.isInstance(error)) throw error;
    const param = error.param ? `retrieval.${error.param}` : 'retrieval';
    throw new BreakwaterError('INVALID_REQUEST', error.message.replaceAll(`'${error.param}'`, `'${param}'`), { param });
  }
}

export function groundedChat(app: App): GroundedChat {
  if (!app.retrieval) {
    throw new BreakwaterError(
      'RETRIEVAL_UNAVAILABLE',
      'retrieval is off on this server: set retrieval.enabled: true (a PostgreSQL store also needs the pgvector extension); see docs/retrieval.md.',
      {
        param: 'retrieval',
      },
    );
  }
  return new GroundedChat(app.retrieval.collections);
}
