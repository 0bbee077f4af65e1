import type { ChatCompletion, ChatMessage, ChatRequest } from '../../wire/chat.js';
import { parseModelJson } from './parse-model-json.js';
import { SchemaValidator, type ValidationIssue } from './schema-validator.js';
import { dropOptionalNulls, toStrictSchema } from './strict-schema.js';

/**
 * auto: grammar where every deployment decodes under a grammar (a local model), else native
 * where every deployment has native json_schema, else prompt.
 */
export type ExtractionStrategy = 'auto' | 'native' | 'grammar' | 'prompt';

export interface ExtractionInput {
  /** Names the schema to the model (`invoice`); also the `json_schema` name. */
  schemaName: string;
  /** JSON Schema of one record, an object at the top level. */
  schema: Record<string, unknown>;
  /** System and user messages already rendered from the pipeline's prompt template. */
  messages: ChatMessage[];
  strategy: ExtractionStrategy;
  /** Every deployment of the route supports native `json_schema` (ProviderCapabilities.jsonSchema). */
  nativeJsonSchema: boolean;
  /** Every deployment decodes under a grammar built from the whole schema (ProviderCapabilities.grammar). */
  grammarDecoding?: boolean;
  /** Total model calls, >= 1. */
  maxAttempts: number;
  maxOutputTokens?: number;
  temperature?: number;
}

/** Sends one chat request through the gateway (the engine adds the model/route). */
export type Complete = (request: Omit<ChatRequest, 'model'>, attempt: number) => Promise<ChatCompletion>;

export interface ExtractionAttempt {
  attempt: number;
  raw: string;
  outcome: 'valid' | 'repaired-valid' | 'unparseable' | 'invalid';
  issues: ValidationIssue[];
}

export interface ExtractionUsage {
  inputTokens: number;
  outputTokens: number;
}

export type ExtractionResult =
  | { ok: true; record: Record<string, unknown>; attempts: ExtractionAttempt[]; usage: ExtractionUsage }
  | { ok: false; attempts: ExtractionAttempt[]; raw: string; issues: ValidationIssue[]; usage: ExtractionUsage };

/** Issues listed in one re-ask; a model drowning in 200 errors fixes none of them. */
const reaskIssueLimit = 20;
const answerAgain = 'Answer again with only the corrected JSON object.';

/**
 * Asks the model for one record and returns it only if it validates against `input.schema`:
 * call → parse (fences, prose and near-JSON repaired) → validate → on failure re-ask with the
 * previous answer and the validation errors, up to `maxAttempts` calls. Native strategy sends
 * `response_format: json_schema` (strict variant of the schema); prompt strategy sends
 * `json_object` and the schema in a system message. An answer cut off by the output-token
 * limit (`finish_reason: "length"`) is never accepted, even if it repairs into a valid record.
 * Errors thrown by `complete` (budget, upstream down) propagate unchanged.
 *
 * `onStep` receives `extracting fields` (before call n), `validating` (after call n) and
 * `re-asking with N validation errors` (before call n + 1, with n + 1 as the attempt).
 *
 * @example
 * const result = await extract({ schemaName: 'invoice', schema, messages, strategy: 'auto', nativeJsonSchema: true, maxAttempts: 3 }, complete);
 * if (result.ok) await sink.write({ record: result.record, ... });
 */
export async function extract(input: ExtractionInput, complete: Complete, onStep: (label: string, attempt: number) => void = () => {}): Promise<ExtractionResult> {
  if (!Number.isInteger(input.maxAttempts) || input.maxAttempts < 1) throw new RangeError(`maxAttempts must be an integer >= 1, got ${input.maxAttempts}`);
  const validator = SchemaValidator.compile(input.schema);
  const grammar = input.strategy === 'grammar' || (input.strategy === 'auto' && input.grammarDecoding === true);
  const native = !grammar && (input.strategy === 'native' || (input.strategy === 'auto' && input.nativeJsonSchema));
  const name = jsonSchemaName(input.schemaName);
  const messages = native || grammar ? [...input.messages] : withSchemaInstruction(input.messages, input.schemaName, input.schema);
  // A grammar takes the schema whole (patterns, formats, bounds); OpenAI's strict mode takes a subset.
  const responseFormat: ChatRequest['response_format'] = grammar
    ? { type: 'json_schema', json_schema: { name, schema: input.schema, strict: false } }
    : native
      ? { type: 'json_schema', json_schema: { name, schema: toStrictSchema(input.schema), strict: true } }
      : { type: 'json_object' };
  const attempts: ExtractionAttempt[] = [];
  const usage: ExtractionUsage = { inputTokens: 0, outputTokens: 0 };

  for (let attempt = 1; ; attempt++) {
    onStep('extracting fields', attempt);
    const request: Omit<ChatRequest, 'model'> = { messages: [...messages], response_format: responseFormat };
    if (input.maxOutputTokens !== undefined) request.max_tokens = input.maxOutputTokens;
    if (input.temperature !== undefined) request.temperature = input.temperature;
    const completion = await complete(request, attempt);
    usage.inputTokens += completion.usage?.prompt_tokens ?? 0;
    usage.outputTokens += completion.usage?.completion_tokens ?? 0;

    onStep('validating', attempt);
    const judged = judge(completion, input.schema, validator);
    attempts.push({ attempt, raw: judged.raw, outcome: judged.outcome, issues: judged.issues });
    if (judged.record) return { ok: true, record: judged.record, attempts, usage };
    if (attempt >= input.maxAttempts) return { ok: false, attempts, raw: judged.raw, issues: judged.issues, usage };

    const count = judged.issues.length;
    onStep(`re-asking with ${count} validation error${count === 1 ? '' : 's'}`, attempt + 1);
    messages.push({ role: 'assistant', content: judged.raw }, { role: 'user', content: reaskMessage(input.schemaName, judged.outcome, judged.issues) });
  }
}

interface Judged {
  raw: string;
  outcome: ExtractionAttempt['outcome'];
  issues: ValidationIssue[];
  record?: Record<string, unknown>;
}

function judge(completion: ChatCompletion, schema: Record<string, unknown>, validator: SchemaValidator): Judged {
  const choice = completion.choices[0];
  const message = choice?.message;
  const raw = message?.content || message?.tool_calls?.[0]?.function.arguments || '';
  if (message?.refusal) return { raw: raw || message.refusal, outcome: 'unparseable', issues: [{ path: '', message: `the model refused: ${message.refusal}` }] };
  if (choice?.finish_reason === 'length') {
    return { raw, outcome: 'unparseable', issues: [{ path: '', message: 'the answer was cut off at the output token limit (finish_reason "length"); answer more briefly' }] };
  }
  const parsed = parseModelJson(raw);
  if (!parsed.ok) return { raw, outcome: 'unparseable', issues: [{ path: '', message: parsed.reason }] };
  const value = dropOptionalNulls(schema, parsed.value);
  const validation = validator.validate(value);
  if (!validation.ok) return { raw, outcome: 'invalid', issues: validation.issues };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { raw, outcome: 'invalid', issues: [{ path: '', message: 'must be a JSON object (one record)' }] };
  }
  return { raw, outcome: parsed.repaired ? 'repaired-valid' : 'valid', issues: [], record: value as Record<string, unknown> };
}

/** The schema goes in its own system message after the pipeline's, before the first user turn. */
function withSchemaInstruction(messages: ChatMessage[], schemaName: string, schema: Record<string, unknown>): ChatMessage[] {
  const instruction: ChatMessage = {
    role: 'system',
    content: `Answer with one JSON object, a "${schemaName}" record that conforms to this JSON Schema. Output only the JSON object: no prose, no Markdown code fences. Leave out optional properties you cannot fill.\n\nJSON Schema:\n${JSON.stringify(schema)}`,
  };
  const firstTurn = messages.findIndex((message) => message.role !== 'system' && message.role !== 'developer');
  const at = firstTurn < 0 ? messages.length : firstTurn;
  return [...messages.slice(0, at), instruction, ...messages.slice(at)];
}

function reaskMessage(schemaName: string, outcome: ExtractionAttempt['outcome'], issues: ValidationIssue[]): string {
  const lines = issues.slice(0, reaskIssueLimit).map((issue) => `- ${issue.path === '' ? '(root)' : issue.path}: ${issue.message}`);
  if (issues.length > reaskIssueLimit) lines.push(`- … and ${issues.length - reaskIssueLimit} more`);
  const heading =
    outcome === 'unparseable'
      ? 'Your previous answer could not be read as a JSON object:'
      : `Your previous answer does not conform to the "${schemaName}" JSON Schema (JSON pointer: problem):`;
  return `${heading}\n${lines.join('\n')}\n${answerAgain}`;
}

/** OpenAI and Anthropic (tool names) accept `^[a-zA-Z0-9_-]{1,64}$`. */
function jsonSchemaName(schemaName: string): string {
  const name = schemaName.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 64);
  return name === '' ? 'record' : name;
}
