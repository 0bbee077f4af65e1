import { z } from 'zod';
import { BreakwaterError } from '../errors/breakwater-error.js';
import { formatPath } from '../errors/format-path.js';
import type { StateDefinition, ToolDefinition, WorkflowDefinition } from './definition.js';
import { checkGuard, evaluate, fillText, type Guard, resolveRefs, type Scope } from './guards.js';

const guardSchema = z.custom<Guard>((value) => value !== null && typeof value === 'object', 'a guard object');
const schema = z.record(z.string(), z.unknown());

const toolSchema = z
  .object({
    description: z.string().optional(),
    http: z.object({ url: z.url() }).strict().optional(),
    chat: z
      .object({ model: z.string().min(1), system: z.string().optional() })
      .strict()
      .optional(),
    pipeline: z
      .object({ name: z.string().min(1) })
      .strict()
      .optional(),
    args: schema,
    result: schema,
    approval: z.union([z.boolean(), z.object({ when: guardSchema }).strict()]).optional(),
    approval_timeout_ms: z.number().int().positive().optional(),
    approval_assignee: z.string().min(1).max(200).optional(),
    approval_escalation: z
      .object({ after_ms: z.number().int().positive(), to: z.string().min(1).max(200) })
      .strict()
      .optional(),
    timeout_ms: z.number().int().positive().optional(),
    retries: z.number().int().min(0).max(10).optional(),
  })
  .strict();

const nextSchema = z.union([z.string(), z.array(z.object({ when: guardSchema.optional(), to: z.string() }).strict()).min(1)]);

const stateSchema = z.union([
  z.object({ final: z.enum(['succeeded', 'failed']) }).strict(),
  z
    .object({
      call: z
        .object({
          tool: z.string(),
          args: z.unknown().default({}),
          /** Where the result goes in the context (a top-level key); default the tool's name. */
          assign: z.string().optional(),
          next: nextSchema,
          on_reject: z.string().optional(),
        })
        .strict(),
    })
    .strict(),
  z
    .object({
      decide: z
        .object({
          model: z.string().min(1),
          instructions: z.string(),
          tools: z.array(z.string()).optional(),
          transitions: z.record(z.string(), z.object({ description: z.string().optional(), when: guardSchema.optional() }).strict()),
        })
        .strict(),
    })
    .strict(),
]);

const workflowSchema = z
  .object({
    name: z.string(),
    version: z.number().int().positive(),
    description: z.string().optional(),
    initial: z.string(),
    input: schema.optional(),
    budget_usd: z.number().positive().optional(),
    max_steps: z.number().int().positive().optional(),
    max_decision_attempts: z.number().int().positive().optional(),
    tools: z.record(z.string(), toolSchema).default({}),
    states: z.record(z.string(), stateSchema),
  })
  .strict();

type Context = Record<string, unknown>;

/**
 * A workflow written as data (YAML or JSON) turned into the same definition a TypeScript
 * module gives: arguments are templates with `{ $ref: /context/... }`, choices are guards over
 * `/context`, `/args` and `/result`. `where` names the file in errors.
 */
export function workflowFromData(data: unknown, where: string): WorkflowDefinition {
  const parsed = workflowSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new BreakwaterError('CONFIG_INVALID', `${where}: ${formatPath(issue.path) || '(top level)'}: ${issue.message}`);
  }
  const raw = parsed.data;
  const guard = (value: Guard | undefined, path: string): Guard | undefined => {
    if (value === undefined) return undefined;
    try {
      return checkGuard(value, `${where}: ${path}`);
    } catch (error) {
      throw new BreakwaterError('CONFIG_INVALID', (error as Error).message);
    }
  };
  const tools: Record<string, ToolDefinition<Context>> = {};
  for (const [name, tool] of Object.entries(raw.tools)) {
    const when = typeof tool.approval === 'object' ? guard(tool.approval.when, `tools.${name}.approval.when`) : undefined;
    const implementation = tool.http ? { http: tool.http } : tool.chat ? { chat: tool.chat } : tool.pipeline ? { pipeline: tool.pipeline } : undefined;
    if (!implementation) {
      throw new BreakwaterError('CONFIG_INVALID', `${where}: tools.${name}: give http: { url }, chat: { model } or pipeline: { name } (function tools need a TypeScript module)`);
    }
    tools[name] = {
      ...implementation,
      ...(tool.description !== undefined ? { description: tool.description } : {}),
      args: tool.args,
      result: tool.result,
      ...(tool.approval !== undefined ? { approval: when ? (args: unknown, context: Readonly<Context>) => evaluate(when, { args, context }) : (tool.approval as boolean) } : {}),
      ...(tool.approval_timeout_ms !== undefined ? { approvalTimeoutMs: tool.approval_timeout_ms } : {}),
      ...(tool.approval_assignee !== undefined ? { approvalAssignee: tool.approval_assignee } : {}),
      ...(tool.approval_escalation !== undefined ? { approvalEscalation: { afterMs: tool.approval_escalation.after_ms, to: tool.approval_escalation.to } } : {}),
      ...(tool.timeout_ms !== undefined ? { timeoutMs: tool.timeout_ms } : {}),
      ...(tool.retries !== undefined ? { retries: tool.retries } : {}),
    } as ToolDefinition<Context>;
  }
  const states: Record<string, StateDefinition<Context>> = {};
  for (const [name, state] of Object.entries(raw.states)) {
    if ('final' in state) states[name] = { final: state.final };
    else if ('call' in state) {
      const call = state.call;
      const key = call.assign ?? call.tool;
      const next = call.next;
      const choices = typeof next === 'string' ? undefined : next.map((choice, index) => ({ to: choice.to, when: guard(choice.when, `states.${name}.call.next[${index}].when`) }));
      if (choices)
        for (const choice of choices)
          if (!Object.hasOwn(raw.states, choice.to)) throw new BreakwaterError('CONFIG_INVALID', `${where}: states.${name}.call.next: unknown state "${choice.to}"`);
      states[name] = {
        call: {
          tool: call.tool,
          args: (context) => resolveRefs(call.args, { context }),
          assign: (context, result) => ({ ...context, [key]: result }),
          next:
            typeof next === 'string'
              ? next
              : (context, result) => {
                  const scope: Scope = { context, result };
                  return choices!.find((choice) => choice.when === undefined || evaluate(choice.when, scope))?.to ?? choices!.at(-1)!.to;
                },
          ...(call.on_reject !== undefined ? { onReject: call.on_reject } : {}),
        },
      };
    } else {
      const decide = state.decide;
      states[name] = {
        decide: {
          model: decide.model,
          instructions: (context) => fillText(decide.instructions, { context }),
          ...(decide.tools ? { tools: decide.tools } : {}),
          transitions: Object.fromEntries(
            Object.entries(decide.transitions).map(([to, transition]) => {
              const when = guard(transition.when, `states.${name}.decide.transitions.${to}.when`);
              return [
                to,
                {
                  ...(transition.description !== undefined ? { description: transition.description } : {}),
                  ...(when ? { guard: (context: Readonly<Context>) => evaluate(when, { context }) } : {}),
                },
              ];
            }),
          ),
        },
      };
    }
  }
  return {
    name: raw.name,
    version: raw.version,
    ...(raw.description !== undefined ? { description: raw.description } : {}),
    initial: raw.initial,
    ...(raw.input ? { input: raw.input } : {}),
    ...(raw.budget_usd !== undefined ? { budgetUsd: raw.budget_usd } : {}),
    ...(raw.max_steps !== undefined ? { maxSteps: raw.max_steps } : {}),
    ...(raw.max_decision_attempts !== undefined ? { maxDecisionAttempts: raw.max_decision_attempts } : {}),
    tools,
    states,
  };
}
