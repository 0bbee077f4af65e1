import type { ChatRequest } from '../../wire/chat.js';
import { SchemaValidator } from '../extraction/schema-validator.js';
import type { DecideState, JsonSchema } from './definition.js';
import type { RegisteredWorkflow } from './workflow-registry.js';

/** What a model step may pick: exactly the options this state offers now. */
export interface Options {
  transitions: string[];
  tools: string[];
}

export type Choice = { type: 'transition'; name: string } | { type: 'tool'; name: string; arguments: unknown };

export type Judged = { ok: true; choice: Choice } | { ok: false; reason: string };

/** The transitions whose guards hold and the state's tools. */
export function optionsOf(state: DecideState<Record<string, unknown>>, context: Record<string, unknown>): Options {
  const transitions = Object.entries(state.decide.transitions)
    .filter(([, transition]) => transition.guard === undefined || transition.guard(context))
    .map(([to]) => to);
  return { transitions, tools: [...(state.decide.tools ?? [])] };
}

function enumOf(options: Options): string[] {
  return [...options.transitions.map((name) => `transition:${name}`), ...options.tools.map((name) => `tool:${name}`)];
}

/** The answer's schema: `choice` is an enum of the allowed names, so schema-constrained decoding cannot leave them. */
export function answerSchema(options: Options): JsonSchema {
  return {
    type: 'object',
    properties: {
      choice: { type: 'string', enum: enumOf(options) },
      // Without tools the arguments are always {}, which strict decoding (OpenAI's json_schema strict mode) can enforce.
      arguments: options.tools.length === 0 ? { type: 'object', properties: {}, required: [], additionalProperties: false } : { type: 'object' },
    },
    required: ['choice', 'arguments'],
    additionalProperties: false,
  };
}

export function decisionRequest(
  workflow: RegisteredWorkflow,
  stateName: string,
  state: DecideState<Record<string, unknown>>,
  context: Record<string, unknown>,
  options: Options,
  note: string | undefined,
): ChatRequest {
  const instructions = typeof state.decide.instructions === 'function' ? state.decide.instructions(context) : state.decide.instructions;
  const lines = [
    `You are the "${stateName}" step of the workflow "${workflow.definition.name}". ${instructions}`,
    'Pick exactly one option and answer with JSON {"choice": ..., "arguments": {...}}; arguments are for a tool and {} for a transition.',
    ...options.transitions.map((name) => `- transition:${name}${state.decide.transitions[name]?.description ? ` (${state.decide.transitions[name]!.description})` : ''}`),
    ...options.tools.map((name) => {
      const tool = workflow.tools.get(name)!.definition;
      return `- tool:${name}${tool.description ? ` (${tool.description})` : ''}; arguments schema: ${JSON.stringify(tool.args)}`;
    }),
  ];
  return {
    model: state.decide.model,
    messages: [
      { role: 'system', content: lines.join('\n') },
      { role: 'user', content: JSON.stringify(note === undefined ? { context } : { context, note }) },
    ],
    response_format: { type: 'json_schema', json_schema: { name: 'workflow_step', strict: options.tools.length === 0, schema: answerSchema(options) } },
    temperature: 0,
  } as ChatRequest;
}

/** Checks an answer against the options; anything else — unknown names, bad JSON, bad tool arguments — is refused with a reason. */
export function judge(content: string | null | undefined, options: Options, workflow: RegisteredWorkflow): Judged {
  let answer: unknown;
  try {
    answer = JSON.parse(content ?? '');
  } catch {
    return { ok: false, reason: 'the answer is not JSON' };
  }
  const shape = SchemaValidator.compile(answerSchema(options)).validate(answer);
  if (!shape.ok) {
    const choice = (answer as { choice?: unknown } | null)?.choice;
    return { ok: false, reason: `the choice ${JSON.stringify(choice)} is not one of ${enumOf(options).join(', ')} (${shape.issues[0]?.message ?? 'invalid'})` };
  }
  const { choice, arguments: args } = answer as { choice: string; arguments: unknown };
  const [type, ...rest] = choice.split(':');
  const name = rest.join(':');
  if (type === 'transition') return { ok: true, choice: { type: 'transition', name } };
  const tool = workflow.tools.get(name)!;
  const valid = tool.args.validate(args);
  if (!valid.ok)
    return { ok: false, reason: `arguments for tool ${name} do not match its schema: ${valid.issues.map((issue) => `${issue.path || '/'} ${issue.message}`).join('; ')}` };
  return { ok: true, choice: { type: 'tool', name, arguments: args } };
}
