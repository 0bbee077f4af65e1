/** A JSON Schema (draft 2020-12 or draft-07), checked with ajv. */
export type JsonSchema = Record<string, unknown>;

/** What a tool's implementation receives besides its arguments. */
export interface ToolCall<C> {
  context: Readonly<C>;
  runId: string;
  /** Derived from the run and the journal step: the same on every re-send of this call. */
  idempotencyKey: string;
  signal: AbortSignal;
}

/** A TypeScript function. */
export interface FunctionTool<C> {
  run(args: never, call: ToolCall<C>): unknown;
}
/** An HTTP endpoint: POSTed `{ run_id, tool, arguments }`, signed like webhooks, SSRF-guarded; its JSON answer is the result. */
export interface HttpTool {
  http: { url: string };
}
/** A chat call through the gateway as the run's key (budgets, limits and the ledger apply); arguments `{ prompt }`, result `{ content }`. */
export interface ChatTool {
  chat: { model: string; system?: string };
}

/**
 * A configured pipeline's extraction (its prompt, model route, schema, validate → repair →
 * re-ask) over `{ text, filename? }`; result `{ record, prompt_version, extraction_attempts }`.
 * The pipeline's sinks are not written.
 */
export interface PipelineTool {
  pipeline: { name: string };
}

export type ToolImplementation<C> = FunctionTool<C> | HttpTool | ChatTool | PipelineTool;

export type ToolDefinition<C> = ToolImplementation<C> & {
  description?: string;
  args: JsonSchema;
  result: JsonSchema;
  /** A human approves each call (`true`), or the calls for which this returns true. */
  approval?: boolean | ((args: never, context: Readonly<C>) => boolean);
  /** How long an approval may wait before it expires (treated as a rejection); default workflows.approvalTimeoutMs. */
  approvalTimeoutMs?: number;
  /** Who is asked to approve (a person or group label; `GET /v1/approvals?assignee=`); default anyone. */
  approvalAssignee?: string;
  /** A request still pending after `afterMs` is handed to `to` (journaled, announced on SSE and the webhook); it can still expire later. */
  approvalEscalation?: { afterMs: number; to: string };
  /** Each attempt is aborted after this; default 30 s. */
  timeoutMs?: number;
  /** Further attempts after a failure, each with the same idempotency key; default 2. */
  retries?: number;
};

/** A deterministic tool call, then a transition chosen by code. */
export interface CallState<C> {
  call: {
    tool: string;
    args: (context: Readonly<C>) => unknown;
    /** The context after the result; by default the result is kept under the tool's name. */
    assign?: (context: Readonly<C>, result: never) => C;
    next: string | ((context: Readonly<C>, result: never) => string);
    /** Where a rejected (or expired) approval goes; without it the run fails. */
    onReject?: string;
  };
}

/** A model step: the model picks one of the transitions or tools this state allows, nothing else. */
export interface DecideState<C> {
  decide: {
    model: string;
    instructions: string | ((context: Readonly<C>) => string);
    tools?: string[];
    /** Target state → optional guard; a transition whose guard is false is not offered. */
    transitions: Record<string, { description?: string; guard?: (context: Readonly<C>) => boolean }>;
    assign?: (context: Readonly<C>, tool: string, result: unknown) => C;
  };
}

export interface FinalState {
  final: 'succeeded' | 'failed';
}

export type StateDefinition<C> = CallState<C> | DecideState<C> | FinalState;

export interface WorkflowDefinition<C extends Record<string, unknown> = Record<string, unknown>> {
  name: string;
  version: number;
  description?: string;
  initial: string;
  /** Schema of the start input. */
  input?: JsonSchema;
  /** The first context from the start input; default `{ input }`. */
  context?: (input: unknown) => C;
  tools?: Record<string, ToolDefinition<C>>;
  states: Record<string, StateDefinition<C>>;
  /** Model and chat-tool spending cap per run, USD. */
  budgetUsd?: number;
  /** Journal entries a run may write before it fails (a loop guard); default 200. */
  maxSteps?: number;
  /** Answers a model step may get wrong before the run fails; default 3. */
  maxDecisionAttempts?: number;
}

/**
 * Declares a workflow with its context type checked throughout:
 *
 * ```ts
 * export default defineWorkflow<{ input: { amount: number } }>({
 *   name: 'refund', version: 1, initial: 'pay',
 *   tools: { pay: { args: {...}, result: {...}, approval: (args: { amount: number }) => args.amount > 100, run: async (args) => ({ ok: true }) } },
 *   states: { pay: { call: { tool: 'pay', args: (c) => ({ amount: c.input.amount }), next: 'done' } }, done: { final: 'succeeded' } },
 * });
 * ```
 */
export function defineWorkflow<C extends Record<string, unknown>>(definition: WorkflowDefinition<C>): WorkflowDefinition<C> {
  return definition;
}

export function isCallState<C>(state: StateDefinition<C>): state is CallState<C> {
  return 'call' in state;
}

export function isDecideState<C>(state: StateDefinition<C>): state is DecideState<C> {
  return 'decide' in state;
}

export function isFinalState<C>(state: StateDefinition<C>): state is FinalState {
  return 'final' in state;
}
