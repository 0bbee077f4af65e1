import type { CountryCode } from 'libphonenumber-js/max';
import { BreakwaterError } from '../errors/breakwater-error.js';
import type { ChatMessage, ChatRequest } from '../../wire/chat.js';
import { detectPii, resolveOverlaps } from './detect.js';
import { phoneWorkPerRequest, type PhoneBudget } from './detectors/phone.js';
import { nlpNameFinder } from './nlp-name-finder.js';
import type { Detection, PiiCounts, PiiType } from './pii-type.js';
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
  /** Use the NLP tagger for names (default true): in a worker thread, on the first `nlpMaxChars` of the request. */
  nlp?: boolean;
  /** Countries whose national phone formats count, in order; default `defaultPhoneCountries`. International +CC numbers always count. */
  phoneRegions?: readonly string[];
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
 * Scrubs strings one policy at a time, sharing one vault, one count and one budget of phone
 * validation across every string of a request, so the same value gets the same placeholder
 * wherever it appears and a request of many texts buys no more work than one.
 */
export class TextScrubber {
  readonly counts: PiiCounts = {};
  private readonly phoneBudget: PhoneBudget = { work: phoneWorkPerRequest };
  private scanned = 0;

  constructor(
    private readonly policy: PiiPolicy,
    readonly vault: PlaceholderVault,
  ) {}

  /** Whether names should come from the tagger (`namesByNlp`) as well as the rules. */
  get wantsNlp(): boolean {
    return (this.policy.nlp ?? true) && (this.policy.types?.includes('NAME') ?? true);
  }

  /**
   * The NLP names of each text, from the tagger's thread; empty lists when the policy does
   * not want them or the tagger timed out (then the rules alone find names).
   */
  async namesByNlp(texts: readonly string[]): Promise<Detection[][]> {
    if (!this.wantsNlp || texts.length === 0) return texts.map(() => []);
    return (await nlpNameFinder.find(texts)) ?? texts.map(() => []);
  }

  /** `names`: this text's NLP names (namesByNlp). */
  async scrub(text: string, names: readonly Detection[] = []): Promise<string> {
    const found = await this.detect(text);
    const detections = names.length > 0 ? resolveOverlaps([...found, ...names]) : found;
    if (detections.length === 0) return text;
    let output = '';
    let cursor = 0;
    for (const [index, { type, start, end }] of detections.entries()) {
      // Hostile text has hundreds of thousands of values (4 MB of "12 rue A "): a turn of the loop between slices of them.
      if (index > 0 && index % detectionsPerTurn === 0) await new Promise((resolve) => setImmediate(resolve));
      this.counts[type] = (this.counts[type] ?? 0) + 1;
      const value = text.slice(start, end);
      const replacement = this.policy.mode === 'redact' ? this.vault.placeholderFor(type, value) : this.policy.mode === 'mask' ? maskValue(type, value) : value;
      output += text.slice(cursor, start) + replacement;
      cursor = end;
    }
    return output + text.slice(cursor);
  }

  /**
   * The rules over every character, a window at a time with a turn of the event loop
   * between windows: each rule is linear, but at 100-200 ms per MB on hostile text a 4 MB
   * body scanned in one go would hold the loop for most of a second.
   */
  private async detect(text: string): Promise<Detection[]> {
    const options = {
      ...(this.policy.types ? { types: this.policy.types } : {}),
      ...(this.policy.phoneRegions ? { phoneCountries: this.policy.phoneRegions as readonly CountryCode[] } : {}),
      nlp: false,
      phoneBudget: this.phoneBudget,
    };
    if (text.length <= windowLength) {
      await this.pace(text.length);
      return detectPii(text, options);
    }
    const found: Detection[] = [];
    for (let start = 0; start < text.length; start += windowLength) {
      await this.pace(windowLength);
      // A window starts a little early, so lookbehinds and "call …" cues see what precedes
      // it, and ends a little late, so a value that starts in it is seen whole; only values
      // starting in the window itself are kept (the neighbours keep theirs).
      const from = Math.max(0, start - windowLead);
      const window: Detection[] = [];
      for (const detection of detectPii(text.slice(from, Math.min(text.length, start + windowLength + windowOverlap)), options)) {
        const at = detection.start + from;
        if (at >= start && at < start + windowLength) window.push({ type: detection.type, start: at, end: detection.end + from });
      }
      joinWindows(found, window, start);
    }
    return found;
  }

  /** Yields to the event loop once a window's worth of text has been scanned since the last time. */
  private async pace(length: number): Promise<void> {
    this.scanned += length;
    if (this.scanned <= windowLength) return;
    this.scanned = length;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * `earlier` and `window` (whose values start at `start` or later) are each free of overlaps;
 * only values of `earlier` reaching past `start` can overlap the window's first ones, so only
 * those few are resolved again (resolving all of a 4 MB text's values at once took ~60 ms).
 */
function joinWindows(earlier: Detection[], window: Detection[], start: number): Detection[] {
  let tail = earlier.length;
  while (tail > 0 && earlier[tail - 1]!.end > start) tail--;
  let reach = start;
  for (let index = tail; index < earlier.length; index++) reach = Math.max(reach, earlier[index]!.end);
  let head = 0;
  while (head < window.length && window[head]!.start < reach) head++;
  if (head > 0) {
    const resolved = resolveOverlaps([...earlier.slice(tail), ...window.slice(0, head)]);
    earlier.length = tail;
    for (const detection of resolved) earlier.push(detection);
  }
  for (let index = head; index < window.length; index++) earlier.push(window[index]!);
  return earlier;
}

const detectionsPerTurn = 16_384;

/**
 * 16 K per window. The rules cost ~1-2 µs per character on prose with a phone number per
 * sentence (libphonenumber checks each candidate), ~30 ms per 16 K on a loaded 2-core machine;
 * 64 K windows held the loop 120 ms and more.
 */
export const windowLength = 16_384;
/** Longer than any lookbehind or context the rules read before a value (40 characters). */
const windowLead = 64;
/** Longer than any value the rules find (a PEM private key of a 4096-bit RSA key is ~3.3 K). */
const windowOverlap = 4_096;

/**
 * Applies `policy` to every message text of a chat request (string content, text parts, and
 * assistant tool-call arguments). `block` throws `PII_BLOCKED` when anything is found.
 */
export async function scrubChatRequest(request: ChatRequest, policy: PiiPolicy): Promise<ScrubResult> {
  const scrubber = new TextScrubber(policy, new PlaceholderVault(placeholdersIn(request.messages)));
  const texts: string[] = [];
  for (const message of request.messages) scrubMessage(message, (text) => (texts.push(text), text));
  const names = await scrubber.namesByNlp(texts);
  const scrubbed: string[] = [];
  for (const [index, text] of texts.entries()) scrubbed.push(await scrubber.scrub(text, names[index]));
  let index = 0;
  const messages = request.messages.map((message) => scrubMessage(message, () => scrubbed[index++]!));
  throwIfBlocked(policy, scrubber.counts);
  const changed = messages.some((message, position) => message !== request.messages[position]);
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

/** Rewrites each text of a message with `rewrite`, in a fixed order (content, then tool-call arguments). */
function scrubMessage(message: ChatMessage, rewrite: (text: string) => string): ChatMessage {
  let changed = false;
  const scrub = (text: string) => {
    const scrubbed = rewrite(text);
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
