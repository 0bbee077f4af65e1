import { canonicalJson } from '../canonical-json.js';
import type { JournalEntry, WorkflowRun } from '../ports/workflow-store.js';
import { isCallState, isDecideState, type StateDefinition } from './definition.js';
import { optionsOf } from './model-step.js';
import type { RegisteredWorkflow } from './workflow-registry.js';

type Context = Record<string, unknown>;

export interface Divergence {
  seq: number;
  kind: string;
  message: string;
}

export interface Replay {
  runId: string;
  steps: number;
  /** True when the definition, fed the journal's recorded tool results and model choices, takes every recorded step again. */
  matches: boolean;
  divergences: Divergence[];
  state: string;
  context: Context;
}

/**
 * Replays a run for debugging: tool results and model choices come from the journal (nothing
 * is called), and every step the code decides — transitions after tool results, arguments of
 * tool calls, guards, approvals — is recomputed and compared with what was recorded.
 */
export function replayRun(workflow: RegisteredWorkflow, run: WorkflowRun, journal: readonly JournalEntry[]): Replay {
  const definition = workflow.definition;
  const first = journal[0];
  let context: Context = (first?.kind === 'transition' && (first.output as { context?: Context } | null)?.context) || initialContext(run, journal);
  let state = definition.initial;
  const divergences: Divergence[] = [];
  const diverge = (entry: JournalEntry, message: string) => divergences.push({ seq: entry.seq, kind: entry.kind, message });
  let previous: JournalEntry | undefined;
  for (const entry of journal) {
    const stateDefinition = definition.states[state] as StateDefinition<Context> | undefined;
    if (entry.state !== state) diverge(entry, `recorded in state ${entry.state}, replay is in ${state}`);
    if (entry.kind === 'tool-result' && stateDefinition) {
      const { tool } = entry.input as { tool: string };
      const { result } = entry.output as { result: unknown };
      if (isCallState(stateDefinition) && stateDefinition.call.assign) context = stateDefinition.call.assign(context, result as never);
      else if (isDecideState(stateDefinition) && stateDefinition.decide.assign) context = stateDefinition.decide.assign(context, tool, result);
      else context = { ...context, [tool]: result };
    } else if (entry.kind === 'tool-call' && stateDefinition && isCallState(stateDefinition) && previous?.kind !== 'approval-decision') {
      const expected = stateDefinition.call.args(context);
      if (canonicalJson(expected) !== canonicalJson((entry.input as { args: unknown }).args)) diverge(entry, `arguments differ: replay builds ${canonicalJson(expected)}`);
    } else if (entry.kind === 'model-decision' && stateDefinition && isDecideState(stateDefinition)) {
      const choice = entry.output as { type: string; name: string };
      const options = optionsOf(stateDefinition, context);
      const allowed = choice.type === 'transition' ? options.transitions : options.tools;
      if (!allowed.includes(choice.name)) diverge(entry, `the recorded choice ${choice.type}:${choice.name} is not allowed by the definition now`);
    } else if (entry.kind === 'approval-request' && stateDefinition) {
      const { tool, args } = entry.input as { tool: string; args: unknown };
      const approval = workflow.tools.get(tool)?.definition.approval;
      const needed = typeof approval === 'function' ? approval(args as never, context) : approval === true;
      if (!needed) diverge(entry, `tool ${tool} would not ask for approval now`);
    } else if (entry.kind === 'transition') {
      const { from, to } = entry.input as { from: string | null; to: string };
      if (to === 'cancelled') break;
      if (from !== null && stateDefinition && isCallState(stateDefinition) && previous?.kind === 'tool-result') {
        const call = stateDefinition.call;
        const result = (previous.output as { result: unknown }).result;
        const expected = typeof call.next === 'string' ? call.next : call.next(context, result as never);
        if (expected !== to) diverge(entry, `replay goes to ${expected}, the run went to ${to}`);
      }
      if (Object.hasOwn(definition.states, to)) state = to;
      else diverge(entry, `unknown state ${to}`);
    }
    previous = entry;
  }
  if (state !== run.state) divergences.push({ seq: run.seq, kind: 'end', message: `replay ends in ${state}, the run is in ${run.state}` });
  if (canonicalJson(context) !== canonicalJson(run.context)) divergences.push({ seq: run.seq, kind: 'end', message: 'the replayed context differs from the stored one' });
  return { runId: run.id, steps: journal.length, matches: divergences.length === 0, divergences, state, context };
}

/** Without a start entry, the context before the first tool result is unknown; the stored input is the best guess. */
function initialContext(run: WorkflowRun, _journal: readonly JournalEntry[]): Context {
  return { input: run.context.input ?? null };
}
