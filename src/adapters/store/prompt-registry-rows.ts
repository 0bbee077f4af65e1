import type { NewPromptVersion, PromptAuditEntry, PromptVersion } from '../../core/ports/prompt-registry.js';

/** The JSON column of a prompt version: everything but its key, hash and authorship. */
export type PromptVersionContent = Pick<NewPromptVersion, 'messages' | 'variables' | 'model' | 'parameters' | 'responseSchema' | 'description'>;

export function versionContent(version: NewPromptVersion): PromptVersionContent {
  return {
    messages: version.messages,
    variables: version.variables,
    model: version.model,
    parameters: version.parameters,
    responseSchema: version.responseSchema,
    description: version.description,
  };
}

export interface PromptVersionRow {
  scope: string;
  name: string;
  version: number;
  sha256: string;
  content: string | PromptVersionContent;
  created_by: string;
  created_at: number;
}

export function fromVersionRow(row: PromptVersionRow): PromptVersion {
  const content = typeof row.content === 'string' ? (JSON.parse(row.content) as PromptVersionContent) : row.content;
  return { scope: row.scope, name: row.name, version: row.version, sha256: row.sha256, createdBy: row.created_by, createdAt: row.created_at, ...content };
}

export interface PromptAuditRow {
  scope: string;
  name: string;
  action: PromptAuditEntry['action'];
  label: string | null;
  from_version: number | null;
  to_version: number;
  actor: string;
  at: number;
}

export function fromAuditRow(row: PromptAuditRow): PromptAuditEntry {
  return {
    scope: row.scope,
    name: row.name,
    action: row.action,
    label: row.label,
    fromVersion: row.from_version,
    toVersion: row.to_version,
    actor: row.actor,
    at: Number(row.at),
  };
}
