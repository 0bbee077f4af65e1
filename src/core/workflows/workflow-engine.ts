import { createHash } from 'node:crypto';
import { BreakwaterError, toBreakwaterError } from '../errors/breakwater-error.js';
import type { Gateway } from '../gateway/gateway.js';
import type { HttpToolTransport } from '../ports/http-tool-transport.js';
import type { VirtualKey } from '../ports/store.js';
import { type AppendStep, finishedRunStatuses, type JournalEntry, type JournalKind, type RunPatch, type WorkflowRun, type WorkflowStore } from '../ports/workflow-store.js';
import { backoffDelay } from '../routing/backoff.js';
import { type CallState, type DecideState, isCallState, isDecideState, isFinalState } from './definition.js';
import { decisionRequest, judge, optionsOf } from './model-step.js';
import { type PipelineCatalog, type PipelineToolArgs, runPipelineTool } from './pipeline-tool.js';
import { requestedApproval, runAfter, withNotices } from './workflow-notices.js';
import type { RegisteredWorkflow, WorkflowRegistry } from './workflow-registry.js';

type Context = Record<string, unknown>;

export interface WorkflowEngineOptions {
  store: WorkflowStore;
  registry: WorkflowRegistry;
  gateway: Gateway;
  http: HttpToolTransport | undefined;
  /** Default expiry of an approval request. */
  approvalTimeoutMs: number;
  /** Told of every step written (SSE followers of the run and of the tenant's approvals). */
  onStep?: (run: WorkflowRun, step: AppendStep) => void;
  now?: () => number;
}

/** The input of a tool-call entry: enough to re-send the call after a crash. */
interface ToolCallInput {
  tool: string;
  args: unknown;
  idempotencyKey: string;
}

/** How advancing a run stopped. */
export type AdvanceOutcome = 'waiting' | 'finished' | 'conflict';

const defaultMaxSteps = 200;
/** Steps written with the one before them at most (see `followers`). */
const maxFollowers = 3;
const defaultDecisionAttempts = 3;
const defaultToolTimeoutMs = 30_000;
const defaultToolRetries = 2;

/** The idempotency key of the tool call journaled at `seq`: the same for every re-send. */
export function toolCallKey(runId: string, seq: number): string {
  return `wf_${createHash('sha256').update(`${runId}:${seq}`).digest('hex').slice(0, 32)}`;
}

/**
 * Advances runs one journaled step at a time. Every step is computed from the run row and
 * its last journal entry only, and written with `appendStep` before the next one is computed,
 * so a run resumes anywhere from what is stored:
 *
 * - a `tool-call` without a `tool-result` is sent again with the key it was journaled with;
 * - a `tool-result` is never followed by the same call: the step after it is a transition or
 *   a new decision;
 * - a step another worker already wrote (the lease moved on) is a conflict, and this worker stops.
 */
export class WorkflowEngine {
  private readonly now: () => number;
  /** Runs being advanced in this process: a second claim of the same run waits for the first to stop. */
  private readonly active = new Map<string, Promise<unknown>>();

  /** The pipelines pipeline tools run; set once the job engine has built them (`usePipelines`). */
  private pipelines: PipelineCatalog | undefined;

  constructor(private readonly options: WorkflowEngineOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Gives pipeline tools their pipelines (built with the job engine, after this engine). */
  supplyPipelines(catalog: PipelineCatalog): void {
    this.pipelines = catalog;
  }

  /** Runs steps until the run waits for an approval, ends, or another writer took it over. */
  async advance(runId: string, key: VirtualKey, signal: AbortSignal): Promise<AdvanceOutcome> {
    // A lease lost to an event-loop stall hands the run to a new claim in this same process
    // while the old one is mid-call; waiting for it keeps the two from sending one call twice.
    for (let running = this.active.get(runId); running; running = this.active.get(runId)) await running.catch(() => undefined);
    const advancing = this.advanceAlone(runId, key, signal);
    this.active.set(runId, advancing);
    try {
      return await advancing;
    } finally {
      if (this.active.get(runId) === advancing) this.active.delete(runId);
    }
  }

  private async advanceAlone(runId: string, key: VirtualKey, signal: AbortSignal): Promise<AdvanceOutcome> {
    let run = await this.options.store.getRun(runId);
    if (!run) throw new BreakwaterError('WORKFLOW_RUN_NOT_FOUND', `No workflow run ${runId}.`);
    const workflow = this.options.registry.get(run.workflow, run.version);
    if (!workflow) {
      throw new BreakwaterError(
        'WORKFLOW_NOT_FOUND',
        `Run ${run.id} needs workflow ${run.workflow}@${run.version}, which this worker does not have; deploy it (a run keeps its version).`,
        {
          retryable: true,
        },
      );
    }
    let last = run.seq > 0 ? await this.options.store.entry(run.id, run.seq) : undefined;
    // The entry read from the store may be another advancer's (a run handed over); one this
    // advancer wrote itself was still the run's last when it was written.
    let own = false;
    for (;;) {
      if (finishedRunStatuses.has(run.status)) return 'finished';
      if (run.status === 'waiting_approval') return 'waiting';
      if (signal.aborted) throw signal.reason;
      const step = await this.next(workflow, run, last, own, key, signal);
      if (step === 'conflict') return 'conflict';
      const steps = [step, ...(await this.followers(workflow, runAfter(run, step), step.entry, key, signal))];
      let before = run;
      const noticed = steps.map((each) => {
        const withTheirNotices = withNotices(before, each, requestedApproval(each));
        before = runAfter(before, each);
        return withTheirNotices;
      });
      const chained = noticed.reduceRight<AppendStep | undefined>((after, each) => (after ? { ...each, followedBy: after } : each), undefined)!;
      if ((await this.options.store.appendStep(chained)) === 'conflict') return 'conflict';
      for (const each of noticed) {
        run = runAfter(run, each);
        this.options.onStep?.(run, each);
      }
      last = steps.at(-1)!.entry;
      own = true;
    }
  }

  /**
   * The steps after `last` that code alone computes from what is stored — a transition after a
   * tool result or a model's transition choice, the tool call (or approval request) a state
   * opens with — written in the same transaction as `last`: a step of its own would cost a
   * commit and a turn of the event loop each, and a crash loses both or neither, after which
   * they are computed again the same way. Stops at anything with an effect (a tool call to
   * send, a model call) or at the run's end.
   */
  private async followers(workflow: RegisteredWorkflow, run: WorkflowRun, last: JournalEntry, key: VirtualKey, signal: AbortSignal): Promise<AppendStep[]> {
    const followers: AppendStep[] = [];
    while (followers.length < maxFollowers && !finishedRunStatuses.has(run.status) && run.status !== 'waiting_approval' && this.pure(workflow, run, last)) {
      let follower: AppendStep | 'conflict';
      try {
        follower = await this.next(workflow, run, last, true, key, signal);
      } catch {
        break; // computed again (and thrown again) as a step of its own, after `last` is stored
      }
      if (follower === 'conflict') break;
      followers.push(follower);
      run = runAfter(run, follower);
      last = follower.entry;
    }
    return followers;
  }

  /** Whether the step after `last` is computed by code alone (no tool call sent, no model asked). */
  private pure(workflow: RegisteredWorkflow, run: WorkflowRun, last: JournalEntry): boolean {
    const state = workflow.definition.states[run.state];
    if (!state) return false;
    if (last.kind === 'tool-result') return isCallState(state);
    if (last.kind === 'model-decision') return true;
    if (last.kind === 'transition') return isCallState(state);
    return false;
  }

  /**
   * Whether a step after `seq` is stored: another advancer (this one's lease lapsed, or a
   * second advance job) moved the run on, and this one must stop before sending anything.
   */
  private async movedOn(runId: string, seq: number): Promise<boolean> {
    return (await this.options.store.entry(runId, seq + 1)) !== undefined;
  }

  /** The step after `last`, with whatever it had to do first (a tool call, a model call). */
  private async next(
    workflow: RegisteredWorkflow,
    run: WorkflowRun,
    last: JournalEntry | undefined,
    own: boolean,
    key: VirtualKey,
    signal: AbortSignal,
  ): Promise<AppendStep | 'conflict'> {
    const definition = workflow.definition;
    const state = definition.states[run.state]!;
    const maxSteps = definition.maxSteps ?? defaultMaxSteps;
    if (run.seq >= maxSteps) return this.fail(run, 'WORKFLOW_STEP_LIMIT', `The run wrote ${run.seq} steps, its workflow's maxSteps; check the transitions for a loop.`);

    if (last?.kind === 'tool-call') return this.callTool(workflow, run, last, own, key, signal);
    if (last?.kind === 'approval-decision') {
      const decision = last.output as { status: string; args: unknown; tool: string };
      if (decision.status === 'approved') return this.toolCall(run, decision.tool, decision.args);
      if (isCallState(state)) {
        if (state.call.onReject !== undefined) return this.transition(workflow, run, state.call.onReject, 'engine');
        return this.fail(run, 'APPROVAL_REJECTED', `The call of ${decision.tool} was ${decision.status} and state ${run.state} has no onReject.`);
      }
      // A decide state asks the model again, telling it what was refused.
    }
    if (last?.kind === 'model-decision') {
      const choice = last.output as { type: 'transition' | 'tool'; name: string; arguments?: unknown };
      if (choice.type === 'transition') return this.transition(workflow, run, choice.name, 'model');
      return this.toolStep(workflow, run, choice.name, choice.arguments);
    }
    if (isFinalState(state)) return this.transition(workflow, run, run.state, 'engine');
    if (isCallState(state)) {
      const call = (state as CallState<Context>).call;
      if (last?.kind === 'tool-result') {
        const result = (last.output as { result: unknown }).result;
        const to = typeof call.next === 'string' ? call.next : call.next(run.context, result as never);
        return this.transition(workflow, run, to, 'engine');
      }
      const args = call.args(run.context);
      const valid = workflow.tools.get(call.tool)!.args.validate(args);
      if (!valid.ok) return this.fail(run, 'WORKFLOW_TOOL_FAILED', `State ${run.state} built arguments for ${call.tool} that do not match its schema: ${issues(valid.issues)}.`);
      return this.toolStep(workflow, run, call.tool, args);
    }
    if (isDecideState(state)) return this.decide(workflow, run, state as DecideState<Context>, last, key, signal);
    return this.fail(run, 'INTERNAL_ERROR', `State ${run.state} has no kind.`);
  }

  private async decide(
    workflow: RegisteredWorkflow,
    run: WorkflowRun,
    state: DecideState<Context>,
    last: JournalEntry | undefined,
    key: VirtualKey,
    signal: AbortSignal,
  ): Promise<AppendStep> {
    const attempt = last?.kind === 'error' && last.state === run.state ? ((last.input as { attempt?: number }).attempt ?? 0) + 1 : 1;
    const options = optionsOf(state, run.context);
    if (options.transitions.length + options.tools.length === 0)
      return this.fail(run, 'WORKFLOW_MODEL_INVALID_CHOICE', `State ${run.state} offers no option: every transition's guard is false.`);
    const budget = this.overBudget(workflow, run);
    if (budget) return budget;
    const note =
      last?.kind === 'approval-decision'
        ? `The call of ${(last.output as { tool: string }).tool} was ${(last.output as { status: string }).status}: ${last.actor ?? ''} ${(last.input as { reason?: string }).reason ?? ''}`.trim()
        : last?.kind === 'error' && last.state === run.state
          ? `Your previous answer was refused: ${(last.output as { reason: string }).reason}. Answer again.`
          : undefined;
    const request = decisionRequest(workflow, run.state, state, run.context, options, note);
    const { content, costUsd } = await this.chat(run, request, key, signal);
    const spent = run.budgetSpentUsd + costUsd;
    const judged = judge(content, options, workflow);
    if (judged.ok) {
      return this.step(run, 'model-decision', { options }, judged.choice, 'model', { budgetSpentUsd: spent });
    }
    const maxAttempts = workflow.definition.maxDecisionAttempts ?? defaultDecisionAttempts;
    const failed = attempt >= maxAttempts;
    return this.step(run, 'error', { attempt, options }, { reason: judged.reason, answer: content?.slice(0, 2_000) ?? null }, 'engine', {
      budgetSpentUsd: spent,
      ...(failed
        ? {
            status: 'failed',
            error: { code: 'WORKFLOW_MODEL_INVALID_CHOICE', message: `The model's answer was refused ${attempt} times in state ${run.state}; last: ${judged.reason}.` },
          }
        : {}),
    });
  }

  /** A tool the state uses: an approval request first when the tool asks for one, else the call itself. */
  private toolStep(workflow: RegisteredWorkflow, run: WorkflowRun, name: string, args: unknown): AppendStep {
    const tool = workflow.tools.get(name)!.definition;
    const approval = typeof tool.approval === 'function' ? tool.approval(args as never, run.context) : tool.approval === true;
    if (!approval) return this.toolCall(run, name, args);
    const at = this.now();
    const seq = run.seq + 1;
    const id = `apr_${createHash('sha256').update(`${run.id}:${seq}`).digest('hex').slice(0, 24)}`;
    const step = this.step(run, 'approval-request', { tool: name, args }, { approval: id }, 'engine', { status: 'waiting_approval' });
    step.approval = {
      id,
      runId: run.id,
      tenant: run.tenant,
      workflow: run.workflow,
      seq,
      state: run.state,
      tool: name,
      args,
      createdAt: at,
      expiresAt: at + (tool.approvalTimeoutMs ?? this.options.approvalTimeoutMs),
      assignee: tool.approvalAssignee ?? null,
      escalateAt: tool.approvalEscalation ? at + tool.approvalEscalation.afterMs : null,
      escalateTo: tool.approvalEscalation?.to ?? null,
    };
    return step;
  }

  /** Journals the call, with its idempotency key, before anything is sent. */
  private toolCall(run: WorkflowRun, tool: string, args: unknown): AppendStep {
    const input: ToolCallInput = { tool, args, idempotencyKey: toolCallKey(run.id, run.seq + 1) };
    return this.step(run, 'tool-call', input, null, 'engine', {});
  }

  /**
   * Sends the journaled call (again, after a crash: same key) and returns its result step.
   * Before a re-send — a retry, or a call this advancer found dangling — the journal is read
   * once more: when another advancer already stored a step after the call, this one stops
   * without sending (`conflict`), so a call whose result was stored is not sent again by an
   * advancer that merely fell behind.
   */
  private async callTool(workflow: RegisteredWorkflow, run: WorkflowRun, call: JournalEntry, own: boolean, key: VirtualKey, signal: AbortSignal): Promise<AppendStep | 'conflict'> {
    const input = call.input as ToolCallInput;
    const registered = workflow.tools.get(input.tool)!;
    const tool = registered.definition;
    const attempts = 1 + (tool.retries ?? defaultToolRetries);
    let spent = run.budgetSpentUsd;
    let failure: BreakwaterError | undefined;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, backoffDelay(attempt - 2, 200, 5_000)));
      if ((attempt > 1 || !own) && (await this.movedOn(run.id, call.seq))) return 'conflict';
      if (signal.aborted) throw signal.reason;
      const timeout = AbortSignal.timeout(tool.timeoutMs ?? defaultToolTimeoutMs);
      const attemptSignal = AbortSignal.any([signal, timeout]);
      try {
        let result: unknown;
        if ('run' in tool) {
          result = await tool.run(input.args as never, { context: run.context, runId: run.id, idempotencyKey: input.idempotencyKey, signal: attemptSignal });
        } else if ('http' in tool) {
          if (!this.options.http) throw new BreakwaterError('CONFIG_INVALID', 'HTTP tools need webhooks.secrets (their calls are signed like webhooks).');
          const body = JSON.stringify({ run_id: run.id, tool: input.tool, arguments: input.args });
          result = await this.options.http.call({
            url: tool.http.url,
            body,
            idempotencyKey: input.idempotencyKey,
            timeoutMs: tool.timeoutMs ?? defaultToolTimeoutMs,
            signal: attemptSignal,
          });
        } else if ('pipeline' in tool) {
          const budget = this.overBudget(workflow, { ...run, budgetSpentUsd: spent });
          if (budget) return budget;
          const extracted = await runPipelineTool(this.pipelines, this.options.gateway, tool.pipeline.name, input.args as PipelineToolArgs, {
            requestId: `${run.id}.${call.seq}.${attempt}`,
            key,
            signal: attemptSignal,
          });
          spent += extracted.costUsd;
          result = { record: extracted.record, prompt_version: extracted.prompt_version, extraction_attempts: extracted.extraction_attempts };
        } else {
          const budget = this.overBudget(workflow, { ...run, budgetSpentUsd: spent });
          if (budget) return budget;
          const prompt = (input.args as { prompt?: unknown }).prompt;
          const answer = await this.chat(
            run,
            {
              model: tool.chat.model,
              messages: [...(tool.chat.system ? [{ role: 'system' as const, content: tool.chat.system }] : []), { role: 'user' as const, content: String(prompt ?? '') }],
            },
            key,
            attemptSignal,
          );
          spent += answer.costUsd;
          result = { content: answer.content ?? '' };
        }
        const valid = registered.result.validate(result);
        if (!valid.ok) {
          return this.fail(run, 'WORKFLOW_TOOL_FAILED', `Tool ${input.tool} returned a result that does not match its schema: ${issues(valid.issues)}.`, { budgetSpentUsd: spent });
        }
        const state = workflow.definition.states[run.state]!;
        const context = assign(state, run.context, input.tool, result);
        return this.step(run, 'tool-result', { tool: input.tool, idempotencyKey: input.idempotencyKey }, { result }, input.tool, { context, budgetSpentUsd: spent });
      } catch (thrown) {
        if (signal.aborted) throw signal.reason;
        failure = toBreakwaterError(thrown, { retryable: true });
        if (!failure.retryable) break;
      }
    }
    return this.fail(run, 'WORKFLOW_TOOL_FAILED', `Tool ${input.tool} failed after ${attempts} attempts: ${failure?.message ?? 'unknown error'}`, { budgetSpentUsd: spent });
  }

  private transition(workflow: RegisteredWorkflow, run: WorkflowRun, to: string, actor: string): AppendStep {
    const target = workflow.definition.states[to];
    if (!target) return this.fail(run, 'WORKFLOW_TOOL_FAILED', `State ${run.state} chose the unknown state "${to}".`);
    if (isFinalState(target)) {
      const error = target.final === 'failed' ? { code: 'WORKFLOW_FAILED', message: `The run reached the failure state ${to}.` } : null;
      return this.step(run, 'transition', { from: run.state, to }, null, actor, { state: to, status: target.final, error });
    }
    return this.step(run, 'transition', { from: run.state, to }, null, actor, { state: to });
  }

  private fail(run: WorkflowRun, code: string, message: string, patch: Partial<RunPatch> = {}): AppendStep {
    return this.step(run, 'error', { code }, { message }, 'engine', { ...patch, status: 'failed', error: { code, message } });
  }

  private overBudget(workflow: RegisteredWorkflow, run: WorkflowRun): AppendStep | undefined {
    const cap = workflow.definition.budgetUsd;
    if (cap === undefined || run.budgetSpentUsd < cap) return undefined;
    return this.fail(run, 'WORKFLOW_BUDGET_EXCEEDED', `The run spent $${run.budgetSpentUsd.toFixed(6)} of its $${cap} budget; no further model calls.`);
  }

  private async chat(
    run: WorkflowRun,
    request: import('../../wire/chat.js').ChatRequest,
    key: VirtualKey,
    signal: AbortSignal,
  ): Promise<{ content: string | null; costUsd: number }> {
    const { context, outcome } = await this.options.gateway.call({
      requestId: `${run.id}.${run.seq + 1}`,
      key,
      input: { operation: 'chat', request: { ...request, stream: false } },
      stream: false,
      // A refused answer must not come back from the cache when the model is asked again.
      cacheControl: { noStore: true, noCache: true },
      signal,
      startedAt: performance.now(),
    });
    if (outcome.kind !== 'completion') throw new BreakwaterError('INTERNAL_ERROR', 'A workflow model step got a non-completion answer.');
    const content = outcome.completion.choices[0]?.message.content;
    return { content: typeof content === 'string' ? content : null, costUsd: context.costUsd };
  }

  private step(run: WorkflowRun, kind: JournalKind, input: unknown, output: unknown, actor: string, patch: Partial<RunPatch>): AppendStep {
    return {
      entry: { runId: run.id, seq: run.seq + 1, kind, state: run.state, input, output, actor, at: this.now() },
      run: {
        state: run.state,
        context: run.context,
        status: 'running',
        budgetSpentUsd: run.budgetSpentUsd,
        error: null,
        ...patch,
      },
    };
  }
}

function assign(state: import('./definition.js').StateDefinition<Context>, context: Context, tool: string, result: unknown): Context {
  if (isCallState(state) && state.call.assign) return state.call.assign(context, result as never);
  if (isDecideState(state) && state.decide.assign) return state.decide.assign(context, tool, result);
  return { ...context, [tool]: result };
}

function issues(list: ReadonlyArray<{ path: string; message: string }>): string {
  return list.map((issue) => `${issue.path || '/'} ${issue.message}`).join('; ');
}
