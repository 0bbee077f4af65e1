import type { ChatMessage, ChatRequest } from '../../../wire/chat.js';
import { codeCues, constraintCount, cuesIn, mathCues, numberCount, personalSituation, reasoningCues, riskCues, simpleTaskCues, splitAsk, wordCount } from './cues.js';
import { hashedNgrams } from './hashed-ngrams.js';
import { schemaComplexity, type SchemaComplexity } from './schema-complexity.js';

/** What the caller knows beyond the request body: headers, the budget, the tokenizer's count. */
export interface RouteHints {
  /** `x-breakwater-route-hint`: a tier name (`small`, `large`, …). */
  tier?: string | undefined;
  /** `x-breakwater-latency-target-ms`. */
  latencyTargetMs?: number | undefined;
}

export interface FeatureInputs extends RouteHints {
  /** The gateway's prompt estimate (context.estimatedInputTokens). */
  promptTokens: number;
  /** Share of the key's budget still free, 0..1; undefined when the key has no budget. */
  budgetHeadroom?: number | undefined;
}

/** Everything the router decides on; each field can be named in a reason. */
export interface RouteFeatures {
  promptTokens: number;
  /** User turns in the conversation (1 for a single question). */
  turns: number;
  /** Cue names found in the task (the last user message); see cues.ts. */
  codeCues: string[];
  mathCues: string[];
  reasoningCues: string[];
  /** Risk domains the task is about (health, legal, finance, safety, security). */
  riskCues: string[];
  /** Asks small models answer well (translate, reword, define, classify): see cues.ts. */
  simpleTaskCues: string[];
  /** Words of the system and developer messages: an application's framing (a classifier's label list, a support bot's articles). */
  systemWords: number;
  /** Requirements stacked on one answer ("must", "without", "at most", …): see constraintCount. */
  constraints: number;
  /**
   * The task's words and word pairs, hashed into buckets (sorted, distinct): what the learned
   * scorer reads besides the named features. Bucket numbers, never words, so a stored vector
   * (route feedback) holds no prompt text.
   */
  ngrams: number[];
  /** Words of the instruction (the ask, without pasted material: see splitAsk). */
  instructionWords: number;
  /** Words of the material pasted before or after the ask (a document, notes, a table). */
  materialWords: number;
  /** Code, maths, reasoning and risk cues of the ask alone (those of the task minus these were in the material). */
  askCues: number;
  /** Question marks in the ask: several questions at once ask for more. */
  questions: number;
  /** Lines of the ask that are list items (`-`, `*`, `1.`): enumerated requirements. */
  listItems: number;
  /** The ask speaks of the writer's own situation (first person, in the languages of cues.ts). */
  personal: boolean;
  /** Risk-domain cues of the ask alone. */
  askRiskCues: string[];
  /** Numbers in the instruction: quantities to reason over. */
  numbers: number;
  /** Code earlier in the conversation (a follow-up to a debugging session). */
  codeInHistory: boolean;
  schema: SchemaComplexity | undefined;
  tools: number;
  toolChoice: 'none' | 'auto' | 'required' | 'function' | undefined;
  hint: string | undefined;
  latencyTargetMs: number | undefined;
  budgetHeadroom: number | undefined;
}

/**
 * The router reads the task from the last user message: the system prompt is the same for
 * every request of an application (and often says "think step by step"), and retrieved
 * documents in a system message describe the knowledge, not the task.
 */
export function extractFeatures(request: ChatRequest, inputs: FeatureInputs): RouteFeatures {
  const messages = request.messages;
  let lastUser = -1;
  let turns = 0;
  for (let index = 0; index < messages.length; index++) {
    if (messages[index]!.role === 'user') {
      lastUser = index;
      turns++;
    }
  }
  const task = lastUser >= 0 ? boundedView(textOf(messages[lastUser]!)) : '';
  let codeInHistory = false;
  for (let index = 0; index < messages.length && !codeInHistory; index++) {
    const message = messages[index]!;
    if (index === lastUser || (message.role !== 'user' && message.role !== 'assistant')) continue;
    codeInHistory = /```/.test(textOf(message));
  }
  const { ask: instruction, material } = splitAsk(task);
  let systemWords = 0;
  for (const message of messages) if (message.role === 'system' || message.role === 'developer') systemWords += wordCount(boundedView(textOf(message)));
  // Without pasted material the ask is the task: its cues are the task's, not read twice.
  const found = { code: cuesIn(codeCues, task), maths: cuesIn(mathCues, task), reasoning: cuesIn(reasoningCues, task), risk: cuesIn(riskCues, task) };
  const inAsk =
    material === ''
      ? found
      : { code: cuesIn(codeCues, instruction), maths: cuesIn(mathCues, instruction), reasoning: cuesIn(reasoningCues, instruction), risk: cuesIn(riskCues, instruction) };
  const format = request.response_format;
  const toolChoice = request.tool_choice;
  return {
    promptTokens: inputs.promptTokens,
    turns,
    codeCues: found.code,
    mathCues: found.maths,
    reasoningCues: found.reasoning,
    riskCues: found.risk,
    simpleTaskCues: cuesIn(simpleTaskCues, instruction),
    systemWords,
    // Requirements of the ask: a pasted contract's "must" and "never" bind its parties, not the answer.
    constraints: constraintCount(instruction),
    ngrams: hashedNgrams(instruction),
    instructionWords: wordCount(instruction),
    materialWords: wordCount(material),
    askCues: inAsk.code.length + inAsk.maths.length + inAsk.reasoning.length + inAsk.risk.length,
    questions: (instruction.match(/[?？]/g) ?? []).length,
    listItems: (instruction.match(/^[ \t]*(?:[-*•]|\d{1,2}[.)])[ \t]+\S/gm) ?? []).length,
    personal: personalSituation.test(instruction),
    askRiskCues: inAsk.risk,
    numbers: numberCount(instruction),
    codeInHistory,
    schema: format?.type === 'json_schema' ? schemaComplexity(format.json_schema.schema ?? {}) : undefined,
    tools: request.tools?.length ?? 0,
    toolChoice: toolChoice === undefined ? undefined : typeof toolChoice === 'string' ? toolChoice : 'function',
    hint: inputs.tier?.trim().toLowerCase() || undefined,
    latencyTargetMs: inputs.latencyTargetMs !== undefined && Number.isFinite(inputs.latencyTargetMs) && inputs.latencyTargetMs > 0 ? inputs.latencyTargetMs : undefined,
    budgetHeadroom: inputs.budgetHeadroom === undefined ? undefined : Math.min(1, Math.max(0, inputs.budgetHeadroom)),
  };
}

/**
 * What the cues read of a long task: its first and last 8 K characters (some 1,500 words each).
 * Some forty patterns run over the task, so reading all of a 4 MB message held the event loop
 * ~300 ms, and 2 × 32 K still 40-80 ms under load; the ask sits at the start or the end of a
 * long prompt (a document pasted in the middle), and the prompt's size already reaches the
 * router as `promptTokens`.
 */
export function boundedView(text: string): string {
  if (text.length <= 2 * cueWindow) return text;
  return `${text.slice(0, cueWindow)}\n${text.slice(-cueWindow)}`;
}

const cueWindow = 8_192;

function textOf(message: ChatMessage): string {
  const content = message.content;
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let text = '';
  for (const part of content) if (part.type === 'text' && typeof part.text === 'string') text += `${part.text}\n`;
  return text;
}
