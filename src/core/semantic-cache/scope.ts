import { createHash } from 'node:crypto';
import type { ChatMessage, ChatRequest } from '../../wire/chat.js';
import { canonicalJson } from '../canonical-json.js';
import { anchorSignature, extractAnchors, type Anchors } from './anchors.js';
import { detectLanguage, languageEvidence } from './language.js';
import { normaliseText } from './normalise.js';
import { extractRoles, type Roles } from './roles.js';

/**
 * Request fields that change what a right answer looks like, so they split the scope: the
 * answer's format and tools, its length cap and stop sequences, reasoning and verbosity.
 * Sampling knobs (temperature, top_p, seed, penalties) do not: a cached answer is one valid
 * sample of the same question. `metadata.prompt_version` names the version of the
 * application's prompt template; it is the one metadata key that splits the scope.
 */
const answerShaping = [
  'response_format',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'functions',
  'function_call',
  'modalities',
  'audio',
  'prediction',
  'web_search_options',
  'logprobs',
  'top_logprobs',
  'logit_bias',
  'stop',
  'max_tokens',
  'max_completion_tokens',
  'reasoning_effort',
  'verbosity',
] as const;

/** A chat request as the semantic cache sees it. */
export interface CacheablePrompt {
  /** Hash of everything that must be equal for a hit: tenant, alias, prompt version, answer shape, earlier turns. */
  scope: string;
  /** The last user message, normalised: what is embedded. */
  text: string;
  anchors: Anchors;
  signature: string;
  /** Who does what to whom, in order (roles.ts). */
  roles: Roles;
  /** The language the question is written in, when clear (language.ts). */
  language: string | undefined;
  /** Every language the prompt shows signs of, told or not (language.ts). */
  languages: string[];
}

/**
 * The scope and the question of a request, or undefined when it cannot be cached by meaning:
 * the last message is not the user's, or some message carries something other than text
 * (an image with the same caption is another question). Only the last user message is
 * embedded; the system prompt and earlier turns must match exactly (after normalisation),
 * since a long shared system prompt would otherwise make every question look alike.
 */
export function describePrompt(request: ChatRequest, tenant: string, alias: string): CacheablePrompt | undefined {
  const last = request.messages.at(-1);
  if (last?.role !== 'user') return undefined;
  const question = textOf(last.content);
  if (question === undefined || question.trim() === '' || question.length > maxQuestionLength) return undefined;
  const earlier: string[] = [];
  let earlierLength = 0;
  for (const message of request.messages.slice(0, -1)) {
    const text = message.content === null || message.content === undefined ? '' : textOf(message.content);
    if (text === undefined) return undefined;
    earlierLength += text.length;
    if (earlierLength > maxEarlierLength) return undefined;
    earlier.push(canonicalJson({ ...message, content: normalisedEarlier(text) }));
  }
  const shape: Record<string, unknown> = {};
  for (const field of answerShaping) shape[field] = request[field];
  const scope = createHash('sha256')
    .update(`${tenant}\0${alias}\0${request.metadata?.prompt_version ?? ''}\0`)
    .update(canonicalJson(shape))
    .update('\0')
    .update(earlier.join('\n'))
    .digest('base64url');
  const anchors = extractAnchors(question);
  const language = detectLanguage(question);
  return {
    scope,
    // In the question's language, synonyms meet their rows by stem too (synonyms.ts).
    text: normaliseText(question, language),
    anchors,
    signature: anchorSignature(anchors),
    roles: extractRoles(question, language),
    language,
    languages: languageEvidence(question),
  };
}

/**
 * Longer questions, or longer earlier turns, are not cached by meaning. Normalising, anchoring
 * and embedding cost 0.2-1.2 µs per character (a 4 MB question held the event loop for
 * seconds, twice: lookup and store), and a question that long is a document, not one that
 * is asked again in other words. The exact cache still serves it.
 */
export const maxQuestionLength = 8_192;
const maxEarlierLength = 32_768;

/**
 * Earlier turns normalised, by their text: an app sends its system prompt verbatim on every
 * call, and normalising it (0.2-1.2 µs per character) cost each lookup and store again. Bounded
 * by characters kept, the least recently used out first.
 */
const earlierTexts = new Map<string, string>();
let earlierCharacters = 0;
const maxEarlierCharacters = 1 << 20;

function normalisedEarlier(text: string): string {
  const known = earlierTexts.get(text);
  if (known !== undefined) {
    earlierTexts.delete(text);
    earlierTexts.set(text, known);
    return known;
  }
  const normalised = normaliseText(text);
  earlierTexts.set(text, normalised);
  earlierCharacters += text.length + normalised.length;
  for (const [oldest, value] of earlierTexts) {
    if (earlierCharacters <= maxEarlierCharacters) break;
    earlierTexts.delete(oldest);
    earlierCharacters -= oldest.length + value.length;
  }
  return normalised;
}

function textOf(content: ChatMessage['content']): string | undefined {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let text = '';
  for (const part of content) {
    if (part.type !== 'text' || typeof (part as { text?: unknown }).text !== 'string') return undefined;
    text += `${text ? '\n' : ''}${(part as { text: string }).text}`;
  }
  return text;
}
