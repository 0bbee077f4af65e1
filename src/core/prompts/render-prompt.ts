import { BreakwaterError } from '../errors/breakwater-error.js';
import type { PromptMessage, PromptVariable, PromptVersion } from '../ports/prompt-registry.js';

/** `{{name}}` or `{{ name }}`: a variable name is a letter then letters, digits or `_`. */
const placeholder = /\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}/g;

/** The variable names a template uses, in order of first use. */
export function placeholdersOf(messages: readonly PromptMessage[]): string[] {
  const names = new Set<string>();
  for (const message of messages) for (const match of message.content.matchAll(placeholder)) names.add(match[1]!);
  return [...names];
}

/**
 * Checks a request's variables against the version's declarations and renders its messages.
 * One pass over each template (a regex replace), so the work is linear in the templates and
 * the values. Every refusal names the variable in `param`.
 */
export function renderPrompt(version: PromptVersion, variables: Record<string, unknown>): PromptMessage[] {
  const values = new Map<string, string>();
  for (const name of Object.keys(variables)) {
    if (!Object.hasOwn(version.variables, name)) {
      const declared = Object.keys(version.variables);
      throw invalid(name, `The prompt ${version.name} v${version.version} declares no variable "${name}"; it declares ${declared.length > 0 ? declared.join(', ') : 'none'}.`);
    }
  }
  for (const [name, declaration] of Object.entries(version.variables)) {
    const given = Object.hasOwn(variables, name) ? variables[name] : undefined;
    const value = given === undefined ? declaration.default : given;
    if (value === undefined) {
      if (declaration.required) throw invalid(name, `The prompt ${version.name} v${version.version} needs the variable "${name}" (${declaration.type}).`);
      values.set(name, '');
      continue;
    }
    values.set(name, checked(version, name, declaration, value));
  }
  return version.messages.map((message) => ({ role: message.role, content: message.content.replace(placeholder, (_, name: string) => values.get(name) ?? '') }));
}

function checked(version: PromptVersion, name: string, declaration: PromptVariable, value: unknown): string {
  const where = `The variable "${name}" of ${version.name} v${version.version}`;
  switch (declaration.type) {
    case 'string':
      if (typeof value !== 'string') throw invalid(name, `${where} must be a string (got ${typeName(value)}).`);
      if (declaration.enum && !declaration.enum.includes(value)) throw invalid(name, `${where} must be one of ${declaration.enum.join(', ')}.`);
      if (declaration.maxLength !== undefined && value.length > declaration.maxLength) {
        throw invalid(name, `${where} is ${value.length} characters long; at most ${declaration.maxLength} are accepted.`);
      }
      return value;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(name, `${where} must be a number (got ${typeName(value)}).`);
      return String(value);
    case 'integer':
      if (!Number.isSafeInteger(value)) throw invalid(name, `${where} must be an integer (got ${typeName(value)}).`);
      return String(value);
    case 'boolean':
      if (typeof value !== 'boolean') throw invalid(name, `${where} must be true or false (got ${typeName(value)}).`);
      return String(value);
    case 'json':
      return JSON.stringify(value);
  }
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number' && !Number.isInteger(value)) return `the number ${value}`;
  return typeof value;
}

function invalid(name: string, message: string): BreakwaterError {
  return new BreakwaterError('PROMPT_VARIABLES_INVALID', message, { param: `prompt.variables.${name}` });
}
