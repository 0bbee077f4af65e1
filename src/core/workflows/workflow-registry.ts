import { BreakwaterError } from '../errors/breakwater-error.js';
import { SchemaValidator } from '../extraction/schema-validator.js';
import { isCallState, isDecideState, isFinalState, type ToolDefinition, type WorkflowDefinition } from './definition.js';

/** A definition checked once at registration, with its schemas compiled. */
export interface RegisteredWorkflow {
  definition: WorkflowDefinition;
  input: SchemaValidator | undefined;
  tools: ReadonlyMap<string, { definition: ToolDefinition<Record<string, unknown>>; args: SchemaValidator; result: SchemaValidator }>;
}

const namePattern = /^[a-z0-9][a-z0-9_-]*$/;

/**
 * Workflows by name and version. A run names the version it started with and is advanced by
 * that version to the end, so a new version never changes a run in flight.
 */
export class WorkflowRegistry {
  private readonly byName = new Map<string, Map<number, RegisteredWorkflow>>();

  register(definition: WorkflowDefinition): RegisteredWorkflow {
    const where = `workflow ${definition.name}@${definition.version}`;
    const invalid = (message: string) => new BreakwaterError('CONFIG_INVALID', `${where}: ${message}`);
    if (!namePattern.test(definition.name)) throw invalid('the name must be lower-case letters, digits, - and _');
    if (!Number.isInteger(definition.version) || definition.version < 1) throw invalid('version must be a whole number from 1');
    if (this.byName.get(definition.name)?.has(definition.version)) throw invalid('this name and version are already registered; bump version when the definition changes');
    const states = definition.states;
    if (!Object.hasOwn(states, definition.initial)) throw invalid(`initial state "${definition.initial}" is not among states`);
    const tools = new Map<string, { definition: ToolDefinition<Record<string, unknown>>; args: SchemaValidator; result: SchemaValidator }>();
    for (const [name, tool] of Object.entries(definition.tools ?? {})) {
      const kinds = ['run', 'http', 'chat', 'pipeline'].filter((kind) => kind in tool);
      if (kinds.length !== 1) throw invalid(`tools.${name}: give exactly one of run (a function), http, chat or pipeline`);
      try {
        tools.set(name, { definition: tool, args: SchemaValidator.compile(tool.args), result: SchemaValidator.compile(tool.result) });
      } catch (error) {
        throw invalid(`tools.${name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    const target = (from: string, to: string) => {
      if (!Object.hasOwn(states, to)) throw invalid(`states.${from}: transition to unknown state "${to}"`);
    };
    for (const [name, state] of Object.entries(states)) {
      if (isFinalState(state)) continue;
      if (isCallState(state)) {
        if (!tools.has(state.call.tool)) throw invalid(`states.${name}.call.tool: no tool "${state.call.tool}"`);
        if (typeof state.call.next === 'string') target(name, state.call.next);
        if (state.call.onReject !== undefined) target(name, state.call.onReject);
      } else if (isDecideState(state)) {
        for (const to of Object.keys(state.decide.transitions)) target(name, to);
        for (const tool of state.decide.tools ?? []) if (!tools.has(tool)) throw invalid(`states.${name}.decide.tools: no tool "${tool}"`);
        if (Object.keys(state.decide.transitions).length + (state.decide.tools?.length ?? 0) === 0) throw invalid(`states.${name}.decide: offers nothing to choose`);
      } else {
        throw invalid(`states.${name}: give one of call, decide or final`);
      }
    }
    let input: SchemaValidator | undefined;
    try {
      input = definition.input ? SchemaValidator.compile(definition.input) : undefined;
    } catch (error) {
      throw invalid(`input: ${error instanceof Error ? error.message : String(error)}`);
    }
    const registered: RegisteredWorkflow = { definition, input, tools };
    let versions = this.byName.get(definition.name);
    if (!versions) this.byName.set(definition.name, (versions = new Map()));
    versions.set(definition.version, registered);
    return registered;
  }

  /** The given version, or the latest when none is given. */
  get(name: string, version?: number): RegisteredWorkflow | undefined {
    const versions = this.byName.get(name);
    if (!versions) return undefined;
    if (version !== undefined) return versions.get(version);
    return versions.get(Math.max(...versions.keys()));
  }

  names(): string[] {
    return [...this.byName.keys()].sort();
  }

  /** Every registered version, newest of each name first. */
  list(): RegisteredWorkflow[] {
    return this.names().flatMap((name) => [...this.byName.get(name)!.values()].sort((a, b) => b.definition.version - a.definition.version));
  }
}
