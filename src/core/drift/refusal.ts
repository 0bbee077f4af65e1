import type { ChatCompletion } from '../../wire/chat.js';

/**
 * A refusal sentence at the start of an answer (English, the common model phrasings). Only the
 * first 300 characters are read: a refusal opens the answer, and the check stays cheap.
 */
const refusalOpening =
  /^\s*(?:(?:i'?m|i am) sorry,?(?: but)?|sorry,?(?: but)?|unfortunately,?)?\s*(?:i|we)\s+(?:can(?:no|')?t|cannot|am unable to|'m unable to|am not able to|won'?t|will not|must decline to)\s+(?:help|assist|comply|provide|do that|fulfil|fulfill|answer|support|create|generate|share)/i;

/** True when the answer refused: the `refusal` field, a content-filter stop, or a refusal sentence opening it. */
export function isRefusal(completion: ChatCompletion): boolean {
  const choice = completion.choices[0];
  if (!choice) return false;
  if (choice.message.refusal) return true;
  if (choice.finish_reason === 'content_filter') return true;
  const text = choice.message.content;
  return typeof text === 'string' && refusalOpening.test(text.slice(0, 300));
}
