import { BreakwaterError } from '../errors/breakwater-error.js';
import type { ChatMessage, ChatRequest } from '../../wire/chat.js';
import { detectPii } from './detect.js';
import type { PiiCounts, PiiType } from './pii-type.js';
import { PlaceholderVault, placeholderPattern } from './placeholder-vault.js';

/**
 * What to do with personal data in a request, per key or route.
 * - `redact`: reversible — each value becomes `<TYPE_n>` and the answer gets the values back.
 * - `mask`: irreversible — `[EMAIL]`, `[PHONE]`…; cards keep their last four digits (`**** **** **** 1234`).
 * - `block`: refuse the request (400 `PII_BLOCKED`) with counts by type, never values.
 * - `log`: send the request unchanged, only count.
 */
export interface PiiPolicy {
  mode: 'redact' | 'mask' | 'block' | 'log';
  /** Types the policy applies to; default all. */
  types?: readonly PiiType[];
  /** Use the NLP tagger for names (default true). */
  nlp?: boolean;
}

export interface ScrubResult {
  /** A new request (the input is not modified); the same object when nothing changed. */
  request: ChatRequest;
  counts: PiiCounts;
  /** Placeholders of this request, for restoring the answer; empty unless `redact`. */
  vault: PlaceholderVault;
}

/** Irreversible replacement for `mask`. */
export function maskValue(type: PiiType, value: string): string {
  if (type === 'CARD') return `**** **** **** ${value.replace(/\D/g, '').slice(-4)}`;
  return `[${type}]`;
}

/**
 * Scrubs strings one policy at a time, sharing one vault and one count across every string of
 * a request, so the same value gets the same placeholder wherever it appears.
 */
export class TextScrubber {
  readonly counts: PiiCounts = {};

  constructor(
    private readonly policy: PiiPolicy,
    readonly vault: PlaceholderVault,
  ) {}

  scrub(text: string): string {
    const detections = detectPii(text, { ...(this.policy.types ? { types: this.policy.types } : {}), nlp: this.policy.nlp ?? true });
    if (detections.length === 0) return text;
    let output = '';
    let cursor = 0;
    for (const { type, start, end } of detections) {
      this.counts[type] = (this.counts[type] ?? 0) + 1;
      const value = text.slice(start, end);
      const replacement = this.policy.mode === 'redact' ? this.vault.placeholderFor(type, value) : this.policy.mode === 'mask' ? maskValue(type, value) : value;
      output += text.slice(cursor, start) + replacement;
      cursor = end;
    }
    return output + text.slice(cursor);
  }
}

/**
 * Applies `policy` to every message text of a chat request (string content, text parts, and
 * assistant tool-call arguments). `block` throws `PII_BLOCKED` when anything is found.
 */
export function scrubChatRequest(request: ChatRequest, policy: PiiPolicy): ScrubResult {
  const scrubber = new TextScrubber(policy, new PlaceholderVault(placeholdersIn(request.messages)));
  const messages = request.messages.map((message) => scrubMessage(message, scrubber));
  throwIfBlocked(policy, scrubber.counts);
  const changed = messages.some((message, index) => message !== request.messages[index]);
  return { request: changed ? { ...request, messages } : request, counts: scrubber.counts, vault: scrubber.vault };
}

export function throwIfBlocked(policy: PiiPolicy, counts: PiiCounts): void {
  if (policy.mode !== 'block' || Object.keys(counts).length === 0) return;
  const found = Object.entries(counts)
    .map(([type, count]) => `${count} ${type}`)
    .join(', ');
  throw new BreakwaterError('PII_BLOCKED', `The request contains personal data (${found}) and this key's policy blocks it; remove it and retry.`, {
    details: { detections: counts },
  });
}

function scrubMessage(message: ChatMessage, scrubber: TextScrubber): ChatMessage {
  let changed = false;
  const scrub = (text: string) => {
    const scrubbed = scrubber.scrub(text);
    if (scrubbed !== text) changed = true;
    return scrubbed;
  };
  const content = scrubContent(message.content, scrub);
  const toolCalls =
    message.role === 'assistant' && message.tool_calls
      ? message.tool_calls.map((call) => ({ ...call, function: { ...call.function, arguments: scrub(call.function.arguments) } }))
      : undefined;
  if (!changed) return message;
  return { ...message, content, ...(toolCalls ? { tool_calls: toolCalls } : {}) } as ChatMessage;
}

function scrubContent<Content extends ChatMessage['content']>(content: Content, scrub: (text: string) => string): Content {
  if (typeof content === 'string') return scrub(content) as Content;
  if (!Array.isArray(content)) return content;
  return content.map((part) => (part.type === 'text' && typeof part.text === 'string' ? { ...part, text: scrub(part.text) } : part)) as Content;
}

/** Placeholder-shaped text the client already sent, so the vault never hands out the same one. */
function placeholdersIn(messages: readonly ChatMessage[]): Set<string> {
  const taken = new Set<string>();
  const collect = (text: string) => {
    for (const match of text.matchAll(placeholderPattern)) taken.add(match[0]);
  };
  for (const message of messages) {
    if (typeof message.content === 'string') collect(message.content);
    else if (Array.isArray(message.content)) for (const part of message.content) if (part.type === 'text' && typeof part.text === 'string') collect(part.text);
    if (message.role === 'assistant') for (const call of message.tool_calls ?? []) collect(call.function.arguments);
  }
  return taken;
}
